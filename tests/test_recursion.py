"""A spec with every kind of recursion (through `items`, `properties`,
`additionalProperties`, `allOf`, `oneOf`/`anyOf`, directly, through another schema and
through another file, REST and websocket): validated, rendered, built into a site and
mocked, every sample run, with no traceback; its pages link each recursion back."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.tools import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "recursive"
COMMAND = str(Path(sys.executable).parent / "instamrkt-docs")
CONFIG = """\
site_name: Recursion
theme: {name: material, font: false}
plugins:
  - search
  - instamrkt-docs:
      specs: [spec]
markdown_extensions: [admonition, attr_list, md_in_html, tables, pymdownx.details,
  pymdownx.highlight, pymdownx.superfences, {pymdownx.tabbed: {alternate_style: true}}]
nav:
  - Home: index.md
  - REST: [reference/rest/index.md]
  - Websocket: [reference/websocket/index.md]
"""


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_it_validates_with_no_finding() -> None:
    ran = run("validate", str(FIXTURE))
    assert (ran.returncode, ran.stdout.strip()) == (0, "2 specs checked: no problems found")


def test_every_sample_runs_against_the_mock() -> None:
    ran = run("verify", str(FIXTURE))
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
    assert "16 passed, 0 failed" in ran.stdout
    assert "Traceback" not in ran.stderr


def test_the_site_builds_and_links_each_recursion_back(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "spec")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Recursion\n")
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    ran = run("build", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-3000:]
    page = (tmp_path / "site" / "reference" / "rest" / "operations" / "index.html").read_text()
    node = re.search(r'<h3 id="model-node".*?</table>', page, re.S)
    assert node is not None
    links = re.findall(r'<code>(\w+)</code>\s*</td>\s*<td><a href="#(model-\w+)"', node.group())
    assert ("next", "model-node") in links and ("branch", "model-branch") in links
    ws = (tmp_path / "site" / "reference" / "websocket" / "trees" / "index.html").read_text()
    assert '<a href="#model-tree">Tree</a>' in ws
