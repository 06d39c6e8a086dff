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


def all_pass(cli, spec: Path, samples: int) -> None:
    """`verify` on a spec: every one of its samples passes."""
    need("chromium")  # a websocket API's web page samples
    run = cli("verify", str(spec))
    assert run.status == 0, run.out[-4000:]
    assert run.out.strip().splitlines()[-1] == f"{samples} passed, 0 failed", run.out[-4000:]


@pytest.mark.parametrize(
    ("name", "samples"),
    [
        # (Petstore 3.0 and 3.1 are in test_corpus.py) a spec openapi-spec-validator refuses (`exclusiveMaximum: true` in 3.1): the mock
        # serves it all the same (it used to stop with "failed unexpectedly")
        ("3.1/schema-validation-top-level.yaml", 3),
    ],
)
def test_every_sample_passes(cli, tmp_path: Path, name: str, samples: int) -> None:
    need("node")
    need("curl")
    spec = tmp_path / Path(name).name
    shutil.copy(PUBLIC / name, spec)
    all_pass(cli, spec, samples)


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
    # OpenAPI 3.1: `readOnly` is an annotation, `required` holds both ways (Scalar's Galaxy)
    required = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "at": {"type": "string", "readOnly": True},
        },
    }
    sent = {"id": 1, "at": "now"}
    assert for_direction(sent, required, deref, "write") == {}
    assert for_direction(sent, required, deref, "write", keep_required=True) == {"id": 1}


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
    all_pass(cli, spec, 3)
    with running([spec]) as (url, _):
        answer = requests.get(url + "/ping", timeout=10)
    assert answer.status_code == 501
    assert answer.json()["detail"] == "The spec documents no response for this operation."


def test_answers_a_client_can_take(cli, tmp_path: Path) -> None:
    """Readme's http-status-codes example: an operation that documents only a 1xx gets no
    1xx from the mock (a client takes it as no answer: curl exited 52), one that documents
    a 3xx gets it and counts it; a `format` nobody defined constrains nothing (openapi-core
    stopped on it); a GET body is left out of fetch (which refuses it) and `validate` says
    so, as it does of a path whose `#` makes it unreachable."""
    need("node")
    need("curl")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'https://t.example.com'}]\n"
        "paths:\n"
        "  /continue:\n    get:\n      operationId: only100\n"
        "      responses: {'100': {description: Continue}}\n"
        "  /moved:\n    get:\n      operationId: only301\n"
        "      responses: {'301': {description: Moved}}\n"
        "  /json:\n    post:\n      operationId: jsonText\n"
        "      requestBody: {content: {application/json: {schema: {type: string,"
        " format: json, example: '{}'}}}}\n"
        "      responses: {'204': {description: done}}\n"
        "  /search:\n    get:\n      operationId: getWithBody\n"
        "      requestBody: {content: {application/json: {schema: {type: object}}}}\n"
        "      responses: {'204': {description: done}}\n"
        "  /search#b:\n    get:\n      operationId: fragment\n"
        "      responses: {'204': {description: done}}\n"
    )
    all_pass(cli, spec, 15)
    run = cli("validate", str(spec))
    warnings = [line for line in run.out.splitlines() if "warning:" in line]
    assert len(warnings) == 2, run.out
    assert "/paths/~1search/get/requestBody" in warnings[0] + warnings[1]
    assert "fragment, which clients never send" in warnings[0] + warnings[1]
    with running([spec]) as (url, _):
        assert requests.get(f"{url}/continue").status_code == 501
        answer = requests.get(f"{url}/moved", allow_redirects=False)
        assert answer.status_code == 301


