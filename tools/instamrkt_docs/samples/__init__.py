"""Samples stage: code in shell, Python and JavaScript for every operation and message.

The model gives each operation a neutral request (`requests.py`); one Jinja template per
language and kind turns it into code (`templates/<language>/<kind>.<ext>.jinja`). A spec's
own `x-codeSamples` replace the generated sample of their language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from instamrkt_docs.model.types import Operation, WsOperation
from instamrkt_docs.samples.environment import environment
from instamrkt_docs.samples.requests import (
    DEFAULT_CREDENTIAL,
    HttpRequest,
    WsSession,
    http_request,
    ws_session,
)

__all__ = [
    "BROWSER",
    "LANGUAGES",
    "HttpRequest",
    "Language",
    "Sample",
    "SampleWriter",
    "WsSession",
    "http_request",
    "ws_session",
]


@dataclass(frozen=True)
class Language:
    """A sample language: its key, tab label, file suffix and highlighting lexer."""

    key: str
    label: str
    suffix: str
    lexer: str


LANGUAGES = (
    Language("shell", "Shell", "sh", "shell"),
    Language("python", "Python", "py", "python"),
    Language("javascript", "JavaScript", "mjs", "javascript"),
)
# A websocket session in a web page, with the browser's WebSocket: shown under the tabs
# (the site's choice of language is among LANGUAGES), run by `verify` in Chromium.
BROWSER = Language("browser", "JavaScript in a web page", "js", "javascript")
_TEMPLATE_SUFFIX = {"shell": "sh", "python": "py", "javascript": "js", "browser": "js"}


@dataclass
class Sample:
    """One sample: its language and code; `generated` is False for the spec's own."""

    language: Language
    code: str
    generated: bool = True


class SampleWriter:
    """Writes the samples of operations, with templates a user may override one by one."""

    def __init__(
        self, templates: Path | None = None, credential_variable: str = DEFAULT_CREDENTIAL
    ) -> None:
        self.env = environment(templates)
        self.credential_variable = credential_variable
        self._templates: dict[str, jinja2.Template] = {}

    def template(self, language: Language, kind: str) -> jinja2.Template:
        name = f"{language.key}/{kind}.{_TEMPLATE_SUFFIX[language.key]}.jinja"
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def for_operation(self, operation: Operation) -> list[Sample]:
        """A sample per language for a REST operation."""
        request = http_request(operation, self.credential_variable)
        own = {s.language: s.source for s in operation.code_samples}
        return [
            Sample(language, own[language.key].rstrip() + "\n", generated=False)
            if language.key in own
            else Sample(language, self.template(language, "http").render(request=request))
            for language in LANGUAGES
        ]

    def for_ws_operation(self, operation: WsOperation) -> list[Sample]:
        """A sample per language for a websocket operation ([] for other protocols), and
        one for a web page (`BROWSER`) where a browser can open the session."""
        own = {s.language: s.source for s in operation.code_samples}
        if not operation.is_websocket and not own:
            return []
        session = ws_session(operation, self.credential_variable)
        samples = []
        for language in LANGUAGES:
            if language.key in own:
                samples.append(Sample(language, own[language.key].rstrip() + "\n", False))
            elif operation.is_websocket:
                code = self.template(language, "websocket").render(session=session)
                samples.append(Sample(language, code))
        if operation.is_websocket and session.in_browser:
            code = self.template(BROWSER, "websocket").render(session=session)
            samples.append(Sample(BROWSER, code))
        return samples
