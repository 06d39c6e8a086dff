"""Without the 'mock' extra: build works, and mock, verify and run-scenario say what to
install (each in one line, exit status 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from instamrkt_docs.extras import EXTRAS
from tests.conftest import SPEC

# Runs the command line as if the extra's modules were not installed.
WITHOUT = """
import sys
from importlib.abc import MetaPathFinder

class Missing(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {names!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}")
        return None

sys.meta_path.insert(0, Missing())
from instamrkt_docs.cli import main
sys.exit(main(sys.argv[1:]))
"""


def without_mock(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = WITHOUT.format(names=set(EXTRAS["mock"]))
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_the_site_builds_without_the_mock_extra(tmp_path: Path) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# API\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: API\ntheme: material\nplugins: [search, instamrkt-docs]\n"
    )
    for command in (["validate"], ["render", "--out", "pages"], ["build"]):
        ran = without_mock(*command, cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "rest" / "pools" / "index.html").is_file()


@pytest.mark.parametrize("command", [["mock"], ["verify"], ["run-scenario", "open-pools"]])
def test_a_command_that_needs_the_mock_extra_names_it(tmp_path: Path, command: list[str]) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    ran = without_mock(*command, cwd=tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert (
        ran.stderr.strip().splitlines() == [ran.stderr.strip().splitlines()[0]]
        and "needs the 'mock' extra" in ran.stderr
    )
    assert "pip install 'instamrkt-docs[mock]'" in ran.stderr
