"""Time `instamrkt-docs render` beside Widdershins on GitHub's REST description, then build.

Usage: .venv/bin/python -m benchmarks.render_github [--runs N]

In the same run, one after the other:

- `instamrkt-docs render` of the spec to Markdown pages with samples in three languages;
- Widdershins 4.0.1 (npm) on the same spec to Slate Markdown, with three language tabs
  (shell, Python, JavaScript), as `widdershins --language_tabs ...`;
- the full `instamrkt-docs build` of a site from that spec (render and mkdocs-material).

Each row gives the median wall time and the peak resident memory of the process. Widdershins
is installed once into benchmarks/.cache/ with npm.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import measure
from benchmarks.npm import github_spec, npm_bin

BIN = Path(sys.executable).parent
WIDDERSHINS = "widdershins@4.0.1"
SITE_CONFIG = """\
site_name: GitHub REST API
theme:
  name: material
  font: false
  features: [content.tabs.link]
plugins:
  - search
  - instamrkt-docs:
      specs: [{spec}]
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
nav:
  - Home: index.md
  - REST:
      - reference/rest/index.md
"""


def widdershins() -> Path:
    """The widdershins command, installed once into the cache."""
    return npm_bin(WIDDERSHINS, "widdershins")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    args = parser.parse_args()
    spec = github_spec()
    work = Path(tempfile.mkdtemp(prefix="render-bench-"))
    site = work / "site-project"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# GitHub REST API\n")
    (site / "mkdocs.yml").write_text(SITE_CONFIG.format(spec=spec))
    tools = {
        "instamrkt-docs render": [
            str(BIN / "instamrkt-docs"), "render", str(spec), "--out", str(work / "ours"),
        ],
        "widdershins (3 tabs)": [
            str(widdershins()), str(spec), "-o", str(work / "widdershins.md"),
            "--language_tabs", "shell:Shell", "python:Python", "javascript:JavaScript",
        ],
    }  # fmt: skip
    print(f"spec: {spec} ({spec.stat().st_size / 2**20:.1f} MiB), {args.runs} runs per tool")
    results: dict[str, list[tuple[float, float, int]]] = {}
    for run in range(args.runs):
        for name, command in tools.items():
            if name.startswith("instamrkt"):
                shutil.rmtree(work / "ours", ignore_errors=True)  # render from scratch
            wall, rss, status = measure(command)
            results.setdefault(name, []).append((wall, rss, status))
            print(f"  run {run + 1}: {name:<24} {wall:7.2f} s  {rss:7.0f} MiB  exit {status}")
    build = [str(BIN / "instamrkt-docs"), "build", "--no-validate", "--no-strict"]
    wall, rss, status = measure(build, cwd=site)
    results["instamrkt-docs build (site)"] = [(wall, rss, status)]
    pages = sum(1 for _ in (site / "site").rglob("index.html")) if status == 0 else 0
    print(f"  full build: {wall:7.2f} s  {rss:7.0f} MiB  exit {status}  ({pages} pages)")
    print()
    print(f"{'tool':<28} {'median wall':>12} {'peak RSS':>10}  exit")
    summary = {}
    for name, runs in results.items():
        median = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"{name:<28} {median:10.2f} s {peak:6.0f} MiB  {runs[0][2]}")
        summary[name] = {"median_wall_s": round(median, 2), "peak_rss_mib": round(peak)}
    ours = statistics.median(r[0] for r in results["instamrkt-docs render"])
    theirs = statistics.median(r[0] for r in results["widdershins (3 tabs)"])
    print(f"render time relative to Widdershins: {ours / theirs:.2f}")
    print(json.dumps(summary))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
