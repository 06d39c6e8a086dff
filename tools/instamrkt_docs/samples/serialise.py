"""Request values as the OpenAPI specification serialises them, once for every language.

A form body (`application/x-www-form-urlencoded`) is written here into the exact text that
goes on the wire; the shell, Python and JavaScript samples all send that text, so the three
cannot disagree. Each property follows its Encoding Object (`style`, `explode`); without
one, a primitive is its text, an array of primitives is repeated, and an object (or an array
of objects) is JSON, the default `contentType` of objects.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def text(value: Any) -> str:
    """A primitive as a form or query string writes it (`true`, not Python's `True`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def form_pairs(value: dict[str, Any], encoding: Any = None) -> list[tuple[str, str]]:
    """The (name, value) pairs of a form body, before percent-encoding."""
    encodings = encoding if isinstance(encoding, dict) else {}
    pairs: list[tuple[str, str]] = []
    for name, item in value.items():
        rules = encodings.get(name) if isinstance(encodings.get(name), dict) else {}
        if "style" in rules or "explode" in rules:
            style = str(rules.get("style", "form"))
            explode = bool(rules.get("explode", style == "form"))
            pairs += styled(str(name), item, style, explode)
        elif isinstance(item, list) and all(not isinstance(i, (dict, list)) for i in item):
            pairs += [(str(name), text(i)) for i in item]
        else:
            pairs.append((str(name), text(item)))
    return pairs


def styled(name: str, value: Any, style: str, explode: bool) -> list[tuple[str, str]]:
    """A value in one of the form styles of the specification's style table."""
    if style == "deepObject" and isinstance(value, dict):
        return [
            pair
            for key, item in value.items()
            for pair in (
                styled(f"{name}[{key}]", item, style, explode)
                if isinstance(item, dict)
                else [(f"{name}[{key}]", text(item))]
            )
        ]
    if isinstance(value, list):
        if explode and style == "form":
            return [(name, text(item)) for item in value]
        return [(name, _DELIMITERS.get(style, ",").join(text(item) for item in value))]
    if isinstance(value, dict):
        if explode and style == "form":
            return [(str(key), text(item)) for key, item in value.items()]
        return [(name, ",".join(f"{key},{text(item)}" for key, item in value.items()))]
    return [(name, text(value))]


def urlencoded(pairs: list[tuple[str, str]]) -> list[str]:
    """Pairs as `application/x-www-form-urlencoded` text, as browsers write it (WHATWG):
    each `name=value`, to be joined with `&`."""
    return [f"{_encode(name)}={_encode(value)}" for name, value in pairs]


def _encode(value: str) -> str:
    return "".join(
        chr(byte) if byte in _SAFE else "+" if byte == 0x20 else f"%{byte:02X}"
        for byte in value.encode("utf-8")
    )


# Parameters ------------------------------------------------------------------------------
# The specification's style table, with each value percent-encoded (everything but the
# unreserved characters) and the delimiters as the table writes them, but `|`, space and
# deepObject's brackets encoded: so that curl (which reads brackets as a glob), requests
# (which encodes `|` itself) and fetch send one text.

_PARAMETER_DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": "%20",
                         "pipeDelimited": "%7C"}  # fmt: skip


# allowReserved: RFC 3986's reserved characters stay as they are in a query value, but
# those a query cannot hold (`#` would end it; `[` and `]` belong to hosts: urllib3 encodes
# them) and `'` (fetch encodes it, as the WHATWG URL standard says)
RESERVED = ":/?@!$&()*+,;="


# What a path segment may hold as it is (RFC 3986's pchar and `/`, and `%` of an escape
# the spec wrote): anything else in a path's literal text is percent-encoded, so that no
# client reads it as syntax (curl's `[1-20]` globs, a space, a quote).
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def path_literal(text: str) -> str:
    """A path's literal text (between its parameters) as every client sends it."""
    return quote(text, safe=_PATH_SAFE)


def path_template(path: str) -> str:
    """A path template with its literal text percent-encoded and its `{parameters}` kept."""
    pieces = re.split(r"(\{[^{}/]+\})", path)
    return "".join(p if i % 2 else path_literal(p) for i, p in enumerate(pieces))


def _part(value: Any, reserved: bool = False) -> str:
    return quote(text(value), safe=RESERVED if reserved else "")


def path_value(name: str, value: Any, style: str = "simple", explode: bool = False) -> str:
    """A path parameter's text in its style (simple, label, matrix)."""
    if style == "label":
        lead, between = ".", "." if explode else ","
    elif style == "matrix":
        lead, between = f";{quote(name, safe='')}=", ","
    else:
        lead, between = "", ","
    if isinstance(value, list):
        if style == "matrix" and explode:
            return "".join(f";{quote(name, safe='')}={_part(item)}" for item in value)
        return lead + between.join(_part(item) for item in value)
    if isinstance(value, dict):
        if style == "matrix" and explode:
            return "".join(f";{_part(key)}={_part(item)}" for key, item in value.items())
        if explode:
            lead = "" if style == "simple" else "." if style == "label" else lead
            return lead + between.join(f"{_part(k)}={_part(v)}" for k, v in value.items())
        return lead + ",".join(f"{_part(k)},{_part(v)}" for k, v in value.items())
    return lead + _part(value)


def query_parts(
    name: str, value: Any, style: str = "form", explode: bool = True, reserved: bool = False
) -> list[str]:
    """A query parameter's `name=value` parts in its style (form, spaceDelimited,
    pipeDelimited, deepObject), to be joined with `&`; with `reserved` (allowReserved)
    the values keep their reserved characters."""
    key = quote(name, safe="")

    def part(item: Any) -> str:
        return _part(item, reserved)

    if style == "deepObject" and isinstance(value, dict):
        return [f"{key}%5B{_part(k)}%5D={part(v)}" for k, v in value.items()]
    between = _PARAMETER_DELIMITERS.get(style, ",")
    if isinstance(value, list):
        if explode and style == "form":
            return [f"{key}={part(item)}" for item in value]
        return [f"{key}=" + between.join(part(item) for item in value)]
    if isinstance(value, dict):
        if explode and style == "form":
            return [f"{_part(k)}={part(v)}" for k, v in value.items()]
        return [f"{key}=" + between.join(f"{_part(k)}{between}{part(v)}"
                                         for k, v in value.items())]  # fmt: skip
    return [f"{key}={part(value)}"]


def simple_value(value: Any, explode: bool = False) -> str:
    """A header's text (style simple), not percent-encoded."""
    if isinstance(value, list):
        return ",".join(text(item) for item in value)
    if isinstance(value, dict):
        joiner = "=" if explode else ","
        return ",".join(f"{k}{joiner}{text(v)}" for k, v in value.items())
    return text(value)
