"""The npm packages are found as Node finds them, whichever folder a command runs in."""

from __future__ import annotations

from pathlib import Path

import pytest

from instamrkt_docs.node_packages import node_modules
from instamrkt_docs.render import render
from tests.tools import ROOT


def test_found_from_any_folder_in_the_toolkits_checkout(tmp_path: Path, monkeypatch) -> None:
    if not (ROOT / "node_modules" / "ws").is_dir():
        pytest.fail("node_modules is missing: run scripts/setup")
    monkeypatch.chdir(tmp_path)
    assert node_modules("ws") == ROOT / "node_modules"
    assert node_modules("no-such-package-here") is None
    local = tmp_path / "node_modules" / "ws"
    local.mkdir(parents=True)
    (local / "package.json").write_text("{}")
    assert node_modules("ws") == tmp_path / "node_modules"  # the nearest comes first


def test_render_elsewhere_still_ships_the_diagram_library(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = render([ROOT / "spec"], tmp_path / "out", write=False)
    assert len(result.files["assets/mermaid.min.js"]) > 1_000_000
