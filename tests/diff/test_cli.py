"""`instamrkt-docs diff` as CI and readers use it: against a git revision, in every output
format, with a project's rule choices, and with a clear message for each mistake."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import ROOT
from tests.tools import need

SCHEMA = ROOT / "tools" / "instamrkt_docs" / "diff" / "output.schema.json"


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose last commit makes one breaking change to a copy of our specs:
    `Bet.stake` is no longer required in answers, and `closePool` is gone."""
    need("git")
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "first")
    spec = tmp_path / "spec" / "openapi.yaml"
    text = spec.read_text()
    assert "        - stake\n" in text
    spec.write_text(text.replace("        - stake\n", "", 1))
    _git(tmp_path, "commit", "-q", "-am", "stake optional")
    return tmp_path


def run(cli, repo: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return cli("diff", *args)
    finally:
        os.chdir(cwd)


def test_base_of_the_last_commit_finds_the_breaking_change(
    cli, repo: Path, tmp_path: Path, monkeypatch
) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the revisions are read into
    result = run(cli, repo, "--base", "HEAD~1")
    assert result.status == 1, result.err
    assert "breaking  response-property-became-optional" in result.out
    assert "old: HEAD~1:spec/openapi.yaml:" in result.out
    assert "new: spec/openapi.yaml:" in result.out
    assert "version-not-bumped" in result.out
    # the working tree against itself, and the same commit on both sides: nothing
    assert run(cli, repo, "--base", "HEAD").status == 0
    same = run(cli, repo, "HEAD:spec", "HEAD:spec")
    assert (same.status, same.out) == (0, "no changes\n")
    assert list(scratch.iterdir()) == []  # its copies of the revisions are gone


def test_every_output_format(cli, repo: Path) -> None:
    as_json = json.loads(run(cli, repo, "--base", "HEAD~1", "--format", "json").out)
    Draft202012Validator(json.loads(SCHEMA.read_text())).validate(as_json)
    assert as_json["summary"]["breaking"] >= 1
    change = next(c for c in as_json["changes"] if c["rule"] == "response-property-became-optional")
    assert change["old"]["file"] == "HEAD~1:spec/openapi.yaml" and change["old"]["line"] > 1
    assert change["new"]["pointer"].startswith("/components/schemas/")
    assert len(change["reaches"]) >= 2  # a shared schema: said once, with every operation
    junit = ET.fromstring(run(cli, repo, "--base", "HEAD~1", "--format", "junit").out)
    assert int(junit.get("failures")) >= 1
    github = run(cli, repo, "--base", "HEAD~1", "--format", "github").out
    assert "::error file=spec/openapi.yaml,line=" in github
    assert "title=response-property-became-optional::" in github
    markdown = run(cli, repo, "--base", "HEAD~1", "--format", "markdown").out
    assert "| breaking | `response-property-became-optional` |" in markdown


def test_fail_on_and_a_config_that_re_levels_a_rule(cli, repo: Path) -> None:
    assert run(cli, repo, "--base", "HEAD~1", "--fail-on", "info").status == 1
    config = repo / ".instamrkt-diff.yaml"
    config.write_text(
        "rules:\n"
        "  response-property-became-optional:\n"
        "    level: info\n"
        "    reason: our clients read stake only when it is there\n"
        "  version-not-bumped: {level: 'off', reason: versions are set at release}\n"
    )
    result = run(cli, repo, "--base", "HEAD~1")
    assert result.status == 0, result.out
    assert "(our clients read stake only when it is there)" in result.out
    assert "version-not-bumped" not in result.out
    config.write_text("rules:\n  no-such-rule: {level: info, reason: x}\n")
    wrong = run(cli, repo, "--base", "HEAD~1")
    assert wrong.status == 2
    assert ".instamrkt-diff.yaml:2:3: no rule 'no-such-rule'" in wrong.err
    config.write_text("rules:\n  version-not-bumped: {level: info}\n")
    assert "a reason is needed" in run(cli, repo, "--base", "HEAD~1").err


def test_mistakes_get_one_clear_line_and_status_2(cli, repo: Path) -> None:
    for args, said in (
        ((), "name the old and the new side, or give --base REV"),
        (("--base", "no-such-rev"), "no-such-rev: not a revision of"),
        (("nothing-here", "spec"), "nothing-here: no such file or folder"),
        (("--base=-x",), "not a revision: -x"),
    ):
        result = run(cli, repo, *args)
        assert result.status == 2, (args, result.err)
        assert said in result.err, (args, result.err)
        assert "Traceback" not in result.err


def test_list_rules(cli) -> None:
    result = cli("diff", "--list-rules")
    assert result.status == 0
    lines = result.out.strip().splitlines()
    assert lines[-1].endswith(" rules") and int(lines[-1].split()[0]) >= 80
    assert any(line.startswith("request-property-became-required ") and "breaking" in line
               for line in lines)  # fmt: skip
