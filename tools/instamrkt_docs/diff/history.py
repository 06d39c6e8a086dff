"""The history of the specs as a changelog: each commit that changed them, with its date,
the version it carries and what changed (from its parent), newest first; and the same
history by version of the API (`info.version`), each version with what changed since the
version before it, its commits, and the release note written for it.

Each commit's changes, and each version's, are computed once and kept in a cache folder (a
commit never changes), so a site build only diffs the commits it has not seen.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from instamrkt_docs.diff import compare, side
from instamrkt_docs.errors import InstamrktDocsError

MAX_COMMITS = 60  # the newest commits the page lists
CACHE_VERSION = "1"


@dataclass
class Entry:
    """One commit that changed the specs."""

    commit: str
    date: str
    subject: str
    version: str
    tags: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    parent: str = ""  # its first parent ("" for the first commit)


@dataclass
class Version:
    """The commits of one version of the API, newest first, and what changed in it."""

    version: str
    commits: list[Entry]
    changes: list[dict[str, Any]]  # since the version before it (its first commit's parent)
    released: bool  # named as a release, tagged, or given a release note
    note: str = ""  # the release note (Markdown), if one was written
    first: bool = False  # no version before it in the history

    @property
    def date(self) -> str:
        return self.commits[0].date

    @property
    def tags(self) -> list[str]:
        return [tag for entry in self.commits for tag in entry.tags]


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def repository(folder: Path) -> Path | None:
    """The git repository a folder is in, or None."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    return Path(top.strip()) if top else None


def changelog(specs: Path, cache: Path, limit: int = MAX_COMMITS) -> list[Entry]:
    """The entries of the commits that changed the specs folder `specs`, newest first;
    [] outside a git repository."""
    located = _located(specs)
    return _entries(*located, cache, limit) if located else []


def _located(specs: Path) -> tuple[Path, str] | None:
    """The repository the specs folder is in, and the folder's path inside it."""
    repo = repository(specs)
    if repo is None:
        return None
    return repo, specs.resolve().relative_to(repo.resolve()).as_posix() or "."


def _entries(repo: Path, inside: str, cache: Path, limit: int) -> list[Entry]:
    log = _git(repo, "log", f"-{limit}", "--format=%H%x00%P%x00%cI%x00%s%x00%D", "--", inside)
    if not log:
        return []
    entries = []
    for line in log.splitlines():
        commit, parents, date, subject, refs = (line.split("\x00") + [""] * 5)[:5]
        parent = parents.split()[0] if parents else ""
        tags = [r.strip()[5:] for r in refs.split(",") if r.strip().startswith("tag: ")]
        found = _changes(repo, inside, parent, commit, cache)
        if found is None:
            continue
        version, changes = found
        entries.append(Entry(commit, date[:10], subject, version, tags, changes, parent))
    return entries


MAX_CACHE_BYTES = 32 * 1024 * 1024
_CHANGE_TEXT = ("rule", "level", "message")


def _cached(kept: Path) -> tuple[str, list[dict[str, Any]]] | None:
    """A commit's version and changes as the cache has them, if the file is one the cache
    wrote: a regular file of bounded size, the JSON of this cache version, each change
    with text where text belongs. Anything else is computed again (and the file replaced)."""
    try:
        if kept.is_symlink() or not kept.is_file() or kept.stat().st_size > MAX_CACHE_BYTES:
            return None
        data = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("cache") != CACHE_VERSION:
        return None
    version, changes = data.get("version"), data.get("changes")
    if not isinstance(version, str) or not isinstance(changes, list):
        return None
    for change in changes:
        if not isinstance(change, dict):
            return None
        if not all(isinstance(change.get(key), str) for key in _CHANGE_TEXT):
            return None
        reaches = change.get("reaches")
        if not isinstance(reaches, list) or not all(isinstance(r, str) for r in reaches):
            return None
    return version, changes


MAX_NOTE_BYTES = 256 * 1024


def versions(
    specs: Path,
    cache: Path,
    releases: list[str] | None = None,
    notes: Path | None = None,
    limit: int = MAX_COMMITS,
) -> list[Version]:
    """The history of the specs folder `specs` by version, newest first: each run of
    commits carrying the same `info.version`, with the changes from the commit before its
    first to its newest. `notes` is a folder of release notes, `<version>.md` each."""
    located = _located(specs)
    if located is None:
        return []
    repo, inside = located
    entries = _entries(repo, inside, cache, limit)
    if not entries:
        return []
    written = release_notes(notes)
    runs: list[list[Entry]] = []
    for entry in entries:
        if runs and runs[-1][0].version == entry.version:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    found = []
    for run in runs:
        newest, oldest = run[0], run[-1]
        changes = oldest.changes  # the first version: its first commit's own (none)
        if len(run) == 1:
            changes = newest.changes
        elif oldest.parent:
            since = _changes(repo, inside, oldest.parent, newest.commit, cache, True)
            changes = since[1] if since is not None else []
        note = written.get(newest.version, "")
        named = bool(releases and newest.version in releases)
        tagged = any(entry.tags for entry in run)
        found.append(Version(newest.version, run, changes, named or tagged or bool(note), note))
    found[-1].first = not found[-1].commits[-1].parent
    return found


def release_notes(folder: Path | None) -> dict[str, str]:
    """The release notes in `folder`: {version: Markdown} of each regular `*.md` file in it
    (no link, none over MAX_NOTE_BYTES). A file is found by listing the folder, never by a
    path made from a version, which is spec text."""
    notes: dict[str, str] = {}
    if folder is None or folder.is_symlink() or not folder.is_dir():
        return notes
    for path in sorted(folder.iterdir()):
        try:
            if path.suffix != ".md" or path.is_symlink() or not path.is_file():
                continue
            if path.stat().st_size > MAX_NOTE_BYTES:
                continue
            notes[path.stem] = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return notes


def _changes(
    repo: Path, inside: str, parent: str, commit: str, cache: Path, span: bool = False
) -> tuple[str, list[dict[str, Any]]] | None:
    """The version at `commit` and its changes from `parent` (its parent, or with `span`
    any earlier commit: a version's changes), from the cache when they are there."""
    kept = cache / (f"{parent}..{commit}.json" if span else f"{commit}.json")
    found = _cached(kept)
    if found is not None:
        return found
    try:
        with side(f"{commit}:{inside}", repo) as new:
            version = next(
                (
                    str((d.data.get("info") or {}).get("version", ""))
                    for d in new.documents.values()
                    if d.kind == "openapi" and isinstance(d.data, dict)
                ),
                "",
            )
            changes = []
            if parent:
                try:
                    with side(f"{parent}:{inside}", repo) as old:
                        changes = [c.as_json() for c in compare(old, new)]
                except InstamrktDocsError:
                    changes = []  # the specs' first commit: nothing before to compare
    except InstamrktDocsError:
        return None  # a commit whose specs cannot be read (none yet there, broken YAML)
    cache.mkdir(parents=True, exist_ok=True)
    partial = kept.with_suffix(".partial")
    partial.unlink(missing_ok=True)  # never written through a link left in its place
    partial.write_text(json.dumps({"cache": CACHE_VERSION, "version": version, "changes": changes}))
    partial.replace(kept)
    return version, changes
