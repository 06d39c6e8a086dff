"""`build` replaces the site only when everything succeeded; the site has llms.txt and a
Markdown copy of every page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPEC


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's site sources, to break things in."""
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("reference"))
    if (ROOT / "node_modules").exists():
        (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def test_a_failed_build_leaves_the_previous_site(
    cli, project: Path, built_site: Path, monkeypatch
) -> None:
    monkeypatch.chdir(project)
    shutil.copytree(built_site, project / "site")  # the last good site, as a build left it
    index = project / "site" / "index.html"
    good = index.read_text()
    assert "Instamrkt" in good

    spec = project / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("operationId: getBet", "operationId: getGame"))
    run = cli("build", "--config-file", str(project / "mkdocs.yml"))
    assert run.status == 1
    assert "operationId 'getGame' is not unique" in run.out
    assert "the previous one is unchanged" in run.err
    assert index.read_text() == good

    spec.write_text(spec.read_text().replace("operationId: getGame", "operationId: getBet", 1))
    (project / "docs" / "errors.md").write_text("[broken](nowhere.md)\n")
    run = cli("build", "--config-file", str(project / "mkdocs.yml"))
    assert run.status == 1
    assert "nowhere.md" in run.err
    assert index.read_text() == good
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))
    assert leftovers == [".site.lock"]  # the lock builds take turns with, and nothing else


def test_render_writes_markdown_for_any_spec(cli, tmp_path: Path) -> None:
    spec = ROOT / "tests" / "fixtures" / "public" / "scalar-galaxy@0.2.20" / "galaxy.yaml"
    run = cli("render", str(spec), "--out", str(tmp_path))
    assert run.status == 0, run.err
    assert run.out.startswith("rendered ")
    pages = sorted(p.name for p in (tmp_path / "rest").glob("*.md"))
    assert pages == ["authentication.md", "index.md", "planets.md"]


def test_render_of_a_file_that_is_no_spec_is_a_usage_error(cli) -> None:
    run = cli("render", "tests/fixtures/validate/not-a-spec.yaml", "--out", "/tmp/x")
    assert run.status == 2
    assert "not an OpenAPI or AsyncAPI document" in run.err


def test_llms_txt_lists_every_page_and_each_has_its_markdown_beside_it(built_site: Path) -> None:
    index = (built_site / "llms.txt").read_text()
    pages = sorted(p for p in built_site.rglob("index.html") if p.parent != built_site / "search")
    assert len(pages) >= 25
    listed = re.findall(r"^- \[[^\]]+\]\(([^)]+)\)", index, re.M)
    for page in pages:
        copy = page.with_suffix(".md")
        relative = copy.relative_to(built_site).as_posix()
        assert relative in listed, f"{relative} is not in llms.txt"
        assert copy.is_file(), relative
    pools = (built_site / "reference" / "rest" / "pools" / "index.md").read_text()
    # samples are titled code blocks in their language, whole lines as a reader copies them
    assert "**Shell**\n\n```shell\n# the first page" in pools
    assert "curl --globoff --get \\\n  https://" in pools
    assert "**Python**\n\n```python\n" in pools
    # a `|` in a cell stays in its cell; spec text is never markup
    assert re.search(r"^\| <code>nextCursor</code>.* \| string \\\| null", pools, re.M)
    assert "<div" not in pools and "=== " not in pools and "&#95;" not in pools


def test_every_operation_link_of_a_scenario_page_reaches_its_operation(built_site: Path) -> None:
    checked = 0
    for page in sorted((built_site / "reference" / "scenarios").glob("*/index.html")):
        for href in re.findall(r'href="(\.\./[^"#]*/#[^"]+)"', page.read_text()):
            path, anchor = href.split("#", 1)
            target = (page.parent / path / "index.html").resolve()
            assert target.is_file(), f"{page.parent.name}: {href}"
            assert f'id="{anchor}"' in target.read_text(), f"{page.parent.name}: {href}"
            checked += 1
    assert checked >= 10


def test_search_indexes_the_prose_and_no_code_column(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    text = "\n".join(doc["text"] for doc in docs)
    assert "pari-mutuel" in text and "Block betting" in text  # prose, titles
    assert "export INSTAMRKT_API_KEY" not in text  # the introduction's code column
    assert "requests.Session()" not in text and "curl " not in text  # samples
    assert "ShellPythonJavaScript" not in text and "Shell Python JavaScript" not in text


def test_one_row_of_languages_where_there_are_samples_and_none_elsewhere(
    built_site: Path,
) -> None:
    pages = {p.parent.relative_to(built_site).as_posix(): p for p in built_site.rglob("index.html")}
    for name, page in pages.items():
        html = page.read_text()
        samples = '<label for="__tabbed_' in html.replace('for="__tabbed_0_', "")
        rows = html.count('class="im-languages')
        assert rows == (1 if samples else 0), name
    assert pages["reference/rest/pools"].read_text().count('class="im-languages') == 1
    assert 'class="im-languages' not in pages["overview"].read_text()  # the General overview


@pytest.mark.parametrize("how", ["flag", "option"])
def test_a_build_goes_on_with_findings_when_asked_and_prints_them(
    cli, tmp_path: Path, how: str
) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    spec = tmp_path / "spec" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("operationId: getBet", "operationId: getGame", 1))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# API\n")
    plugin = "{instamrkt-docs: {allow_findings: true}}" if how == "option" else "instamrkt-docs"
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: API\ntheme: material\nplugins: [search, {plugin}]\n"
    )
    if how == "flag":
        refused = cli("build", "-f", str(tmp_path / "mkdocs.yml"))
        assert refused.status == 1 and "the site was not built" in refused.err
    run = cli(
        "build",
        "-f",
        str(tmp_path / "mkdocs.yml"),
        *(["--allow-findings"] if how == "flag" else []),
    )
    assert run.status == 0, run.err
    assert "the specs have findings; built all the same" in run.err
    assert "operationId 'getGame' is not unique" in run.err
    assert (tmp_path / "site" / "reference" / "rest" / "pools" / "index.html").is_file()
