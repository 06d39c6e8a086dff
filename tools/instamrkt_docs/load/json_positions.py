"""Line and column of JSON pointers in JSON text, in one pass over the text.

Composing a YAML node tree of a large JSON file just to place a few findings takes seconds;
this scans the text's tokens once for a whole batch of pointers, entering only the objects
and arrays that lie on the way to one of them.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable

from instamrkt_docs.load import pointers

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')
_VALUE_START = re.compile(r"\S")


class _Frame:
    __slots__ = ("expect_key", "index", "is_object", "path")

    def __init__(self, path: str, is_object: bool) -> None:
        self.path = path
        self.is_object = is_object
        self.index = 0
        self.expect_key = True


def json_positions(text: str, wanted: Iterable[str]) -> dict[str, tuple[int, int]]:
    """1-based (line, column) of each wanted pointer that exists in the JSON text.

    Object members are placed at their key; array items where the item starts. The
    positions of the containers on the way are included too, for pointers that lead
    nowhere.
    """
    wanted = set(wanted)
    prefixes = {""}
    for pointer in wanted:
        parts = pointers.split(pointer)
        for end in range(1, len(parts) + 1):
            prefixes.add(pointers.join(parts[:end]))
    offsets: dict[str, int] = {}
    stack: list[_Frame] = []
    value_path = ""  # the path of the value that comes next
    skip = 0
    for match in _TOKEN.finditer(text):
        char = text[match.start()]
        if skip:
            if char in "{[":
                skip += 1
            elif char in "}]":
                skip -= 1
            continue
        frame = stack[-1] if stack else None
        if char in "{[":
            path = value_path if frame is None or frame.is_object else _item(frame)
            if path not in prefixes:
                skip = 1
                continue
            offsets.setdefault(path, match.start())
            stack.append(_Frame(path, char == "{"))
            if char == "[":
                _place_item(text, match.end(), stack[-1], prefixes, offsets)
        elif char in "}]":
            stack.pop()
        elif char == ",":
            if frame is not None and frame.is_object:
                frame.expect_key = True
            elif frame is not None:
                frame.index += 1
                _place_item(text, match.end(), frame, prefixes, offsets)
        elif char == '"' and frame is not None and frame.is_object and frame.expect_key:
            key = json.loads(match.group())
            value_path = f"{frame.path}/{pointers.escape(key)}"
            frame.expect_key = False
            if value_path in prefixes:
                offsets[value_path] = match.start()
    lines = [m.start() for m in re.finditer("\n", text)]
    return {path: _line_column(lines, offset) for path, offset in offsets.items()}


def _item(frame: _Frame) -> str:
    return f"{frame.path}/{frame.index}"


def _place_item(
    text: str, start: int, frame: _Frame, prefixes: set[str], offsets: dict[str, int]
) -> None:
    path = _item(frame)
    if path in prefixes:
        found = _VALUE_START.search(text, start)
        if found and text[found.start()] != "]":
            offsets[path] = found.start()


def _line_column(lines: list[int], offset: int) -> tuple[int, int]:
    line = bisect_right(lines, offset - 1)
    start = lines[line - 1] + 1 if line else 0
    return line + 1, offset - start + 1


def position(text: str, pointer: str) -> tuple[int, int]:
    """The place of one pointer, or of the deepest existing container on its way."""
    return nearest(json_positions(text, [pointer]), pointer)


def nearest(found: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int]:
    """The place of `pointer` in `found`, or of its deepest ancestor there."""
    parts = pointers.split(pointer)
    for end in range(len(parts), 0, -1):
        place = found.get(pointers.join(parts[:end]))
        if place:
            return place
    return (1, 1)
