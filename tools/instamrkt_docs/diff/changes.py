"""A change between two versions of a spec: its rule, its level, and where it is on each
side (file, line, column and JSON pointer), with the operations or messages it reaches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from instamrkt_docs.diff.rules import LEVELS, RULES
from instamrkt_docs.load import Target, pointers


@dataclass(frozen=True)
class Place:
    """A node of one side: its file as shown, its JSON pointer, and (once placed) its
    line and column."""

    file: str
    pointer: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column} {self.pointer or '/'}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
        }


def child(target: Target, *parts: str | int) -> Target:
    """A node under `target` (its value None where there is none), `$ref`s not followed."""
    value: Any = target.value
    pointer = target.pointer
    for part in parts:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            value = None
        pointer += "/" + pointers.escape(part)
    return Target(target.document, pointer, value)


def place_of(target: Target | None) -> Place | None:
    """Where a node is, as a Place (its position still to be found)."""
    if target is None:
        return None
    return Place(target.document.display, target.pointer)


@dataclass
class Change:
    """One change; `reaches` lists the operations and messages it concerns."""

    rule: str
    message: str
    old: Place | None
    new: Place | None
    reaches: list[str] = field(default_factory=list)
    level: str = ""
    reason: str = ""  # why a project's config gave it another level

    def __post_init__(self) -> None:
        if not self.level:
            self.level = RULES[self.rule].level

    @property
    def rank(self) -> int:
        """0 for info, 1 warning, 2 breaking."""
        return LEVELS.index(self.level)

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "old": self.old.as_json() if self.old else None,
            "new": self.new.as_json() if self.new else None,
            "reaches": self.reaches,
        }
        if self.reason:
            found["reason"] = self.reason
        return found
