"""Undoing one serve build: the rendered pages and the built files it changed, as they were.

Under `serve` a build goes on while a worker validates the specs; when the specs turn out to
have findings, the build is undone so that the last good pages stay served.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Files every build rewrites besides the pages.
_SITE_FILES = ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz")


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _put(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
        return
    if _read(path) == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class Rollback:
    """What a folder of rendered pages held before a render, and the outputs built from it."""

    def __init__(self, folder: Path, before: dict[str, bytes]) -> None:
        self.folder = folder
        self.before = before
        self.outputs: dict[Path, bytes | None] = {}

    @classmethod
    def of_folder(cls, folder: Path) -> Rollback:
        """Remember every file of `folder` (call it before rendering into it)."""
        before = {}
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    before[path.relative_to(folder).as_posix()] = path.read_bytes()
        return cls(folder, before)

    def keep_outputs(self, files: Any, site_dir: Path) -> None:
        """Remember the built files of the pages and assets that come from the folder."""
        folder = str(self.folder.resolve()) + os.sep
        for file in files:
            source = getattr(file, "abs_src_path", None)
            if source and str(Path(source).resolve()).startswith(folder):
                destination = Path(file.abs_dest_path)
                self.outputs[destination] = _read(destination)
        for name in _SITE_FILES:
            self.outputs[site_dir / name] = _read(site_dir / name)

    def restore(self) -> None:
        """Put the folder and the remembered outputs back as they were."""
        for path in self.folder.rglob("*"):
            relative = path.relative_to(self.folder).as_posix()
            if path.is_file() and relative not in self.before:
                path.unlink()  # written by the render being undone
        for relative, data in self.before.items():
            _put(self.folder / relative, data)
        for path, data in self.outputs.items():
            _put(path, data)
