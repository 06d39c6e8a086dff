"""Filters for samples: example values as code that each language reads back exactly.

They compose `escaping`'s shell words and string literals (the one quoting of each
language) and return `Escaped`; they are registered with Jinja in `environment.py`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

from instamrkt_docs import escaping
from instamrkt_docs.escaping import comment, shell_word
from instamrkt_docs.model.common import url_variable

shell_quote = shell_word


# Text that reads the same inside shell double quotes and a JavaScript template literal
# (no `$`, backtick, backslash, quote or `!`): such a text and its variables make one word
_PLAIN = re.compile(r"[A-Za-z0-9 _:./,=+@%?&;~-]*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# A value made of texts and environment variables: ("text", "Bearer "), ("env", "API_KEY")
Piece = tuple[str, str]


def _pieces(text: str, variable: str, url: bool = False) -> list[Piece]:
    """`text` followed by `$variable` (if any); a URL may start with a variable of its own
    (`$API_BASE_URL/pets`, see `model.common.url_variable`), other text never does."""
    base, rest = url_variable(text) if url else ("", text)
    pieces = [("env", base)] if base else []
    pieces += [("text", rest)] if rest else []
    pieces += [("env", variable)] if variable else []
    for kind, name in pieces:
        if kind == "env":
            escaping.identifier(name)  # refused unless it is a plain name
    return pieces


def _shell(pieces: list[Piece]) -> str:
    """One shell word: double-quoted when every text is plain (`"Bearer $API_KEY"`), else
    each text single-quoted so that the shell expands nothing of it."""
    if all(kind == "text" for kind, _ in pieces):
        return shell_quote("".join(value for _, value in pieces))
    if not all(_PLAIN.fullmatch(value) for kind, value in pieces if kind == "text"):
        return "".join(shell_quote(v) if k == "text" else f'"${v}"' for k, v in pieces)
    word = ""
    for index, (kind, value) in enumerate(pieces):
        following = pieces[index + 1][1][:1] if index + 1 < len(pieces) else ""
        braced = kind == "env" and (following.isalnum() or following == "_")
        word += value if kind == "text" else f"${{{value}}}" if braced else f"${value}"
    return f'"{word}"'


def _python(pieces: list[Piece]) -> str:
    """A Python expression: string literals and `os.environ[...]`, added up."""
    if not pieces:
        return _string("")
    return " + ".join(_string(v) if k == "text" else f"os.environ[{_string(v)}]" for k, v in pieces)


def _javascript(pieces: list[Piece]) -> str:
    """A JavaScript expression: a template literal when every text is plain."""
    if all(kind == "text" for kind, _ in pieces):
        return _string("".join(value for _, value in pieces))
    if len(pieces) == 1:
        return f"process.env.{pieces[0][1]}"
    if all(_PLAIN.fullmatch(value) for kind, value in pieces if kind == "text"):
        return "`" + "".join(v if k == "text" else f"${{process.env.{v}}}" for k, v in pieces) + "`"
    return " + ".join(_string(v) if k == "text" else f"process.env.{v}" for k, v in pieces)


def shell_with_variable(text: str, variable: str) -> str:
    """A shell word that reads as `text` followed by the value of `$variable`."""
    return _shell(_pieces(text, variable))


def py_with_env(text: str, variable: str) -> str:
    """A Python expression: `text` followed by the environment variable's value."""
    return _python(_pieces(text, variable))


def js_with_env(text: str, variable: str) -> str:
    """A JavaScript expression: `text` followed by the environment variable's value."""
    return _javascript(_pieces(text, variable))


def shell_url(url: str, variable: str = "") -> str:
    """A shell word for a URL that may start with an environment variable (`$API_BASE_URL`)
    and may end with one (`variable`, a key in the query)."""
    return _shell(_pieces(url, variable, url=True))


def py_url(url: str, variable: str = "") -> str:
    """A Python expression for a URL, its variables read from the environment."""
    return _python(_pieces(url, variable, url=True))


def js_url(url: str, variable: str = "") -> str:
    """A JavaScript expression for a URL, its variables read from the environment."""
    return _javascript(_pieces(url, variable, url=True))


def jq_test(field_name: str, value: Any) -> str:
    """A jq filter true for a message whose `field_name` equals `value`."""
    path = f".{field_name}" if _IDENTIFIER.fullmatch(field_name) else f".[{_string(field_name)}]"
    return f"{path} == {json.dumps(value, ensure_ascii=False)}"


def jq_all_arrived(matches: list[tuple[str, Any]]) -> str:
    """A jq test over an array of messages: true once each (field, value) has matched one."""
    tests = [f"any(.[]; {jq_test(name, value)})" for name, value in matches]
    return " and ".join(tests) or "length > 0"


def shell_json(value: Any, indent: int = 2) -> str:
    """JSON text for a shell `--data` argument, single-quoted."""
    return shell_quote(json.dumps(value, indent=indent, ensure_ascii=False))


def _string(text: str) -> str:
    """A double-quoted literal valid in both Python and JavaScript."""
    return escaping.string_literal(text)


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


# Filters whose text is complete code of its language, written as it is (`escaper`)
_CODE = {
    "comment": comment,
    "js_literal": js_literal,
    "js_url": js_url,
    "js_with_env": js_with_env,
    "py_literal": py_literal,
    "py_url": py_url,
    "py_with_env": py_with_env,
    "shell_json": shell_json,
    "shell_quote": shell_quote,
    "shell_url": shell_url,
    "shell_with_variable": shell_with_variable,
    "string": string,
}
FILTERS = {
    **{name: escaping.escaper(function) for name, function in _CODE.items()},
    "identifier": escaping.identifier,
    # text a template quotes further: jq programs and JSON
    "jq_all_arrived": jq_all_arrived,
    "jq_test": jq_test,
    "json_compact": json_compact,
    "json_pretty": json_pretty,
}