def test_schemas_the_validators_stumble_on(tmp_path: Path) -> None:
    """Readme's schema-validation examples: a `time` with its offset is a JSON Schema
    2020-12 time (openapi-schema-validator checks draft 3's); a `$schema` that names no
    dialect made the mock fail (500) where it now reads the schema without it."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /at:\n    get:\n      operationId: at\n      parameters:\n"
        "        - {name: time, in: query, schema: {type: string, format: time}}\n"
        "        - {name: n, in: query, schema: {$schema: 'https://json-schema.org/draft-05/schema#',"
        " type: integer}}\n"
        "      responses: {'204': {description: done}}\n"
    )
    with running([spec]) as (url, _):
        assert (
            requests.get(f"{url}/at", params={"time": "16:39:57-08:00", "n": 3}).status_code == 204
        )
        refused = requests.get(f"{url}/at", params={"time": "25:00", "n": "x"})
        assert refused.status_code == 400
        assert {e["field"] for e in refused.json()["errors"]} == {"time", "n"}


def test_a_sample_that_sends_other_bytes_than_the_spec_fails(cli, tmp_path: Path) -> None:
    """verify compares what the mock received with the spec's serialisation, byte for
    byte: a template override whose form drops a `deepObject`'s brackets for a JSON text
    still sends a valid request (the property is a free-form object), and fails."""
    need("node")
    need("curl")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'https://t.example.com'}]\n"
        "paths:\n  /charges:\n    post:\n      operationId: charge\n"
        "      parameters: [{name: expand, in: query, schema: {type: array, items: {type: string}},"
        " example: [a, b]}]\n"
        "      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n"
        "            schema: {type: object, properties: {meta: {type: object}}}\n"
        "            encoding: {meta: {style: deepObject, explode: true}}\n"
        "            example: {meta: {k: v}}\n"
        "      responses: {'204': {description: done}}\n"
    )
    all_pass(cli, spec, 3)
    templates = tmp_path / "templates" / "python"
    templates.mkdir(parents=True)
    (templates / "http.py.jinja").write_text(
        '{% extends "python/_base/http.py.jinja" %}\n'
        "{% block call %}response = requests.post({{ request.url | py_url }}, "
        'data={"meta": \'{"k": "v"}\'})\n{% endblock %}\n'
    )
    run = cli("verify", str(spec), "--templates", str(tmp_path / "templates"))
    assert run.out.strip().splitlines()[-1] == "2 passed, 1 failed", run.out[-3000:]
    assert (
        "FAIL REST charge (Python): the mock got the form b'meta=%7B%22k%22%3A+%22v%22%7D', "
        "where the spec serialises b'meta%5Bk%5D=v'" in run.out
    )


def test_a_websocket_api_without_servers_reads_its_url_from_the_environment(
    cli, tmp_path: Path
) -> None:
    """No host is invented for an AsyncAPI spec that names no server (it used to be
    wss://api.example.com): samples read $API_WS_URL, the overview page says so, and
    verify points it at the mock."""
    need("node")
    spec = tmp_path / "asyncapi.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: echo, version: '1'}\n"
        "channels:\n  echo:\n    address: /echo\n    messages:\n"
        "      say: {payload: {type: object, properties: {type: {const: say}}},"
        " examples: [{payload: {type: say}}]}\n"
        "      said: {payload: {type: object, properties: {type: {const: said},"
        " text: {type: string}}}, examples: [{payload: {type: said, text: 'heard you'}}]}\n"
        "operations:\n  say:\n    action: receive\n    channel: {$ref: '#/channels/echo'}\n"
        "    messages: [{$ref: '#/channels/echo/messages/say'}]\n"
        "    reply: {messages: [{$ref: '#/channels/echo/messages/said'}]}\n"
    )
    all_pass(cli, spec, 4)  # 3 languages, and a web page given the URL
    out = tmp_path / "out"
    assert cli("render", str(spec), "--out", str(out)).status == 0
    index = (out / "websocket" / "index.md").read_text()
    assert "environment variable `API_WS_URL`" in index
    page = next(p for p in (out / "websocket").glob("*.md") if p.name != "index.md").read_text()
    assert "example.com" not in page and 'os.environ["API_WS_URL"] + "/echo"' in page
    assert 'function connect(apiWsUrl) {\n      const url = new URL(apiWsUrl + "/echo");' in page


def test_what_real_specs_often_do_verifies(cli, tmp_path: Path) -> None:
    """A body in JSON or multipart (the mock reads what was sent), a 204 that documents
    content (none is read or expected), an optional parameter whose default is "" (not sent:
    `?expand=` is refused)."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Real, version: '1'}\n"
        "servers: [{url: https://api.example.com}]\npaths:\n"
        "  /notes:\n    post:\n      operationId: makeNote\n      requestBody:\n"
        "        required: true\n        content:\n"
        "          application/json: {schema: {$ref: '#/components/schemas/Note'}}\n"
        "          multipart/form-data: {schema: {$ref: '#/components/schemas/Note'}}\n"
        "      responses: {'201': {description: made}}\n"
        "  /notes/{id}:\n    delete:\n      operationId: deleteNote\n"
        "      parameters: [{name: id, in: path, required: true, schema: {type: string, example: n1}}]\n"
        "      responses:\n        '204': {description: gone, content: {application/json: "
        "{schema: {type: object}, example: {gone: true}}}}\n"
        "  /search:\n    get:\n      operationId: search\n      parameters:\n"
        "        - {name: expand, in: query, schema: {type: string, default: '', enum: ['', all]}}\n"
        "      responses: {'200': {description: ok}}\n"
        "components:\n  schemas:\n    Note: {type: object, required: [text], properties: "
        "{text: {type: string, example: hello}}}\n"
    )
    all_pass(cli, spec, 9)
    out = tmp_path / "out"
    assert cli("render", str(spec), "--out", str(out)).status == 0
    assert "expand=" not in "".join(p.read_text() for p in out.rglob("*.md"))


def test_operations_over_a_protocol_verify_cannot_run_are_named(cli, tmp_path: Path) -> None:
    spec = tmp_path / "streetlights-mqtt.yml"
    shutil.copy(PUBLIC.parent / "asyncapi-cli@0.59.1" / "streetlights-mqtt.yml", spec)
    run = cli("verify", str(spec))
    assert run.status == 1
    assert "not run: " in run.out and "4 operations (4 over mqtt)" in run.out, run.out
    assert "HTTP and websocket only" in run.out
