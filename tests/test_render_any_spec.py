"""`render` works on specs others wrote: no crash, and every sample is valid code.

Python samples must compile, JavaScript samples pass `node --check`, shell samples pass
`bash -n`; over the public corpus and over GitHub's REST description (about 1,000
operations), fetched from the npm registry.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.npm import github_spec
from instamrkt_docs.render import render
from instamrkt_docs.samples import Sample
from tests.tools import ROOT, need

PUBLIC = ROOT / "tests" / "fixtures" / "public"
SPECS = sorted(p for p in PUBLIC.rglob("*") if p.suffix in (".yaml", ".yml"))


def check_syntax(samples: list[Sample], folder: Path) -> list[str]:
    """The problems found in samples: (file, error) text for each invalid one."""
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    commands = []
    for index, sample in enumerate(samples):
        file = folder / f"{index}.{sample.language.suffix}"
        file.write_text(sample.code)
        if sample.language.key == "python":
            try:
                compile(sample.code, str(file), "exec")
            except SyntaxError as exc:
                problems.append(f"{file}: {exc}")
        elif sample.language.key == "javascript":
            commands.append([need("node"), "--check", str(file)])
        else:
            commands.append([need("bash"), "-n", str(file)])

    def run(command: list[str]) -> str:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        return "" if result.returncode == 0 else f"{command[-1]}: {result.stderr.strip()}"

    with ThreadPoolExecutor(max_workers=4) as pool:
        problems += [p for p in pool.map(run, commands) if p]
    return problems


def all_samples(specs: list[Path], out: Path) -> list[Sample]:
    samples = []
    for spec in specs:
        result = render([spec], out / spec.stem)
        for spec_pages in result.specs:
            for per_operation in spec_pages.samples.values():
                samples += per_operation
    return samples


def test_every_public_spec_renders_with_valid_samples(tmp_path: Path) -> None:
    samples = all_samples(SPECS, tmp_path / "out")
    languages = {s.language.key for s in samples}
    assert languages == {"shell", "python", "javascript"}
    assert len(samples) > 600
    assert check_syntax(samples, tmp_path / "samples") == []


def test_a_large_spec_renders_with_valid_samples(tmp_path: Path) -> None:
    need("npm")
    try:
        spec = github_spec()
    except (subprocess.CalledProcessError, OSError) as exc:  # pragma: no cover - offline
        pytest.fail(f"could not fetch GitHub's spec from the npm registry: {exc}")
    result = render([spec], tmp_path / "out")
    (spec_pages,) = result.specs
    samples = [s for per_op in spec_pages.samples.values() for s in per_op]
    assert len(spec_pages.api.operations) > 900
    assert len(samples) == 3 * len(spec_pages.api.operations)
    assert check_syntax(samples, tmp_path / "samples") == []
