"""Terminals and CI logs: spec text with escape sequences, BEL, CR and line breaks followed
by a workflow command is printed by `validate`, `diff` and the mock as visible escapes, on
the line it belongs to; JUnit output is XML whatever the text; JSON has no raw control
character."""

from __future__ import annotations

import json
import re
import xml.dom.minidom
from pathlib import Path

import pytest

from instamrkt_docs.mock import Entry, MockLog

FORGED = "\n::error file=x.yaml,line=1::forged\r\x1b[31mred\x1b]0;title\x07\x9b2J\u2028"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@pytest.fixture
def specs(tmp_path: Path) -> tuple[Path, Path]:
    path = "/a" + FORGED
    old = {
        "openapi": "3.1.0",
        "info": {"title": "T" + FORGED, "version": "1"},
        "paths": {
            path: {"get": {"operationId": "op" + FORGED, "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"p" + FORGED: {"type": "string"}},
                    "required": ["p" + FORGED]}, "example": {"p" + FORGED: 5}}}}}}},
            "/b": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"type": "string"}, "example": 5}}}}}},
        },
    }  # fmt: skip
    new = json.loads(json.dumps(old))
    del new["paths"][path]
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return tmp_path / "old.json", tmp_path / "new.json"


def _clean(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text))


def test_validate_prints_spec_text_as_visible_escapes(cli, specs: tuple[Path, Path]) -> None:
    old, _ = specs
    run = cli("validate", str(old))
    assert run.status == 1, run.out  # the examples are not strings
    assert "\\x1b[31m" in run.out  # the path, in the finding's pointer: shown escaped
    _clean(run.out)
    assert not any(line.startswith("::") for line in run.out.splitlines())
    _clean(cli("validate", str(old), "--format", "json").out)


def test_diff_outputs_carry_no_raw_control_text(cli, specs: tuple[Path, Path]) -> None:
    old, new = specs
    text = cli("diff", str(old), str(new))
    assert text.status == 1 and "operation-removed" in text.out
    _clean(text.out)
    assert "\\x1b[31m" in text.out  # shown, escaped
    github = cli("diff", str(old), str(new), "--format", "github")
    _clean(github.out)
    lines = github.out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(lines)  # no line of its own from the spec's text
    assert all(re.match(r"::(error|warning|notice) ", line) for line in commands)
    assert not any("::error file=x.yaml" in line.split("::", 2)[1] for line in commands)
    junit = cli("diff", str(old), str(new), "--format", "junit")
    xml.dom.minidom.parseString(junit.out)  # well-formed: no character XML forbids
    for form in ("json", "markdown"):
        _clean(cli("diff", str(old), str(new), "--format", form).out)


def test_the_mocks_log_lines_show_escapes(tmp_path: Path) -> None:
    stream = (tmp_path / "log").open("w")
    log = MockLog(stream=stream)
    log.add(Entry("http", "GET /x" + FORGED, "", "404", 1.0, detail="no" + FORGED))
    log.warn("spec says" + FORGED)
    stream.close()
    written = (tmp_path / "log").read_text()
    assert written.count("\n") == 2
    _clean(written.replace("\n", ""))
