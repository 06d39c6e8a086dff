"""Samples per language: overriding one template, the spec's own samples, escaping."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

from instamrkt_docs.load import Workspace
from instamrkt_docs.model import RestApi, build, bundle
from instamrkt_docs.samples import SampleWriter
from instamrkt_docs.samples.filters import js_literal, py_literal, shell_quote
from tests.conftest import SPEC
from tests.tools import need


@pytest.fixture(scope="module")
def rest() -> RestApi:
    workspace = Workspace()
    api = build(workspace, workspace.load(SPEC / "openapi.yaml"))
    assert isinstance(api, RestApi)
    return api


def operation(api: RestApi, operation_id: str):
    return next(op for op in api.operations if op.operation_id == operation_id)


def test_one_language_can_be_overridden_by_name_and_by_block(rest: RestApi, tmp_path: Path) -> None:
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "http.py.jinja").write_text(
        '{% extends "python/_base/http.py.jinja" %}\n'
        "{% block output %}\nprint(response.json()['id'])\n{% endblock %}\n"
    )
    default = SampleWriter(credential_variable="INSTAMRKT_API_KEY")
    custom = SampleWriter(tmp_path, credential_variable="INSTAMRKT_API_KEY")
    op = operation(rest, "placeBet")
    before = {s.language.key: s.code for s in default.for_operation(op)}
    after = {s.language.key: s.code for s in custom.for_operation(op)}
    assert after["shell"] == before["shell"]
    assert after["javascript"] == before["javascript"]
    assert after["python"] != before["python"]
    assert after["python"].endswith("print(response.json()['id'])\n")
    assert after["python"].startswith(before["python"].split("print(response.status_code)")[0])


def test_the_specs_own_code_samples_replace_generated_ones(tmp_path: Path) -> None:
    spec = tmp_path / "own.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      x-codeSamples:\n        - lang: Python\n          source: print('mine')\n"
        "        - lang: Ruby\n          source: puts 'ignored'\n"
        "      responses: {'200': {description: ok}}\n"
    )
    workspace = Workspace()
    api = build(workspace, workspace.load(spec))
    samples = {s.language.key: s for s in SampleWriter().for_operation(api.operations[0])}
    assert samples["python"].code == "print('mine')\n" and not samples["python"].generated
    assert samples["shell"].generated and samples["shell"].code.startswith("curl")


AWKWARD = ["it's", 'say "hi"', "$(rm -rf /)", "back\\slash", "two\nlines", "ünï 🎲", "", "\u2028"]


def test_literals_read_back_exactly_in_each_language() -> None:
    data = [{"k": value, "list": [value, 1, 2.5, None, True, {}, []]} for value in AWKWARD]
    assert ast.literal_eval(py_literal(data)) == data
    program = f"console.log(JSON.stringify({js_literal(data)}));"
    node = subprocess.run(
        [need("node"), "--input-type=module", "-e", program],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(node.stdout) == data
    for value in AWKWARD:
        echoed = subprocess.run(
            [need("bash"), "-c", f"printf %s {shell_quote(value)}"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert echoed.stdout == value


def test_public_operations_get_no_credential_and_others_read_it_from_the_environment(
    rest: RestApi,
) -> None:
    writer = SampleWriter(credential_variable="INSTAMRKT_API_KEY")
    register = {
        s.language.key: s.code for s in writer.for_operation(operation(rest, "registerProvider"))
    }
    assert all("INSTAMRKT_API_KEY" not in code for code in register.values())
    get_pool = {s.language.key: s.code for s in writer.for_operation(operation(rest, "getPool"))}
    assert '"Authorization: Bearer $INSTAMRKT_API_KEY"' in get_pool["shell"]
    assert 'os.environ["INSTAMRKT_API_KEY"]' in get_pool["python"]
    assert "process.env.INSTAMRKT_API_KEY" in get_pool["javascript"]


def test_curl_names_a_method_only_where_it_is_not_its_own(cli, tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Methods", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/a": {
            "get": {"operationId": "getA", "responses": {"200": {"description": "ok"}}},
            "head": {"operationId": "headA", "responses": {"200": {"description": "ok"}}},
            "delete": {"operationId": "deleteA", "responses": {"204": {"description": "gone"}}},
        }},
    }  # fmt: skip
    (tmp_path / "openapi.json").write_text(json.dumps(spec))
    workspace = Workspace()
    document = workspace.load(tmp_path / "openapi.json")
    api = build(workspace, document, bundle(workspace, document))
    shell = {
        op.operation_id: SampleWriter().for_operation(op)[0].code.splitlines()[0]
        for op in api.operations
    }
    assert shell == {
        "getA": "curl --globoff \\",
        "headA": "curl --globoff --head \\",
        "deleteA": "curl --globoff --request DELETE \\",
    }
    run = cli("verify", str(tmp_path / "openapi.json"))
    assert run.status == 0, run.out  # each of them sends its method, and the mock sees it


def test_a_list_is_asked_for_as_each_language_does_from_its_first_page(cli, tmp_path) -> None:
    """The query as curl's --get --data-urlencode, requests' params= and URLSearchParams;
    no cursor from the example (the first page has none); fetch reads JSON with .json()."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Lists", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/items": {"get": {"operationId": "listItems", "parameters": [
            {"name": "q", "in": "query", "example": "red shoes", "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "example": 20, "schema": {"type": "integer"}},
            {"name": "cursor", "in": "query", "example": "c_2", "schema": {"type": "string"}},
        ], "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object"}, "example": {"data": []}}}}}}}},
    }  # fmt: skip
    (tmp_path / "openapi.json").write_text(json.dumps(spec))
    workspace = Workspace()
    document = workspace.load(tmp_path / "openapi.json")
    api = build(workspace, document, bundle(workspace, document))
    code = {s.language.key: s.code for s in SampleWriter().for_operation(api.operations[0])}
    assert "curl --globoff --get \\\n  https://api.example.com/items \\\n" in code["shell"]
    assert "--data-urlencode 'q=red shoes' \\\n  --data-urlencode limit=20" in code["shell"]
    assert (
        '    params={\n        "q": "red shoes",\n        "limit": "20",\n    },' in code["python"]
    )
    assert 'url.search = new URLSearchParams({\n  "q": "red shoes",' in code["javascript"]
    assert "await response.json()" in code["javascript"]
    assert all("c_2" not in text for text in code.values())
    run = cli("verify", str(tmp_path / "openapi.json"))
    assert run.status == 0, run.out


