"""Shared test helpers."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

from instamrkt_docs.cli import main

# In CI, hypothesis draws the same cases in every run: a failure there is a fault of the
# code, never the luck of a draw; a run here draws new ones each time.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SPEC = ROOT / "spec"


@dataclass
class Run:
    """What one CLI run printed and returned."""

    status: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def cli() -> Iterator:
    """Run `instamrkt-docs` in process, from the repository's root folder."""

    def run(*args: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = main(list(args))
        return Run(status, out.getvalue(), err.getvalue())

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        yield run
    finally:
        os.chdir(cwd)


# The site the tests read is published under a sub-path, as many are (its 404 page takes
# its links from there): the browser tests load it from `http://127.0.0.1:PORT/docs/`.
SUB_PATH = "docs"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The project's site, built once for the whole run, whichever worker asks first.

    Built from a copy of the project whose `site_url` has the path `/docs/`, into a folder
    named `docs` (the host's root is its parent). Under pytest-xdist each worker has a base
    folder of its own inside the run's folder; the site goes in the run's folder, built
    under a lock. Tests only read it.
    """
    from benchmarks.serve_reload import copy_project
    from instamrkt_docs.site.build import build_site

    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    site_dir = shared / "host" / SUB_PATH
    with FileLock(str(shared / "site.lock")):
        if not (site_dir / "index.html").exists():
            project = copy_project(shared / "project")
            config = project / "mkdocs.yml"
            text = config.read_text()
            assert 'site_url: ""' in text
            config.write_text(
                text.replace('site_url: ""', f'site_url: "https://docs.example.com/{SUB_PATH}/"')
            )
            build_site(config, site_dir)
    return site_dir
