"""Big specs, beside the peer tools, in one run: validate, render, build, page weight, growth.

Usage: .venv/bin/python -m benchmarks.big_specs [--runs 3] [--scales 1,2,4,8]
                                                [--growth-runs N] [--spec FILE]

On GitHub's REST description (npm package @octokit/openapi), each row a median of
`--runs` runs, the tools of a row taking turns run by run, with the peak resident memory of
each process:

- validate: `instamrkt-docs validate`, `redocly lint` (@redocly/cli) and
  openapi-spec-validator;
- render to Markdown: `instamrkt-docs render` and Widdershins (three language tabs);
- full build of a site: `instamrkt-docs build --no-validate --no-strict` from nothing (the
  spec has findings, and `redocly build-docs` does not lint either) and `redocly build-docs`;
- the biggest page of each site: its bytes of HTML, and Chromium's time to first
  contentful paint over a loopback static server (median of 3 loads, cache cold);
- growth: the full build of specs with 1x, 2x, 4x and 8x GitHub's operations (see
  benchmarks/synthetic.py), and the biggest page of each.

Then the targets of issues 11 and 20, each with its measure and whether it is met, and JSON. The
npm tools are installed once into benchmarks/.cache/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.measure import measure
from benchmarks.npm import CACHE, github_spec, npm_bin
from benchmarks.render_github import SITE_CONFIG, widdershins
from benchmarks.synthetic import operations, write_scaled

BIN = Path(sys.executable).parent
REDOCLY = "@redocly/cli@2.77.0"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
FIRST_PAINT = """() => new Promise(done => new PerformanceObserver((list, observer) => {
  const paint = list.getEntries().find(e => e.name === 'first-contentful-paint');
  if (paint) { observer.disconnect(); done(paint.startTime); }
}).observe({type: 'paint', buffered: true}))"""


def turns(tools: dict[str, list[str]], runs: int, cwd: dict[str, Path] | None = None,
          before: dict[str, Any] | None = None) -> dict[str, dict[str, float]]:  # fmt: skip
    """Each tool run `runs` times, taking turns; median wall time and peak memory."""
    results: dict[str, list[tuple[float, float, int]]] = {}
    for run in range(runs):
        for name, command in tools.items():
            if before and name in before:
                before[name]()
            wall, rss, status = measure(command, cwd=(cwd or {}).get(name))
            results.setdefault(name, []).append((wall, rss, status))
            print(f"  run {run + 1}: {name:<34} {wall:7.2f} s {rss:6.0f} MiB  exit {status}")
    return {
        name: {
            "median_s": round(statistics.median(r[0] for r in rows), 2),
            "peak_mib": round(max(r[1] for r in rows)),
            "exit": rows[0][2],
        }
        for name, rows in results.items()
    }


def site_project(work: Path, spec: Path) -> Path:
    """A MkDocs project with one spec, as a provider would set it up."""
    project = work / f"site-{spec.stem}"
    (project / "docs").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "index.md").write_text("# API\n")
    (project / "mkdocs.yml").write_text(SITE_CONFIG.format(spec=spec))
    return project


def from_nothing(project: Path) -> None:
    """Remove what a build of the project made, so the next one starts from nothing."""
    for made in ("site", "docs/reference"):
        shutil.rmtree(project / made, ignore_errors=True)


def biggest(folder: Path) -> Path:
    return max(folder.rglob("*.html"), key=lambda p: p.stat().st_size)


def first_paint_ms(root: Path, page: Path, loads: int = 3) -> float:
    """Median time to first contentful paint of `page` (under `root`), in Chromium."""
    from playwright.sync_api import sync_playwright

    handler = partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page.relative_to(root).as_posix()}"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                tab = context.new_page()
                tab.goto(url, wait_until="commit")
                times.append(tab.evaluate(FIRST_PAINT))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return round(statistics.median(times))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    parser.add_argument("--scales", default="1,2,4,8", help="growth scales (default 1,2,4,8)")
    parser.add_argument("--growth-runs", type=int, help="runs per scale (default: --runs)")
    parser.add_argument("--spec", type=Path, help="another OpenAPI spec instead of GitHub's")
    args = parser.parse_args()
    spec = (args.spec or github_spec()).resolve()
    redocly = str(npm_bin(REDOCLY, "redocly"))
    work = Path(tempfile.mkdtemp(prefix="big-specs-"))
    ours = str(BIN / "instamrkt-docs")
    report: dict[str, Any] = {"spec": str(spec), "operations": operations(spec)}
    print(f"spec: {spec} ({spec.stat().st_size / 2**20:.1f} MiB, {report['operations']} "
          f"operations), {args.runs} runs per tool")  # fmt: skip
    try:
        print("validate")
        report["validate"] = turns({
            "instamrkt-docs validate": [ours, "validate", str(spec)],
            "redocly lint": [redocly, "lint", str(spec)],
            "openapi-spec-validator": [str(BIN / "openapi-spec-validator"), str(spec)],
        }, args.runs)  # fmt: skip
        print("render to Markdown")
        report["render"] = turns({
            "instamrkt-docs render": [ours, "render", str(spec), "--out", str(work / "md")],
            "widdershins (3 tabs)": [str(widdershins()), str(spec), "-o", str(work / "w.md"),
                "--language_tabs", "shell:Shell", "python:Python", "javascript:JavaScript"],
        }, args.runs, before={"instamrkt-docs render": lambda: shutil.rmtree(
            work / "md", ignore_errors=True)})  # fmt: skip
        project = site_project(work, spec)
        redoc_html = work / "redoc" / "index.html"
        print("full build of a site")
        report["build"] = turns({
            "instamrkt-docs build": [ours, "build", "--no-validate", "--no-strict"],
            "redocly build-docs": [redocly, "build-docs", str(spec), "-o", str(redoc_html)],
        }, args.runs, cwd={"instamrkt-docs build": project},
           before={"instamrkt-docs build": lambda: from_nothing(project)})  # fmt: skip
        print("biggest page")
        pages = {}
        for name, root in (("instamrkt-docs", project / "site"), ("redocly", redoc_html.parent)):
            page = biggest(root)
            pages[name] = {
                "page": page.relative_to(root).as_posix(),
                "html_bytes": page.stat().st_size,
                "first_paint_ms": first_paint_ms(root, page),
                "pages": sum(1 for _ in root.rglob("*.html")),
            }
            print(f"  {name:<16} {pages[name]['html_bytes'] / 2**20:6.2f} MiB "
                  f"{pages[name]['first_paint_ms']:6} ms  {pages[name]['page']} "
                  f"(of {pages[name]['pages']} pages)")  # fmt: skip
        report["biggest_page"] = pages
        report["growth"] = growth(args, spec, work, ours)
        targets(report)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report))
    return 0


def growth(args: argparse.Namespace, spec: Path, work: Path, ours: str) -> dict[str, Any]:
    """The full build at each scale of the spec's operations."""
    rows = {}
    for factor in [int(s) for s in args.scales.split(",")]:
        scaled = write_scaled(spec, factor, CACHE / "synthetic")
        project = site_project(work, scaled)
        print(f"growth x{factor}: {operations(scaled)} operations")
        row = turns({f"build x{factor}": [ours, "build", "--no-validate", "--no-strict"]},
                    args.growth_runs or args.runs, cwd={f"build x{factor}": project},
                    before={f"build x{factor}": lambda p=project: from_nothing(p)})  # fmt: skip
        page = biggest(project / "site")
        rows[f"x{factor}"] = {**row[f"build x{factor}"], "operations": operations(scaled),
                              "biggest_page_bytes": page.stat().st_size}  # fmt: skip
        from_nothing(project)
    return rows


