"""Validation across runs of one process (serve): a spec whose files did not change is not
checked again, and an edit is always checked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from instamrkt_docs.load.source import SourceCache
from instamrkt_docs.validate import ResultCache, validate
from tests.conftest import ROOT


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path / "spec"


def _edit(path: Path, pattern: str, new: str) -> None:
    text, count = re.subn(pattern, new, path.read_text(), count=1, flags=re.M)
    assert count == 1
    path.write_text(text)


def test_an_edit_that_breaks_a_spec_is_found_with_the_caches(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    sources, results = SourceCache(), ResultCache()
    assert validate([spec], sources=sources, results=results).findings == []
    # an example that no longer matches its schema (poolId is a string)
    _edit(spec / "openapi.yaml", r"^(\s+)poolId: pol_\w+$", r"\1poolId: 42")
    found = validate([spec], sources=sources, results=results).findings
    assert found and all(f.file.endswith("openapi.yaml") for f in found)
    assert any("42" in f.message or "string" in f.message for f in found)


def test_a_scenario_edit_is_checked_again(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    sources, results = SourceCache(), ResultCache()
    assert validate([spec], sources=sources, results=results).findings == []
    scenario = next((spec / "scenarios").glob("*.arazzo.yaml"))
    _edit(scenario, r"^(\s+)operationId: (\S+)$", r"\1operationId: noSuchOperation")
    found = validate([spec], sources=sources, results=results).findings
    assert [f.rule for f in found] == ["scenario"]
    assert "noSuchOperation" in found[0].message


def test_unchanged_specs_give_the_same_findings_from_the_cache(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    _edit(spec / "asyncapi.yaml", r"^(\s+)poolId: pol_\w+$", r"\1poolId: 42")
    results = ResultCache()
    first = validate([spec], results=results).findings
    assert first
    assert validate([spec], results=results).findings == first


def test_two_scenarios_with_the_same_text_each_get_their_own_findings(tmp_path: Path) -> None:
    spec = _copy(tmp_path)
    scenario = next((spec / "scenarios").glob("*.arazzo.yaml"))
    broken = scenario.read_text().replace("arazzo: 1.1.0", "arazzo: 1.1.0\nnotAField: 1", 1)
    assert broken != scenario.read_text()
    (spec / "scenarios" / "a.arazzo.yaml").write_text(broken)
    (spec / "scenarios" / "b.arazzo.yaml").write_text(broken)
    results = ResultCache()
    for _ in range(2):  # the second run from the cache
        found = validate([spec], results=results).findings
        files = sorted(Path(f.file).name for f in found if f.rule == "arazzo-schema")
        assert files == ["a.arazzo.yaml", "b.arazzo.yaml"]
