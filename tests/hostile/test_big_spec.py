"""A 50 MB spec (GitHub's REST description with twelve times its operations): `validate`
and `render` say what they are doing as they go, end with their answer, and stay under
1 GB (it used to be killed after 300 s at 3.2 GB, having printed nothing)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
import pytest

from benchmarks.npm import github_spec
from benchmarks.synthetic import scaled
from tests.hostile.test_reading import run_measured
from tests.tools import need

MAX_MB = 1024


@pytest.fixture(scope="module")
def big_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("npm")
    try:
        source = github_spec()
    except (subprocess.CalledProcessError, OSError) as exc:  # pragma: no cover - offline
        pytest.fail(f"could not fetch GitHub's spec from the npm registry: {exc}")
    spec = tmp_path_factory.mktemp("big") / "openapi.json"
    data = scaled(orjson.loads(source.read_bytes()), 12)
    spec.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    assert spec.stat().st_size > 50_000_000
    return spec


@pytest.mark.slow
def test_validate_of_a_50_mb_spec_shows_progress_and_stays_under_1_gb(big_spec: Path) -> None:
    ran = run_measured("validate", str(big_spec), cwd=big_spec.parent)
    assert ran.status == 1, ran.err[-2000:]  # GitHub's own examples break their schemas
    stages = [line for line in ran.err.splitlines() if line.startswith("validate: ")]
    assert stages[0] == f"validate: validating {big_spec.name}", ran.err[:2000]
    # then, off a terminal, the stage under way every few seconds (the run takes longer)
    assert any(line.endswith(" s)") for line in stages[1:]), stages
    assert "errors in 1 file (1 spec checked)" in ran.out + ran.err
    assert "Traceback" not in ran.err
    assert ran.peak_mb < MAX_MB


@pytest.mark.slow
def test_render_of_a_50_mb_spec_shows_progress_and_stays_under_1_gb(
    big_spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    ran = run_measured("render", str(big_spec), "--out", str(out), cwd=tmp_path)
    assert ran.status == 0, ran.err[-2000:]
    assert "rendering " in ran.err
    assert "rendered" in ran.out + ran.err
    assert ran.peak_mb < MAX_MB
    pages = list(out.rglob("*.md"))
    assert len(pages) > 1000
    assert max(p.stat().st_size for p in pages) < 600_000  # no page too heavy to open
