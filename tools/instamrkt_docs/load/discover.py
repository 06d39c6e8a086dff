"""Finding spec files: named ones, and those in folders.

A folder is searched without following links out of it: a file (or folder) in it that is
a link to somewhere outside it, or that is not a regular file, is not a spec of that
folder; it is neither read nor published (`links_outside` names such links).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from instamrkt_docs.errors import UsageError

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def _candidates(folder: Path) -> Iterable[Path]:
    """The spec-named entries under a folder, links included, link folders not entered."""
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(top, d))]):
            if Path(name).suffix.lower() in SPEC_SUFFIXES:
                yield Path(top) / name


def _inside(path: Path, folder: Path) -> bool:
    return path.is_file() and path.resolve().is_relative_to(folder.resolve())


def find_specs(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to check: (path, named explicitly). Folders are searched for spec files."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found += [(p, False) for p in _candidates(path) if _inside(p, path)]
        elif path.exists():
            found.append((path, True))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def links_outside(paths: Iterable[Path]) -> list[Path]:
    """The spec-named entries of the folders among `paths` that `find_specs` leaves out:
    links that lead outside their folder, and anything that is not a regular file."""
    return [p for path in paths if path.is_dir() for p in _candidates(path) if not _inside(p, path)]