def targets(report: dict[str, Any]) -> None:
    """The targets (issues 11 and 20): each with its measure and whether it is met."""
    validate, build = report["validate"], report["build"]
    ours_validate = validate["instamrkt-docs validate"]["median_s"]
    lint = validate["redocly lint"]["median_s"]
    ours_build = build["instamrkt-docs build"]["median_s"]
    page = report["biggest_page"]["instamrkt-docs"]
    rows = [
        ("validate at most 1.0x redocly lint", f"{ours_validate / lint:.2f}x",
         ours_validate <= lint),
        ("full build under 20 s", f"{ours_build:.1f} s", ours_build < 20),
        ("full build at most 3x redocly build-docs",
         f"{ours_build / build['redocly build-docs']['median_s']:.1f}x",
         ours_build <= 3 * build["redocly build-docs"]["median_s"]),
        ("peak memory of a full build under 1 GB",
         f"{build['instamrkt-docs build']['peak_mib']} MiB",
         build["instamrkt-docs build"]["peak_mib"] < 1024),
        ("no page over 1 MB of HTML", f"{page['html_bytes'] / 1e6:.2f} MB",
         page["html_bytes"] <= 1_000_000),
        ("biggest page paints within 1 s", f"{page['first_paint_ms']} ms",
         page["first_paint_ms"] <= 1000),
    ]  # fmt: skip
    grown = report["growth"]
    if "x1" in grown and "x8" in grown:
        ratio = grown["x8"]["median_s"] / grown["x1"]["median_s"]
        rows.append(("build at 8x operations at most 8x 1x", f"{ratio:.2f}x", ratio <= 8))
    report["targets"] = {name: {"measure": value, "met": met} for name, value, met in rows}
    print("\ntargets")
    for name, value, met in rows:
        print(f"  {'met    ' if met else 'NOT MET'}  {name:<42} {value}")


if __name__ == "__main__":
    sys.exit(main())
