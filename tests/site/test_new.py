"""`instamrkt-docs new`: a docs project for someone's own specs, which builds at once."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import FIXTURES

GALAXY = FIXTURES / "public" / "scalar-galaxy@0.2.20" / "galaxy.yaml"
GEMINI = FIXTURES / "public" / "asyncapi-cli@4.1.1" / "websocket-gemini-asyncapi.yml"


def test_a_new_project_builds_at_once_with_a_section_per_spec(cli, tmp_path: Path, browser) -> None:
    project = tmp_path / "docs-site"
    made = cli("new", str(project), "--spec", str(GALAXY), "--spec", str(GEMINI))
    assert made.status == 0, made.err
    names = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert names == [".gitignore", "README.md", "docs/authentication.md", "docs/errors.md",
                     "docs/index.md", "mkdocs.yml"]  # fmt: skip
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    sections = [next(iter(item)) for item in config["nav"]]
    assert sections[:3] == ["Introduction", "Authentication", "Errors"]
    assert "Scalar Galaxy" in sections and "Gemini Market Data Websocket API" in sections
    assert "apiKeyQuery" in (project / "docs" / "authentication.md").read_text()
    built = cli("build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site"))
    assert built.status == 0, built.err
    site = project / "site"
    nav = yaml.safe_load((project / "docs" / "reference" / "nav.yml").read_text())
    home = (site / "index.html").read_text()
    for pages in nav.values():  # every page of each spec is in the navigation
        for item in pages:
            (path,) = item.values()
            url = path.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"
            assert f'href="reference/{url}"' in home, url
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        group = next(p for p in (site / "reference" / "rest").iterdir() if p.is_dir())
        page.goto((group / "index.html").as_uri())
        prose = page.locator(".im-operation .im-prose").first.bounding_box()
        code = page.locator(".im-operation .im-code pre").first.bounding_box()
        assert prose and code and code["x"] >= prose["x"] + prose["width"] - 1  # a column right
    finally:
        page.close()


def test_new_never_writes_into_a_folder_that_holds_something(cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    run = cli("new", str(tmp_path), "--spec", str(GALAXY))
    assert run.status == 2 and "not an empty folder" in run.err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_spec_text_reaches_the_new_project_escaped(cli, tmp_path: Path) -> None:
    spec = tmp_path / "evil.json"
    title = 'Evil"\n<script>alert(1)</script> [x](javascript:alert(1))'
    spec.write_text(json.dumps({
        "openapi": "3.1.0", "info": {"title": title, "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "<img src=x onerror=alert(1)>"}}}}},
    }))  # fmt: skip
    project = tmp_path / "p"
    assert cli("new", str(project), "--spec", str(spec)).status == 0
    text = "".join(p.read_text() for p in project.rglob("*") if p.is_file())
    assert "<script>" not in text and "<img" not in text and "](javascript:" not in text
    assert yaml.safe_load((project / "mkdocs.yml").read_text())["site_name"].startswith("Evil")
    assert cli("build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")).status == 0
