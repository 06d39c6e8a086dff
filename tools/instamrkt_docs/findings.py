"""Findings: problems found in the inputs, kept as values and reported together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """How serious a finding is: errors fail the run, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place of one file.

    `line` and `column` count from 1; `pointer` is an RFC 6901 JSON pointer into the
    file's document ("" for the whole document); `rule` names the check that found it.
    """

    file: str
    line: int
    column: int
    pointer: str
    message: str
    rule: str
    level: Level = field(default=Level.ERROR, compare=False)

    def as_dict(self) -> dict[str, object]:
        """The finding as plain JSON-ready data."""
        data = asdict(self)
        data["level"] = str(self.level)
        return data

    def location(self) -> str:
        """`file:line:column`."""
        return f"{self.file}:{self.line}:{self.column}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in reading order, file by file, without duplicates."""
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.pointer, f.message))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error."""
    return any(f.level is Level.ERROR for f in findings)
