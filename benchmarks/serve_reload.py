"""Live reload of `instamrkt-docs serve`: start times, and from saving a spec to the page
showing the change in Chromium.

Usage: .venv/bin/python -m benchmarks.serve_reload [--edits 5]

Works on a copy of the project in a temporary folder (mkdocs.yml, spec/, docs/), served on a
free loopback port: a first start (nothing built yet), a second start (the serve folder of
the first kept), then `--edits` edits of an operation's summary in spec/openapi.yaml, each
timed from the write to the new text in the page that Chromium shows, with the number of
builds each one caused and the build's own time. Each edit comes `--pause` seconds after the
page last showed (3 s: a writer reads before saving again; the page's search index is built
in those seconds, and an edit saved during that work competes with it for the 2 cores).
Prints one line per measure, then JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import free_port

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [str(Path(sys.executable).parent / "instamrkt-docs"), "serve"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
BUILT = "Documentation built in"
SERVING = "Serving on http"  # logged once the server listens and the watcher has looked
# True once a heading of the page has the text (cheaper than reading the whole page's text).
SHOWS = "t => [...document.querySelectorAll('h2')].some(h => h.textContent.includes(t))"


def copy_project(target: Path) -> Path:
    """A copy of what the site is built from, to edit freely; node_modules is linked."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "spec", target / "spec")
    shutil.copytree(ROOT / "docs", target / "docs", ignore=shutil.ignore_patterns("reference"))
    if (ROOT / "node_modules").exists():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


class Serving:
    """`instamrkt-docs serve` running in a project folder, its log in a file."""

    def __init__(self, project: Path, port: int, options: tuple[str, ...] = ()) -> None:
        self.project = project
        self.port = port
        self.options = options  # more of serve's options
        self.url = f"http://127.0.0.1:{port}"
        self.log_file = project / f"serve-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, guard: float = 120) -> float:
        """Start and wait until it serves and watches; the seconds that took.

        The port answers a moment before the file watcher has taken its first look at the
        files: an edit made in between would never be seen, so the wait is for the log line
        that comes after both (MkDocs' "Serving on").
        """
        started = time.perf_counter()
        with self.log_file.open("w") as log:
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            self.process = subprocess.Popen(
                [*COMMAND, "--dev-addr", f"127.0.0.1:{self.port}", *self.options],
                cwd=self.project,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve ended with {self.process.returncode}:\n{self.log()}")
            if SERVING in self.log() and self._answers():
                return time.perf_counter() - started
            if time.perf_counter() - started > guard:
                raise RuntimeError(f"serve did not answer in {guard} s:\n{self.log()}")
            time.sleep(0.05)  # polling the log and the port for the server to be up

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def builds(self) -> int:
        """How many builds have finished so far."""
        return self.log().count(BUILT)

    def wait_for_builds(self, count: int, guard: float = 60) -> None:
        """Wait until `count` builds have finished (the log says so)."""
        deadline = time.perf_counter() + guard
        while self.builds() < count:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no build {count} in {guard} s:\n{self.log()}")
            time.sleep(0.05)  # polling the log file for the build's line

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def edit_summary(project: Path, new: str) -> None:
    """Give the blockPool operation a new summary (a one-line change in openapi.yaml)."""
    spec = project / "spec" / "openapi.yaml"
    text = spec.read_text()
    pattern = r"(?m)^(      summary: )Block betting.*$"
    text, count = re.subn(pattern, lambda m: m.group(1) + new, text, count=1)
    assert count == 1, "the blockPool summary is not where it was"
    spec.write_text(text)


def open_browser(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)


def build_seconds(log: str) -> list[float]:
    """The time of each build, as MkDocs logs it."""
    return [float(s) for s in re.findall(BUILT + r" ([0-9.]+) seconds", log)]


def measure_reloads(serving: Serving, edits: int, pause: float = 3) -> list[tuple[float, int]]:
    """(seconds from the write to the new text on the page, builds it caused) per edit."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = open_browser(playwright)
        page = browser.new_page()
        page.goto(f"{serving.url}/reference/rest/pools/")
        for index in range(edits):
            time.sleep(pause)  # the writer reads the page before the next save
            text = f"Block betting, edit {index + 1}"
            before = serving.builds()
            started = time.perf_counter()
            edit_summary(serving.project, text)
            page.wait_for_function(SHOWS, arg=text, timeout=60_000)
            seconds = time.perf_counter() - started
            serving.wait_for_builds(before + 1)
            results.append((seconds, serving.builds() - before))
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--pause", type=float, default=3, help="seconds between edits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-reload-") as folder:
        project = copy_project(Path(folder) / "project")
        first = Serving(project, free_port())
        cold = first.start()
        first.stop()
        second = Serving(project, free_port())
        warm = second.start()
        try:
            reloads = measure_reloads(second, args.edits, args.pause)
            time.sleep(1)  # a build after the last edit would show up in the log by now
            extra = second.builds() - 1 - sum(builds for _, builds in reloads)
            builds = build_seconds(second.log())[1:]
        finally:
            second.stop()
    print(f"first start answers after {cold:.2f} s")
    print(f"second start answers after {warm:.2f} s")
    for (seconds, count), build in zip(reloads, builds, strict=False):
        plural = "s" if count != 1 else ""
        print(f"edit shown after {seconds:.2f} s ({count} build{plural}, of {build:.2f} s)")
    times = sorted(seconds for seconds, _ in reloads)
    print(f"median {times[len(times) // 2]:.2f} s, worst {times[-1]:.2f} s; builds after: {extra}")
    summary = {
        "first_start_s": round(cold, 2),
        "second_start_s": round(warm, 2),
        "reload_s": [round(s, 2) for s, _ in reloads],
        "builds_per_edit": [b for _, b in reloads],
        "build_s": builds,
        "builds_after": extra,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
