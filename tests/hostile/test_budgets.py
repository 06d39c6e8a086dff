"""Budgets wherever a spec sets a size, and findings wherever it sets a trap: each hostile
spec is validated and rendered in a process of its own, under a memory limit, and must end
(the guard is only a guard) with a located finding or pages, never a traceback."""

from __future__ import annotations

import copy
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

MEMORY = 1_500 * 2**20  # address space each command may take
BASE = {
    "openapi": "3.1.0",
    "info": {"title": "Budget", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {"/a": {"post": {
        "operationId": "opA",
        "tags": ["t"],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object"}}}}},
    }}},
}  # fmt: skip


def _body(schema: dict, example: object = None) -> dict:
    spec = copy.deepcopy(BASE)
    media = spec["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]
    media["schema"] = schema
    if example is not None:
        media["example"] = example
    return spec


def _tags(name: str) -> dict:
    spec = copy.deepcopy(BASE)
    spec["paths"]["/a"]["post"]["tags"] = [name]
    spec["tags"] = [{"name": name, "description": "d"}]
    return spec


EVIL = "^(a|a)*$"
CASES = {
    # a pattern that backtracks without end, against an example, and to generate one
    "pattern-example": (_body({"type": "string", "pattern": EVIL}, "a" * 40 + "b"), "0.25 s"),
    "pattern-generate": (_body({"type": "string", "pattern": "^(a|a)*(b|b)*c{3}$"}), None),
    "pattern-repeat": (_body({"type": "string", "pattern": "^a{1000000000}$"}), None),
    # sizes no example can hold
    "min-length": (_body({"type": "string", "minLength": 2_000_000_000}), None),
    "min-items": (
        _body(
            {
                "type": "array",
                "minItems": 1_000_000_000,
                "items": {"type": "string", "minLength": 100_000},
            }
        ),
        None,
    ),
    "min-properties": (_body({"type": "object", "minProperties": 1_000_000_000}), None),
    # names that would make file names too long for the file system
    "long-tag": (_tags("T" * 300), None),
    "long-multibyte-tag": (_tags("é" * 300), None),
    # values the model once tripped on
    "infinite-bounds": (
        _body(
            {
                "type": "number",
                "minimum": float("inf"),
                "maximum": float("nan"),
                "multipleOf": float("inf"),
            }
        ),
        None,
    ),
    "properties-list": (
        _body({"type": "object", "properties": ["a"], "required": "a"}),
        "not a JSON Schema 2020-12 schema",
    ),
    "x-codes-string": (
        {
            **BASE,
            "components": {
                "schemas": {"E": {"type": "string", "enum": ["a"], "x-codes": {"a": "a string"}}}
            },
        },
        "x-codes is not of the shape",
    ),
    # text no URL parser takes: a server variable and a $ref with a stray `[`
    "stray-brackets": (
        {
            **_body({"$ref": "http://[x/y"}),
            "servers": [{"url": "https://{r}.example.com", "variables": {"r": {"default": "a[b"}}}],
        },
        "is not a reference that can be followed",
    ),
    "wrong-types": (
        {
            **BASE,
            "servers": "x",
            "tags": "x",
            "paths": {
                "/a": {
                    "parameters": "x",
                    "get": {
                        "operationId": 5,
                        "summary": ["x"],
                        "parameters": [{"name": 3, "in": "query"}, "junk"],
                        "security": "x",
                        "responses": {"200": {"description": 7}, "404": "x"},
                    },
                },
                "/b": "x",
            },
        },
        None,
    ),
}


VERIFIED = {"stray-brackets", "x-codes-string", "long-tag"}  # the mock and samples too


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "instamrkt_docs", *args], capture_output=True, text=True,
        timeout=120, stdin=subprocess.DEVNULL, preexec_fn=_limit,
    )  # fmt: skip
    return done, time.monotonic() - started


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_size_or_shape_ends_in_findings_or_pages(name: str, tmp_path: Path) -> None:
    spec, said = CASES[name]
    folder = tmp_path / "spec"
    folder.mkdir()
    # JSON, which holds infinities as Python writes them; YAML for the rest
    if name == "infinite-bounds":
        (folder / "openapi.json").write_text(json.dumps(spec))
    else:
        (folder / "openapi.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True))
    validate, _ = _run("validate", str(folder))
    assert validate.returncode in (0, 1), validate.stderr
    assert "Traceback" not in validate.stderr and "unexpectedly" not in validate.stderr
    if said:
        assert said in validate.stdout, validate.stdout
    render, _ = _run("render", str(folder), "--out", str(tmp_path / "out"))
    assert render.returncode == 0, render.stderr
    if name in VERIFIED:
        checked, _ = _run("verify", str(folder))
        assert "unexpectedly" not in checked.stderr and "Traceback" not in checked.stderr
    pages = list((tmp_path / "out").rglob("*.md"))
    assert pages
    assert all(len(p.name) <= 100 for p in pages)
    assert sum(p.stat().st_size for p in pages) < 5_000_000  # no example of a billion items


def test_numbers_too_long_to_read_are_a_located_finding(tmp_path: Path) -> None:
    digits = "9" * 5000
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: C, version: '1'}\npaths:\n  /a:\n    get:\n"
        f"      parameters: [{{name: q, in: query, schema: {{type: integer, minimum: {digits}}}}}]\n"
        "      responses: {'200': {description: ok}}\n"
    )
    (tmp_path / "b.json").write_text(
        json.dumps(_body({"type": "integer", "minimum": 7})).replace(": 7", ": " + digits)
    )
    for name in ("a.yaml", "b.json"):
        run, _ = _run("validate", str(tmp_path / name))
        assert run.returncode == 1
        assert f"{name}:" in run.stdout and "a number of 5000 digits" in run.stdout, run.stdout
        run, _ = _run("render", str(tmp_path / name), "--out", str(tmp_path / "out"))
        assert run.returncode == 1 and "a number of 5000 digits" in run.stderr
        assert "unexpectedly" not in run.stderr


def test_a_scenario_whose_conditions_do_not_read_is_a_finding_not_a_crash(
    tmp_path: Path,
) -> None:
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(_body({"type": "object"})))
    (tmp_path / "scenarios").mkdir()
    arazzo = {
        "arazzo": "1.1.0",
        "info": {"title": "A", "version": "1"},
        "sourceDescriptions": [{"name": "api", "url": "../openapi.yaml", "type": "openapi"}],
        "workflows": [{"workflowId": "w", "steps": [{
            "stepId": "s", "operationId": "$sourceDescriptions.api.opA",
            "requestBody": {"contentType": "application/json", "payload": {"x": "y"}},
            "successCriteria": [{"condition": "$statusCode == == 200"},
                                {"condition": "((("},
                                {"context": "$response.body", "condition": "$.a", "type": "jsonpath"}],
        }]}],
    }  # fmt: skip
    (tmp_path / "scenarios" / "w.arazzo.yaml").write_text(yaml.safe_dump(arazzo))
    run, _ = _run("validate", str(tmp_path))
    assert run.returncode == 1
    assert run.stdout.count("the condition cannot be read") == 2, run.stdout
    assert "successCriteria/2/type" in run.stdout  # not checked by the scripts: said so
    run, _ = _run("render", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 0 and "unexpectedly" not in run.stderr, run.stderr
    assert "left out" in run.stderr
