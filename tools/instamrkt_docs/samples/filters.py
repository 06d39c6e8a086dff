"""Escaping filters: turn example values into literals that each language reads back exactly.

Each one is a plain function, registered with Jinja in `environment.py`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson


def shell_quote(value: Any) -> str:
    """A shell word that the shell reads back as exactly `value` (single-quoted)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + text.replace("'", "'\"'\"'") + "'" if text else "''"


def shell_json(value: Any, indent: int = 2) -> str:
    """JSON text for a shell `--data` argument, single-quoted."""
    return shell_quote(json.dumps(value, indent=indent, ensure_ascii=False))


def _string(text: str) -> str:
    """A double-quoted literal valid in both Python and JavaScript."""
    return json.dumps(text, ensure_ascii=False)


def py_literal(value: Any, indent: int = 0, step: int = 4) -> str:
    """Python source for a JSON value, pretty-printed, continuing at `indent` spaces."""
    return _literal(value, indent, step, python=True)


def js_literal(value: Any, indent: int = 0, step: int = 2) -> str:
    """JavaScript source for a JSON value, pretty-printed, continuing at `indent` spaces."""
    return _literal(value, indent, step, python=False)


def _literal(value: Any, indent: int, step: int, python: bool) -> str:
    if value is None:
        return "None" if python else "null"
    if value is True:
        return "True" if python else "true"
    if value is False:
        return "False" if python else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return _string(str(value))
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    inner = " " * (indent + step)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_string(str(k))}: {_literal(v, indent + step, step, python)}"
                 for k, v in value.items()]  # fmt: skip
        return "{\n" + ",\n".join(items) + ",\n" + " " * indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{_literal(v, indent + step, step, python)}" for v in value]
        return "[\n" + ",\n".join(items) + ",\n" + " " * indent + "]"
    return _string(str(value))


def string(value: Any) -> str:
    """A double-quoted string literal for Python or JavaScript."""
    return _string(value if isinstance(value, str) else str(value))


def json_compact(value: Any) -> str:
    """JSON on one line, as a message is sent."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_pretty(value: Any) -> str:
    """JSON, indented by 2, for showing examples."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except (TypeError, orjson.JSONEncodeError):  # keys that are not strings, big integers
        return json.dumps(value, indent=2, ensure_ascii=False)


FILTERS = {
    "js_literal": js_literal,
    "json_compact": json_compact,
    "json_pretty": json_pretty,
    "py_literal": py_literal,
    "shell_json": shell_json,
    "shell_quote": shell_quote,
    "string": string,
}
