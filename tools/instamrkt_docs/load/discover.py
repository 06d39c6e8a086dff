"""Finding spec files: named ones, and those in folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from instamrkt_docs.errors import UsageError

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def find_specs(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to check: (path, named explicitly). Folders are searched for spec files."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in SPEC_SUFFIXES and p.is_file()
            )
            found += [(p, False) for p in files]
        elif path.exists():
            found.append((path, True))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found
