"""Regular expressions from specs, run within a time budget.

A spec's `pattern` is the spec author's code for a backtracking engine: `(a+)+$` against
thirty `a`s and a `b` runs for minutes. Every pattern a spec gives is matched here, with
the `regex` module and a time budget per match; a match that runs out of it counts as a
match (nothing can be said of the value) and is noted, so that `validate` can say which
pattern could not be checked. The JSON Schema validators the toolkit runs (jsonschema,
openapi-schema-validator, openapi-core through them) are made to match `pattern` and
`patternProperties` here too, once, when this module is imported.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

import regex

BUDGET = 0.25  # seconds one match may take
MAX_TEXT = 1_000_000  # characters of a value matched at all; longer ones are not checked

_noted = threading.local()


def search(pattern: str, text: str) -> bool:
    """Whether `pattern` finds a match in `text`, within the budget (out of it: True, noted).
    A pattern neither engine can compile raises `re.error`, as `re.search` would."""
    if len(text) > MAX_TEXT:
        _note(pattern)
        return True
    try:
        return regex.search(pattern, text, timeout=BUDGET) is not None
    except TimeoutError:
        _note(pattern)
        return True
    except regex.error:
        re.compile(pattern)  # re's own error for what neither takes
        _note(pattern)  # one re takes and regex does not: not run (it is not budgeted)
        return True


def fullmatch(pattern: str, text: str) -> bool:
    """Whether `pattern` matches the whole of `text`, within the budget; a match that runs
    out of it, or a pattern that does not compile, is no match (noted)."""
    if len(text) > MAX_TEXT:
        _note(pattern)
        return False
    try:
        return regex.fullmatch(pattern, text, timeout=BUDGET) is not None
    except (TimeoutError, regex.error):
        _note(pattern)
        return False


def _note(pattern: str) -> None:
    found = getattr(_noted, "patterns", None)
    if found is not None:
        found.append(pattern)


@contextlib.contextmanager
def overruns() -> Iterator[list[str]]:
    """The patterns that could not be matched within the budget in this thread, meanwhile."""
    before = getattr(_noted, "patterns", None)
    _noted.patterns = []
    try:
        yield _noted.patterns
    finally:
        _noted.patterns = before


class _BudgetedRe:
    """`re` for the JSON Schema validators: `search` is ours, the rest is `re`'s."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def search(pattern: Any, string: str, flags: int = 0) -> bool | None:
        if not isinstance(pattern, str) or flags:
            return re.search(pattern, string, flags)  # the validators' own, compiled
        return True if search(pattern, string) else None


def _install() -> None:
    import jsonschema._keywords
    import jsonschema._legacy_keywords

    budgeted = _BudgetedRe()
    jsonschema._keywords.re = budgeted  # type: ignore[attr-defined]
    jsonschema._legacy_keywords.re = budgeted  # type: ignore[attr-defined]
    try:
        import openapi_schema_validator._keywords as oas_keywords
    except ImportError:  # pragma: no cover - it comes with openapi-spec-validator
        return
    if hasattr(oas_keywords, "regex_search"):
        oas_keywords.regex_search = search  # type: ignore[attr-defined]


_install()
