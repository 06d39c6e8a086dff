"""Complete scenario scripts, and the code of each step for the pages, in three languages.

Templates: `<language>/scenario.<ext>.jinja` (the script) and
`<language>/_base/scenario_macros.<ext>.jinja` (one step), overridable like the samples'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from instamrkt_docs.samples import LANGUAGES, Language
from instamrkt_docs.samples.environment import environment
from instamrkt_docs.scenarios.code import FILTERS, needs_key, request_parts
from instamrkt_docs.scenarios.model import Scenario, Step

_EXT = {"shell": "sh", "python": "py", "javascript": "js"}


def groups(scenario: Scenario) -> list[tuple[str, list[Step]]]:
    """The steps, with consecutive websocket steps grouped (one wscat session in shell)."""
    found: list[tuple[str, list[Step]]] = []
    for step in scenario.steps:
        kind = "rest" if step.is_rest else "ws"
        if found and kind == "ws" and found[-1][0] == "ws":
            found[-1][1].append(step)
        else:
            found.append((kind, [step]))
    return found


class ScriptWriter:
    """Writes scenario scripts with templates a user may override."""

    def __init__(self, templates: Path | None = None) -> None:
        self.env = environment(templates)
        self.env.filters.update(FILTERS)
        self.env.globals["request_parts"] = request_parts
        self.env.globals["needs_key"] = needs_key

    def script(self, scenario: Scenario, language: Language) -> str:
        """The complete script of a scenario in one language."""
        template = self.env.get_template(f"{language.key}/scenario.{_EXT[language.key]}.jinja")
        return template.render(scenario=scenario, groups=groups(scenario))

    def scripts(self, scenario: Scenario) -> dict[str, str]:
        """language key -> complete script."""
        return {language.key: self.script(scenario, language) for language in LANGUAGES}

    def steps(self, scenario: Scenario, language: Language) -> list[str]:
        """The code of each step, as the script has it (for the pages)."""
        macros: Any = self.env.get_template(
            f"{language.key}/_base/scenario_macros.{_EXT[language.key]}.jinja"
        ).module
        code = []
        number = 0
        for kind, steps in groups(scenario):
            for index, step in enumerate(steps):
                number += 1
                text = str(macros.step(step, number, request_parts))
                if language.key == "shell" and kind == "ws" and index == 0:
                    text = str(macros.session(steps)) + "\n\n" + text
                code.append(text.strip() + "\n")
        return code
