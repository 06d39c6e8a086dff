"""The history of the specs as a changelog: each commit that changed them, with its date,
the version it carries and what changed (from its parent), newest first.

Each commit's changes are computed once and kept in a cache folder (a commit never
changes), so a site build only diffs the commits it has not seen.
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
    release: str = ""  # the release this commit is, when its version is named as one


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


def changelog(
    specs: Path, cache: Path, releases: list[str] | None = None, limit: int = MAX_COMMITS
) -> list[Entry]:
    """The entries of the commits that changed the specs folder `specs`, newest first;
    [] outside a git repository."""
    repo = repository(specs)
    if repo is None:
        return []
    inside = specs.resolve().relative_to(repo.resolve()).as_posix() or "."
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
        entry = Entry(commit, date[:10], subject, version, tags, changes)
        if releases and version in releases:
            entry.release = version
        entries.append(entry)
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


def _changes(
    repo: Path, inside: str, parent: str, commit: str, cache: Path
) -> tuple[str, list[dict[str, Any]]] | None:
    kept = cache / f"{commit}.json"
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
