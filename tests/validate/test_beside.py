"""The official-schema pass of a big spec, in a child process beside the other checks:
the same findings as in one process, and the work done here when the child fails."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from instamrkt_docs.validate import BESIDE_BYTES, beside, validate


def pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def fails_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("the child breaks")
    return "done here"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing runs beside")
def test_the_work_runs_in_a_child_and_its_result_comes_back() -> None:
    pid, value = beside.start(pid_and, 21)()
    assert value == 42 and pid != os.getpid()


def test_a_child_that_fails_leaves_the_work_to_this_process() -> None:
    assert beside.start(fails_in_a_child, os.getpid())() == "done here"


def test_a_big_spec_gets_the_official_findings_with_the_others(tmp_path: Path) -> None:
    paths = {
        f"/things/{n}": {"get": {"operationId": f"get{n}", "description": "word " * 400,
                                 "responses": {"200": {"description": "OK"}}}}
        for n in range(600)
    }  # fmt: skip
    paths["/things/0"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"type": "object", "properties": {"n": {"type": 5}}},
                             "example": {"n": "x", "m": 1}}}  # fmt: skip
    paths["/things/1"]["get"]["operationId"] = "get0"
    spec = tmp_path / "openapi.json"
    spec.write_bytes(orjson.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                                   "paths": paths}, option=orjson.OPT_INDENT_2))  # fmt: skip
    assert spec.stat().st_size >= BESIDE_BYTES
    found = {(f.rule, f.pointer) for f in validate([spec]).findings}
    schema = "/paths/~1things~10/get/responses/200/content/application~1json/schema"
    assert ("openapi-schema", schema + "/properties/n/type") in found  # from the child
    assert ("unique", "/paths/~1things~11/get/operationId") in found  # from this process
