"""The site's Changelog page, from the git history of spec/, by version of the API: each
version's release note, what changed since the version before, breaking changes marked,
each linked to the operation it concerns on the reference, and its commits folded."""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest

from benchmarks.serve_reload import copy_project
from instamrkt_docs.site.build import build_site
from tests.tools import need


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A project in git: the specs as they are, a commit that changes a description only,
    then two commits of version 2.0.0 (named a release, with a note): the first removes a
    required field of placeBet's body's answer, the second changes a description."""
    need("git")
    project = copy_project(tmp_path_factory.mktemp("changelog") / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      out: reference\n", "      out: reference\n      releases: ['2.0.0']\n"))  # fmt: skip
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "first")
    spec = project / "spec" / "openapi.yaml"
    text = spec.read_text()
    version = re.search(r"^  version: (\S+)$", text, re.M)
    assert version and "        - stake\n" in text and "  title: " in text
    spec.write_text(text.replace("  title: ", "  title: The ", 1))
    _git(project, "commit", "-q", "-am", "A better title")
    text = spec.read_text().replace(version.group(0), "  version: 2.0.0", 1)
    spec.write_text(text.replace("        - stake\n", "", 1))
    _git(project, "commit", "-q", "-am", "Stake may be absent from bets")
    spec.write_text(spec.read_text().replace("  title: The ", "  title: ", 1))
    notes = project / "spec" / "releases"
    notes.mkdir(exist_ok=True)
    (notes / "2.0.0.md").write_text("## Why\n\nBets may come <b>without</b> a stake now.\n")
    (notes / "1.0.0.md").unlink(missing_ok=True)
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Title back; a note for 2.0.0")
    site = project / "site"
    build_site(config, site)
    return site


def sections(page: str) -> dict[str, str]:
    """The page's parts under each h2, by the heading's text."""
    found = {}
    for part in page.split("<h2 ")[1:]:
        heading = re.sub(r"<[^>]+>", "", part.split("</h2>", 1)[0].split(">", 1)[1])
        found[html.unescape(heading).strip("¶ ")] = part
    return found


def test_the_changelog_is_by_version_with_its_note_changes_and_commits(site: Path) -> None:
    page = (site / "reference" / "changelog" / "index.html").read_text()
    parts = sections(page)
    assert list(parts)[:2] == ["Version 2.0.0", "Version 1.0.0"], list(parts)
    newest = parts["Version 2.0.0"]
    assert "Released" in newest and "Not released" not in newest
    assert '<h3 id="section-why">Why</h3>' in newest  # the note, its heading under the version's
    assert "<b>without</b>" in newest
    # one breaking change since 1.0.0; the two commits of 2.0.0 folded under it
    assert newest.count("<strong>Breaking</strong>") == 1
    assert "response-property-became-optional" in html.unescape(newest)
    assert "2 commits to the specs in this version" in newest
    assert "Stake may be absent from bets" in newest and "Title back" in newest
    links = re.findall(r'href="([^"]+)"', newest)
    assert links, newest[:2000]
    for link in links:  # each one leads to an operation's anchor on a page of the site
        path, _, anchor = link.partition("#")
        target = (site / "reference" / "changelog" / path).resolve()
        target = target / "index.html" if target.is_dir() else target
        assert target.is_file(), link
        assert f'id="{anchor}"' in target.read_text(), link
    first = parts["Version 1.0.0"]
    # the first version: its two commits, the second of which changed nothing a client sees
    assert "The first version in the history" in first and "<strong>" not in first
    assert "A better title" in html.unescape(first) and "nothing a client sees" in first


def test_the_changelog_is_in_the_navigation(site: Path) -> None:
    index = (site / "index.html").read_text()
    assert 'href="reference/changelog/"' in index


def test_release_notes_are_only_the_regular_notes_of_their_folder(tmp_path: Path) -> None:
    """A note is a regular `*.md` file of the folder: not a link (to a file elsewhere),
    nothing over 256 KB, no other suffix; a version never names a path."""
    from instamrkt_docs.diff.history import MAX_NOTE_BYTES, release_notes

    outside = tmp_path / "secret.md"
    outside.write_text("the secret")
    notes = tmp_path / "releases"
    notes.mkdir()
    (notes / "1.0.0.md").write_text("First.")
    (notes / "2.0.0.md").symlink_to(outside)
    (notes / "3.0.0.md").write_text("x" * (MAX_NOTE_BYTES + 1))
    (notes / "4.0.0.txt").write_text("not a note")
    (notes / "5.0.0.md").mkdir()
    assert release_notes(notes) == {"1.0.0": "First."}
    assert release_notes(tmp_path / "missing") == {}
    (tmp_path / "linked").symlink_to(notes)
    assert release_notes(tmp_path / "linked") == {}  # a folder that is a link is not read
