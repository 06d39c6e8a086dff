"""A deterministic string that matches a regular expression, for generated examples."""

from __future__ import annotations

import re

from instamrkt_docs import patterns

try:  # Python 3.11 keeps the parser under re._parser
    from re import _constants as constants  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as constants  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

_CATEGORY = {
    constants.CATEGORY_DIGIT: "0",
    constants.CATEGORY_WORD: "a",
    constants.CATEGORY_SPACE: " ",
    constants.CATEGORY_NOT_DIGIT: "a",
    constants.CATEGORY_NOT_WORD: "-",
    constants.CATEGORY_NOT_SPACE: "a",
}


MAX_LENGTH = 1000  # characters of a string made for a pattern; a longer one is not made


def string_for(pattern: str) -> str | None:
    """The simplest string matching `pattern`, or None if none could be made (within
    `MAX_LENGTH`, and checked within the patterns' time budget)."""
    if len(pattern) > 10_000:
        return None
    try:
        parsed = parser.parse(pattern)
        candidate = _emit(parsed)
    except (re.error, RecursionError, KeyError, TypeError, ValueError, OverflowError):
        return None
    try:
        with patterns.overruns() as costly:
            matched = patterns.search(pattern, candidate)
    except re.error:  # pragma: no cover - parsed above
        return None
    return candidate if matched and not costly else None


def _emit(items: object) -> str:
    out = []
    length = 0
    for op, arg in items:  # type: ignore[attr-defined]
        piece = _one(op, arg)
        length += len(piece)
        if length > MAX_LENGTH:
            raise ValueError("too long a string for an example")
        out.append(piece)
    return "".join(out)


def _one(op: object, arg: object) -> str:
    if op is constants.LITERAL:
        return chr(arg)  # type: ignore[arg-type]
    if op is constants.NOT_LITERAL:
        return "a" if arg != ord("a") else "b"
    if op is constants.ANY:
        return "a"
    if op is constants.IN:
        return _class(arg)  # type: ignore[arg-type]
    if op in (
        constants.MAX_REPEAT,
        constants.MIN_REPEAT,
        getattr(constants, "POSSESSIVE_REPEAT", None),
    ):
        low, high, item = arg  # type: ignore[misc]
        count = low if low > 0 else (1 if high and high > 0 else 0)
        if count > MAX_LENGTH:
            raise ValueError("too long a string for an example")
        return _emit(item) * count
    if op is constants.SUBPATTERN:
        return _emit(arg[-1])  # type: ignore[index]
    if op is constants.BRANCH:
        return _emit(arg[1][0])  # type: ignore[index]
    if op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT):
        return ""
    if op is getattr(constants, "ATOMIC_GROUP", None):
        return _emit(arg)
    if op is constants.GROUPREF:
        return ""
    raise ValueError(f"unsupported regex element {op}")


def _class(items: list) -> str:
    negate = False
    for op, arg in items:
        if op is constants.NEGATE:
            negate = True
            continue
        if negate:
            return "a" if all(_excluded(items, "a")) else "0"
        if op is constants.LITERAL:
            return chr(arg)
        if op is constants.RANGE:
            return chr(arg[0])
        if op is constants.CATEGORY:
            return _CATEGORY.get(arg, "a")
    return "a"


def _excluded(items: list, char: str) -> list[bool]:
    code = ord(char)
    result = []
    for op, arg in items:
        if op is constants.LITERAL:
            result.append(arg != code)
        elif op is constants.RANGE:
            result.append(not arg[0] <= code <= arg[1])
    return result
