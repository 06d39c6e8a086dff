"""Time `instamrkt-docs diff` beside api-smart-diff on two versions of GitHub's REST
description, in the same run.

Usage: .venv/bin/python -m benchmarks.diff_github [--runs N]

Both specs come from the npm package `@octokit/openapi` (22.0.0 and 23.0.2, about 12 MB
each, fetched once into benchmarks/.cache/); api-smart-diff 1.0.6 is installed there too and
driven by benchmarks/peer_diff.mjs. The tools take turns; each row gives the median wall
time and the peak resident memory of the process. Goal (issue 13): ours faster, under 1 GB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from benchmarks.big_specs import turns
from benchmarks.npm import github_spec, npm_file, npm_modules

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
OLD = ("@octokit/openapi@22.0.0", "package/generated/api.github.com.json")
PEER = "api-smart-diff@1.0.6"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    args = parser.parse_args()
    old, new = npm_file(*OLD), github_spec()
    modules = npm_modules(PEER)
    node, env = shutil.which("node"), shutil.which("env")
    if node is None or env is None:
        sys.exit("node is needed for the peer: run scripts/setup first")
    tools = {
        "instamrkt-docs diff": [str(BIN / "instamrkt-docs"), "diff", str(old), str(new),
                                "--format", "json"],
        "api-smart-diff": [env, f"NODE_PATH={modules}", node, str(ROOT / "benchmarks" /
                           "peer_diff.mjs"), "api-smart-diff", str(old), str(new)],
    }  # fmt: skip
    size = (old.stat().st_size + new.stat().st_size) / 2**20
    print(f"GitHub REST 22.0.0 → 23.0.2 ({size:.1f} MiB together), {args.runs} runs per tool")
    results = turns(tools, args.runs)
    print()
    ours, peer = results["instamrkt-docs diff"], results["api-smart-diff"]
    for name, row in results.items():
        print(f"{name:<22} median {row['median_s']:6.2f} s   peak {row['peak_mib']:5.0f} MiB")
    faster = ours["median_s"] < peer["median_s"]
    under = ours["peak_mib"] < 1024
    print(f"\nours is {peer['median_s'] / ours['median_s']:.1f}x as fast"
          f" ({'met' if faster else 'NOT met'}: faster), peak {ours['peak_mib']} MiB"
          f" ({'met' if under else 'NOT met'}: under 1 GB)")  # fmt: skip
    return 0 if faster and under else 1


if __name__ == "__main__":
    sys.exit(main())
