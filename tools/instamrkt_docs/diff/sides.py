"""The two sides of a diff: a spec file, a folder of specs, or a git revision of them.

A revision (`REV:path`, or `--base REV` for spec/) is read with `git show` into a folder of
our own, removed afterwards; its files are shown as `REV:path`.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from instamrkt_docs.errors import UsageError
from instamrkt_docs.escaping import terminal
from instamrkt_docs.load import Document, Workspace
from instamrkt_docs.load.discover import find_specs
from instamrkt_docs.load.documents import MAX_BYTES
from instamrkt_docs.load.versions import refuse_unsupported

MAX_FILES = 2000  # files read from one revision


@dataclass
class Side:
    """The spec documents of one side, by their path within it."""

    label: str
    workspace: Workspace
    root: Path = Path()
    documents: dict[str, Document] = field(default_factory=dict)
    # a revision's files are read from a folder of ours: (that folder as files are shown
    # under it, what to show instead: "REV:")
    rename: tuple[str, str] | None = None

    def show(self, file: str) -> str:
        """A file as the reader knows it (`REV:spec/openapi.yaml` for a revision's)."""
        if self.rename and file.startswith(self.rename[0]):
            return self.rename[1] + file[len(self.rename[0]) :]
        return file


def _load(label: str, root: Path, paths: list[Path]) -> Side:
    workspace = Workspace(roots=[root])
    side = Side(label, workspace, root)
    for path, explicit in find_specs(paths):
        document = workspace.load(path)
        if document.kind in ("openapi", "asyncapi", "arazzo"):
            refuse_unsupported(workspace, document)
            key = (
                str(path.resolve().relative_to(root.resolve()))
                if root in path.resolve().parents or path.resolve() == root.resolve()
                else path.name
            )
            side.documents[key] = document
        elif explicit:
            raise UsageError(f"{path}: not an OpenAPI, AsyncAPI or Arazzo document")
    if not side.documents:
        raise UsageError(f"{label}: no spec found")
    return side


@contextlib.contextmanager
def side(spec: str, repository: Path) -> Iterator[Side]:
    """One side: a path, or `REV:path` read from the git repository at `repository`."""
    path = Path(spec)
    if path.exists() or ":" not in spec:
        if not path.exists():
            raise UsageError(f"{spec}: no such file or folder")
        root = path if path.is_dir() else path.parent
        yield _load(spec, root, [path])
        return
    revision, _, inside = spec.partition(":")
    with tempfile.TemporaryDirectory(prefix="instamrkt-diff-") as folder:
        root = Path(folder)
        if revision.startswith("-"):
            raise UsageError(f"not a revision: {revision}")
        try:
            listing = _git_bytes(
                repository, "ls-tree", "-r", "-z", "-l", revision, "--", inside or "."
            )
        except UsageError as exc:
            raise UsageError(f"{revision}: not a revision of {repository} ({exc})") from exc
        names = _blobs(listing, revision)
        if not names:
            raise UsageError(f"{spec}: no files at {inside or 'the root'} in {revision}")
        for name in names[:MAX_FILES]:
            target = root / name
            if not target.resolve().is_relative_to(root.resolve()):
                raise UsageError(f"{revision}: {terminal(name)!r} leads outside the revision")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git_bytes(repository, "show", f"{revision}:{name}"))
        top = root / inside if inside else root
        loaded = _load(spec, top if top.is_dir() else top.parent, [top])
        any_document = next(iter(loaded.documents.values()))
        relative = any_document.path.relative_to(root).as_posix()
        shown_root = any_document.display[: len(any_document.display) - len(relative)]
        loaded.rename = (shown_root, f"{revision}:")
        yield loaded


def _blobs(listing: bytes, revision: str) -> list[str]:
    """The files of `git ls-tree -r -z -l`: regular files and links (read as their text),
    no submodules; a name that is absolute, climbs (`..`), names `.git` or is not UTF-8
    is refused, and so is a file larger than the workspace reads."""
    names = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        info, _, raw = entry.partition(b"\t")
        fields = info.split()
        if len(fields) != 4 or fields[1] != b"blob":
            continue
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{revision}: a file name that is not UTF-8: {raw[:80]!r}") from None
        parts = name.split("/")
        if name.startswith("/") or any(p in ("", ".", "..", ".git") for p in parts):
            raise UsageError(f"{revision}: the tree entry {terminal(name)!r} is refused")
        if fields[3].isdigit() and int(fields[3]) > MAX_BYTES:
            raise UsageError(f"{revision}: {terminal(name)!r} is larger than the workspace reads")
        names.append(name)
    return names


def _git_bytes(repository: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(repository), *args], capture_output=True, timeout=120, check=False
        )
    except FileNotFoundError as exc:
        raise UsageError("git is needed to read a revision, and is not installed") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return result.stdout
