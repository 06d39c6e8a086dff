"""`verify` on specs that others wrote (from the npm package @readme/oas-examples): every
sample of the Petstore descriptions (OpenAPI 3.0 and 3.1) runs against the mock and passes.

They used to fail by half: operations that document only errors or `default` got no answer,
a `readOnly` id with a `default` was sent (and refused), and a file upload was refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests

from instamrkt_docs.examples.direction import for_direction
from instamrkt_docs.mock import running
from tests.conftest import ROOT
from tests.tools import need

PUBLIC = ROOT / "tests" / "fixtures" / "public" / "readme-oas-examples@8.2.2"


@pytest.mark.parametrize(
    ("name", "samples"),
    [
        ("3.0/petstore.yaml", 60),
        ("3.1/petstore.yaml", 60),
        # a spec openapi-spec-validator refuses (`exclusiveMaximum: true` in 3.1): the mock
        # serves it all the same (it used to stop with "failed unexpectedly")
        ("3.1/schema-validation-top-level.yaml", 3),
    ],
)
def test_every_sample_passes(cli, tmp_path: Path, name: str, samples: int) -> None:
    need("node")
    need("curl")
    spec = tmp_path / Path(name).name
    shutil.copy(PUBLIC / name, spec)
    run = cli("verify", str(spec))
    assert run.status == 0, run.out[-4000:]
    assert run.out.strip().splitlines()[-1] == f"{samples} passed, 0 failed"


def test_examples_leave_out_what_the_other_direction_carries() -> None:
    schemas = {
        "Pet": {"type": "object", "allOf": [{"$ref": "#/Named"}], "properties": {
            "id": {"type": "integer", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
            "tags": {"type": "array", "items": {"$ref": "#/Named"}}}},
        "Named": {"type": "object", "properties": {
            "name": {"type": "string"}, "slug": {"type": "string", "readOnly": True}}},
    }  # fmt: skip

    def deref(node):
        return schemas[node["$ref"][2:]] if isinstance(node, dict) and "$ref" in node else node

    value = {"id": 1, "secret": "s", "name": "n", "slug": "x",
             "tags": [{"name": "a", "slug": "b"}]}  # fmt: skip
    pet = {"$ref": "#/Pet"}
    assert for_direction(value, pet, deref, "write") == {
        "secret": "s", "name": "n", "tags": [{"name": "a"}]}  # fmt: skip
    assert for_direction(value, pet, deref, "read") == {
        "id": 1, "name": "n", "slug": "x", "tags": [{"name": "a", "slug": "b"}]}  # fmt: skip
    assert value["id"] == 1  # the spec's own example is left as it is


def test_an_operation_that_documents_no_response_is_answered_plainly(cli, tmp_path) -> None:
    """OpenAPI 3.1 lets an operation document no response: the mock says so (501, not a
    crash) and verify counts the sample, whose request was valid."""
    need("node")
    need("curl")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'https://t.example.com'}]\n"
        "paths:\n  /ping:\n    get:\n      operationId: ping\n"
    )
    run = cli("verify", str(spec))
    assert run.status == 0, run.out[-3000:]
    assert run.out.strip().splitlines()[-1] == "3 passed, 0 failed"
    with running([spec]) as (url, _):
        answer = requests.get(url + "/ping", timeout=10)
    assert answer.status_code == 501
    assert answer.json()["detail"] == "The spec documents no response for this operation."
