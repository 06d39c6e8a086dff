"""Time `instamrkt-docs validate` beside openapi-spec-validator on GitHub's REST description.

Usage: .venv/bin/python -m benchmarks.validate_github [--runs N] [--spec FILE]

The spec comes from the npm package `@octokit/openapi` (fetched once with `npm pack` into
benchmarks/.cache/, see benchmarks/npm.py). Both tools run as separate processes, one after
the other, in the same run; the table gives the wall time of each run and the peak resident
memory of the process.

openapi-spec-validator checks the document against the official OpenAPI schema only;
`instamrkt-docs validate` runs that same validator and then checks every `$ref`, every
example against its schema, unique names and path parameters, so it does strictly more.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

from benchmarks.measure import measure
from benchmarks.npm import github_spec

BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    parser.add_argument("--spec", type=Path, help="another spec instead of GitHub's")
    args = parser.parse_args()
    spec = args.spec or github_spec()
    tools = {
        "openapi-spec-validator": [str(BIN / "openapi-spec-validator"), str(spec)],
        "instamrkt-docs validate": [str(BIN / "instamrkt-docs"), "validate", str(spec)],
    }
    for name, command in tools.items():
        if not shutil.which(command[0]):
            sys.exit(f"{name} is not installed: run scripts/setup first")
    print(f"spec: {spec} ({spec.stat().st_size / 2**20:.1f} MiB), {args.runs} runs per tool")
    results = {}
    for run in range(args.runs):
        for name, command in tools.items():  # interleaved, so both see the same machine
            wall, rss, status = measure(command)
            results.setdefault(name, []).append((wall, rss, status))
            print(f"  run {run + 1}: {name:<24} {wall:7.2f} s  {rss:7.0f} MiB  exit {status}")
    print()
    print(f"{'tool':<24} {'median wall':>12} {'peak RSS':>10}  exit")
    summary = {}
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        print(f"{name:<24} {wall:10.2f} s {rss:6.0f} MiB  {runs[0][2]}")
        summary[name] = {"median_wall_s": round(wall, 2), "peak_rss_mib": round(rss)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
