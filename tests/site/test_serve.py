"""`instamrkt-docs serve` on a copy of the project: a saved spec shows after exactly one
build, a spec with findings leaves the last good pages served, and a second start builds
nothing that has not changed. Each wait is for an event (the port, a line in the log, a
page's new text) with a timeout only as a guard; how fast it is, benchmarks/serve_reload.py
measures."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.measure import free_port
from benchmarks.serve_reload import Serving, copy_project, edit_summary

pytestmark = pytest.mark.xdist_group("serve")
POOLS = "/reference/rest/pools/"


def fetch(serving: Serving, path: str) -> str:
    with urllib.request.urlopen(serving.url + path, timeout=30) as response:
        return response.read().decode()


def wait_for_page(serving: Serving, path: str, text: str, guard: float = 60) -> None:
    """Wait until the served page has `text` (the build that puts it there has ended)."""
    deadline = time.monotonic() + guard
    while text not in fetch(serving, path):
        assert time.monotonic() < deadline, f"{text!r} not on {path} after {guard} s"
        time.sleep(0.1)  # polling the page for the event


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("serve") / "project")


@pytest.fixture(scope="module")
def serving(project: Path) -> Iterator[Serving]:
    serving = Serving(project, free_port())
    serving.start()
    yield serving
    serving.stop()


def test_a_saved_spec_shows_after_exactly_one_build(serving: Serving) -> None:
    assert serving.builds() == 1
    edit_summary(serving.project, "Block betting for a moment")
    wait_for_page(serving, POOLS, "Block betting for a moment")
    serving.wait_for_builds(2)
    edit_summary(serving.project, "Block betting, once more")
    wait_for_page(serving, POOLS, "Block betting, once more")
    serving.wait_for_builds(3)
    # The pages render wrote must not have started builds of their own: a build that
    # started would be in the log before the next edit's own.
    edit_summary(serving.project, "Block betting, third edit")
    wait_for_page(serving, POOLS, "Block betting, third edit")
    serving.wait_for_builds(4)
    assert serving.log().count("Building documentation") == 4


def test_a_spec_with_findings_keeps_the_last_good_pages(serving: Serving) -> None:
    before = serving.builds()
    edit_summary(serving.project, "Block betting, good")
    wait_for_page(serving, POOLS, "Block betting, good")
    serving.wait_for_builds(before + 1)

    spec = serving.project / "spec" / "openapi.yaml"
    good = spec.read_text()
    broken = good.replace("summary: Block betting, good", "summary: Block betting, broken", 1)
    spec.write_text(broken.replace("operationId: getBet", "operationId: getGame", 1))
    serving.wait_for_builds(before + 2)
    assert "the specs have findings; the last good pages stay" in serving.log()
    assert "operationId 'getGame' is not unique" in serving.log()
    page = fetch(serving, POOLS)
    assert "Block betting, good" in page and "Block betting, broken" not in page
    rendered = serving.project / "docs" / "reference" / "rest" / "pools.md"
    assert "Block betting, broken" not in rendered.read_text()

    spec.write_text(good.replace("Block betting, good", "Block betting, fixed", 1))
    wait_for_page(serving, POOLS, "Block betting, fixed")


def test_a_second_start_rebuilds_nothing_that_did_not_change(project: Path) -> None:
    first = Serving(project, free_port())
    first.start()
    first.stop()
    built = project / ".cache" / "instamrkt-docs" / "serve" / "reference" / "rest" / "bets"
    stamp = (built / "index.html").stat().st_mtime_ns
    second = Serving(project, free_port())
    second.start()
    try:
        assert "Block betting" in fetch(second, POOLS)
        assert "Bets" in fetch(second, "/reference/rest/bets/")
        assert fetch(second, "/search/search_index.json").count('"location"') > 100
    finally:
        second.stop()
    assert (built / "index.html").stat().st_mtime_ns == stamp


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux); a thread that ends while it is read has none."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "children").read_text().split()
        except OSError:  # the thread ended between the listing and the reading
            continue
        found += [int(child) for child in text]
    return found


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # a zombie has ended


def ended(pid: int, guard: float) -> bool:
    """Whether a process (not ours to wait for: a grandchild) ends within `guard` seconds:
    its pidfd becomes readable when it does."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        return True  # already gone
    try:
        readable, _, _ = select.select([descriptor], [], [], max(guard, 0))
        return bool(readable) or gone(pid)
    finally:
        os.close(descriptor)


def test_a_stopped_serve_leaves_no_process_behind(project: Path) -> None:
    serving = Serving(project, free_port())
    helpers: list[int] = []
    try:
        serving.start()
        assert serving.process is not None
        helpers = children(serving.process.pid)
        assert helpers, "the validation worker runs beside the server"
    finally:
        serving.stop()
    try:
        deadline = time.monotonic() + 30
        for pid in helpers:
            assert ended(pid, deadline - time.monotonic()), "a helper of serve outlived it"
    finally:  # whatever happened, nothing of this test outlives it
        for pid in helpers:
            if not gone(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def test_serve_goes_on_with_findings_when_asked_and_prints_them(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("operationId: getBet", "operationId: getGame", 1))
    serving = Serving(project, free_port(), ("--allow-findings",))
    serving.start()
    try:
        assert "Settle a pool" in fetch(serving, POOLS)
        log = serving.log()
        assert "built all the same (allow_findings)" in log
        assert "operationId 'getGame' is not unique" in log
    finally:
        serving.stop()
