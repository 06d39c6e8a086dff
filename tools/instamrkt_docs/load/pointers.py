"""JSON pointers (RFC 6901) as used in `$ref` fragments and in findings."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote


def escape(part: str | int) -> str:
    """One reference token, escaped."""
    return str(part).replace("~", "~0").replace("/", "~1")


def join(parts: Iterable[str | int]) -> str:
    """A pointer from its tokens: ("paths", "/a") -> "/paths/~1a"."""
    return "".join("/" + escape(p) for p in parts)


def split(pointer: str) -> list[str]:
    """The tokens of a pointer, unescaped; "" is the whole document."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON pointer starts with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def from_fragment(fragment: str) -> str:
    """The pointer in a URI fragment (percent-decoded)."""
    return unquote(fragment)


_MISSING = object()


def walk(data: object, parts: Iterable[str]) -> object:
    """The value at `parts` inside `data`; raises KeyError where a token does not exist."""
    node = data
    for part in parts:
        if isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            node = _MISSING
        if node is _MISSING:
            raise KeyError(part)
    return node