def _big_body_spec(schema_extra: dict, media_type: str = "application/json") -> dict:
    properties = {f"field_{n:02}": {"type": "string", "example": f"v{n}"} for n in range(20)}
    schema = {"type": "object", "required": ["field_07", "field_15"], "properties": properties}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Big", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/things": {"post": {"operationId": "makeThing", "requestBody": {
            "required": True, "content": {media_type: {"schema": {**schema, **schema_extra}}}},
            "responses": {"201": {"description": "made"}}}}},
    }  # fmt: skip


@pytest.mark.parametrize("media_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_big_body_is_sampled_with_its_required_fields_and_a_few_others(
    cli, tmp_path: Path, media_type: str
) -> None:
    """20 optional and required fields: a sample sends the 2 required and 3 others, says so,
    and still passes against the mock; the page shows the whole example."""
    (tmp_path / "openapi.json").write_text(json.dumps(_big_body_spec({}, media_type)))
    workspace = Workspace()
    document = workspace.load(tmp_path / "openapi.json")
    api = build(workspace, document, bundle(workspace, document))
    code = {s.language.key: s.code for s in SampleWriter().for_operation(api.operations[0])}
    for text in code.values():
        sent = [n for n in range(20) if f"field_{n:02}" in text]
        assert sent == [0, 1, 2, 7, 15], (sent, text)
        assert "15 optional fields of the body are left out" in text
    run = cli("verify", str(tmp_path / "openapi.json"))
    assert run.status == 0, run.out
    out = tmp_path / "pages"
    assert cli("render", str(tmp_path / "openapi.json"), "--out", str(out)).status == 0
    page = next(out.rglob("*.md"), None) and "\n".join(p.read_text() for p in out.rglob("*.md"))
    assert page and all(f"field_{n:02}" in page for n in range(20))


@pytest.mark.parametrize(
    "extra", [{"minProperties": 10}, {"anyOf": [{"required": ["field_01"]}]}, {"not": {}}]
)
def test_a_big_body_whose_fields_depend_on_each_other_is_sent_whole(extra: dict, tmp_path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(_big_body_spec(extra)))
    workspace = Workspace()
    document = workspace.load(tmp_path / "openapi.json")
    api = build(workspace, document, bundle(workspace, document))
    code = {s.language.key: s.code for s in SampleWriter().for_operation(api.operations[0])}
    assert all(all(f"field_{n:02}" in text for n in range(20)) for text in code.values())
