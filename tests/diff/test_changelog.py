"""The site's Changelog page, from the git history of spec/: each commit that changed the
specs, its date and version, and its changes, breaking ones marked, each linked to the
operation it concerns on the reference; versions named as releases are headed so."""

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
    """A project in git: the specs as they are, then a commit that removes a required
    field of placeBet's body's answer and bumps the version to 2.0.0, named a release."""
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
    assert version and "        - stake\n" in text
    text = text.replace(version.group(0), "  version: 2.0.0", 1)
    spec.write_text(text.replace("        - stake\n", "", 1))
    _git(project, "commit", "-q", "-am", "Stake may be absent from bets")
    site = project / "site"
    build_site(config, site)
    return site


def test_the_changelog_page_lists_the_commit_and_links_each_change(site: Path) -> None:
    page = (site / "reference" / "changelog" / "index.html").read_text()
    assert "Release 2.0.0" in page and "Stake may be absent from bets" in page
    entry = next(part for part in page.split("<h2 ")[1:] if "Stake may be absent" in part)
    assert "<strong>Breaking</strong>" in entry
    assert "response-property-became-optional" in html.unescape(entry)
    links = re.findall(r'href="([^"]+)"', entry)
    assert links, entry[:2000]
    for link in links:  # each one leads to an operation's anchor on a page of the site
        path, _, anchor = link.partition("#")
        target = (site / "reference" / "changelog" / path).resolve()
        target = target / "index.html" if target.is_dir() else target
        assert target.is_file(), link
        assert f'id="{anchor}"' in target.read_text(), link
    assert "first" in page  # the first commit: its version, nothing before it to compare


def test_the_changelog_is_in_the_navigation(site: Path) -> None:
    index = (site / "index.html").read_text()
    assert 'href="reference/changelog/"' in index
