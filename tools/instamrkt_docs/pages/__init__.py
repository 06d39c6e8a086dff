"""Pages stage: Markdown reference pages from Jinja templates.

`Pages.for_api` turns one spec's model and its samples into pages: an overview, then a
page per group (a tag; for websocket a tag or a channel). Templates are found in the
user's folder first (`rest/operation.md.jinja` there replaces ours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from instamrkt_docs.model.types import ErrorCode, RestApi, WsApi
from instamrkt_docs.pages.filters import FILTERS
from instamrkt_docs.samples import Sample, SampleWriter
from instamrkt_docs.templating import make_environment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"

__all__ = ["PACKAGE_TEMPLATES", "Page", "Pages", "SpecPages"]


@dataclass
class Page:
    """A page to write: its path under the output folder, title and Markdown."""

    path: str
    title: str
    text: str


@dataclass
class SpecPages:
    """One spec's pages, its overview first, and the samples they show."""

    api: RestApi | WsApi
    folder: str
    pages: list[Page] = field(default_factory=list)
    samples: dict[str, list[Sample]] = field(default_factory=dict)


class Pages:
    """Renders reference pages with templates a user may override one by one."""

    def __init__(self, templates: Path | None = None) -> None:
        self.user_templates = templates
        self.env: jinja2.Environment = make_environment(PACKAGE_TEMPLATES, templates, FILTERS)

    def for_api(
        self, api: RestApi | WsApi, folder: str, downloads: list[tuple[str, str]]
    ) -> SpecPages:
        """The pages of one spec, under `folder`."""
        writer = SampleWriter(self.user_templates, api.credential_variable)
        result = SpecPages(api, folder)
        for operation in api.operations:
            if isinstance(api, RestApi):
                result.samples[operation.key] = writer.for_operation(operation)
            else:
                result.samples[operation.key] = writer.for_ws_operation(operation)
        kind = "rest" if isinstance(api, RestApi) else "websocket"
        page_template = self.env.get_template(f"{kind}/page.md.jinja")
        group_pages = []
        for group in api.groups:
            text = page_template.render(
                api=api, group=group, samples=result.samples, downloads=downloads
            )
            group_pages.append(Page(f"{folder}/{group.key}.md", group.name, text))
        index = self.env.get_template("reference/index.md.jinja").render(
            api=api,
            pages=[(p.title, p.path.rsplit("/", 1)[-1]) for p in group_pages],
            downloads=[(label, "../" + href) for label, href in downloads],
        )
        result.pages = [Page(f"{folder}/index.md", api.title, index), *group_pages]
        return result

    def scenarios(self, scenarios: list[Any], folder: str = "scenarios") -> dict[str, str]:
        """The scenario pages and scripts: relative path -> content."""
        from instamrkt_docs.samples import LANGUAGES
        from instamrkt_docs.scenarios import words
        from instamrkt_docs.scenarios.code import needs_key
        from instamrkt_docs.scenarios.scripts import ScriptWriter

        writer = ScriptWriter(self.user_templates)
        self.env.globals["needs_key"] = needs_key
        self.env.globals["in_words"] = words.condition
        self.env.globals["expression_in_words"] = words.expression
        page = self.env.get_template("scenarios/page.md.jinja")
        files = {}
        for scenario in scenarios:
            scripts = writer.scripts(scenario)
            downloads = {lang.key: f"{scenario.key}.{lang.suffix}" for lang in LANGUAGES}
            for lang in LANGUAGES:
                files[f"{folder}/scripts/{downloads[lang.key]}"] = scripts[lang.key]
            files[f"{folder}/{scenario.key}.md"] = page.render(
                scenario=scenario,
                step_code={lang.key: writer.steps(scenario, lang) for lang in LANGUAGES},
                scripts=scripts,
                downloads=downloads,
                languages=LANGUAGES,
                mermaid="../../assets/mermaid.min.js",
            )
        index = self.env.get_template("scenarios/index.md.jinja")
        files[f"{folder}/index.md"] = index.render(scenarios=scenarios)
        return files

    def error_codes(self, codes: list[ErrorCode]) -> str:
        """The Markdown table of every error code."""
        return self.env.get_template("reference/error_codes.md.jinja").render(codes=codes)
