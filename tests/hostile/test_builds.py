"""Builds leave no mess: ordinary permissions, no stale staging folders, one build at a time,
and never a moment without site/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from benchmarks.serve_reload import copy_project

COMMAND = [str(Path(sys.executable).parent / "instamrkt-docs"), "build"]


SMALL_SPEC = """openapi: 3.1.0
info: {title: Small, version: '1'}
paths:
  /a: {get: {operationId: a, tags: [A], responses: {'204': {description: ok}}}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project with one small spec: these tests are about folders, not pages."""
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "spec")
    (project / "spec").mkdir()
    (project / "spec" / "openapi.yaml").write_text(SMALL_SPEC)
    return project


def build(project: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*COMMAND, "--no-strict"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip


def test_builds_leave_no_mess_take_turns_and_the_site_never_disappears(project: Path) -> None:
    stale = project / ".site.new-killed"
    (stale / "assets").mkdir(parents=True)
    (stale / "index.html").write_text("left by a build that was killed")
    mine = project / ".site.notes"  # not a staging folder: not ours to remove
    mine.write_text("mine")
    first = build(project)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    umask = os.umask(0)
    os.umask(umask)
    assert (project / "site").stat().st_mode & 0o777 == 0o777 & ~umask
    assert not stale.exists()
    assert mine.read_text() == "mine"

    index = project / "site" / "index.html"
    missing: list[bool] = []
    done = threading.Event()

    def watch() -> None:  # looks, every few milliseconds, for the gap a swap must not leave
        while not done.wait(0.002):
            missing.append(not index.exists())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    builds = [build(project), build(project)]
    results = [process.communicate(timeout=300) for process in builds]
    done.set()
    watcher.join()
    assert [process.returncode for process in builds] == [0, 0], results
    assert any("waiting for another build" in err for _, err in results)
    assert missing and not any(missing)
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site.new")) == []
