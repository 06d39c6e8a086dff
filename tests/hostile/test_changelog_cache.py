"""The Changelog's cache is a file anyone with the folder could have written: what it
says reaches the page escaped like spec text, and a file that is not one the cache wrote
(another shape, broken JSON, a link elsewhere) is computed again, never a crash."""

from __future__ import annotations

import html
import json
import os
import subprocess
from pathlib import Path

from benchmarks.serve_reload import copy_project
from instamrkt_docs.site.build import build_site
from tests.tools import need

IMG = "<img src=x onerror=alert(1)>"


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    done = subprocess.run([need("git"), "-C", str(repo), *args], check=True,
                          capture_output=True, text=True, env=env)  # fmt: skip
    return done.stdout


def test_a_tampered_cache_reaches_the_page_escaped_or_not_at_all(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "first")
    commit = _git(project, "rev-parse", "HEAD").strip()
    site = project / "site"
    build_site(project / "mkdocs.yml", site)
    cache = project / ".cache" / "instamrkt-docs" / "changelog" / f"{commit}.json"
    assert cache.is_file()
    forged = {"cache": "1", "version": IMG, "changes": [
        {"rule": IMG, "level": IMG, "message": IMG + "\n" + "![x](x){onerror=alert(2)}",
         "reaches": [IMG + "`"], "old": None, "new": None}]}  # fmt: skip
    cache.write_text(json.dumps(forged))
    build_site(project / "mkdocs.yml", site)
    page = (site / "reference" / "changelog" / "index.html").read_text()
    assert IMG in html.unescape(page)  # shown, as text
    assert "<img" not in page and 'onerror="' not in page
    for broken in ("[1, 2", json.dumps([1, 2]), json.dumps({"cache": "1", "version": 1}),
                   json.dumps({**forged, "changes": [{"rule": 1}]})):  # fmt: skip
        cache.write_text(broken)
        build_site(project / "mkdocs.yml", site)
        assert json.loads(cache.read_text())["changes"] == []  # computed again
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(forged))
    cache.unlink()
    cache.symlink_to(outside)
    build_site(project / "mkdocs.yml", site)
    page = (site / "reference" / "changelog" / "index.html").read_text()
    assert IMG not in html.unescape(page)
    assert json.loads(outside.read_text()) == forged  # not written through the link
