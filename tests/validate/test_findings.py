"""One bad fixture per kind of finding, each reported at its exact place."""

from __future__ import annotations

from pathlib import Path

import pytest

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.validate import validate
from tests.conftest import ROOT

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "validate"


def findings(name: str) -> list[Finding]:
    # the scenario fixtures drive the project's own specs, outside their folder
    return validate([FIXTURES / name], ref_roots=[ROOT / "spec"]).findings


def located(found: list[Finding]) -> list[tuple[str, int, int, str, str]]:
    """(file name, line, column, pointer, rule) of each finding."""
    return [(Path(f.file).name, f.line, f.column, f.pointer, f.rule) for f in found]


def test_broken_yaml() -> None:
    (finding,) = findings("broken-yaml.yaml")
    assert (finding.line, finding.column, finding.rule) == (8, 9, "load")
    assert finding.message == (
        "invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence started at 7:10)"
    )


def test_empty_file() -> None:
    (finding,) = findings("empty.yaml")
    assert (finding.line, finding.column, finding.message) == (1, 1, "the file is empty")


def test_file_that_is_no_spec() -> None:
    (finding,) = findings("not-a-spec.yaml")
    assert (finding.line, finding.column, finding.pointer) == (1, 1, "")
    assert finding.message.startswith("not an OpenAPI, AsyncAPI or Arazzo document")


def test_circular_ref_is_reported_at_each_ref_of_the_loop_and_recursion_is_fine() -> None:
    found = findings("circular-ref.yaml")
    assert located(found) == [
        ("circular-ref.yaml", 9, 7, "/components/schemas/A/$ref", "ref"),
        ("circular-ref.yaml", 11, 7, "/components/schemas/B/$ref", "ref"),
    ]
    assert found[0].message == (
        "circular $ref: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"
    )


def test_unresolved_local_ref_and_missing_file() -> None:
    found = findings("unresolved-ref.yaml")
    assert located(found) == [
        (
            "unresolved-ref.yaml",
            15,
            17,
            "/paths/~1pools/get/responses/200/content/application~1json/schema/$ref",
            "ref",
        ),
        ("unresolved-ref.yaml", 17, 11, "/paths/~1pools/get/responses/404/$ref", "ref"),
    ]
    assert "has nothing at '/components/schemas/Pool'" in found[0].message
    assert found[1].message.endswith("missing-file.yaml': no such file")


def test_openapi_schema_errors_at_the_root_and_inside_a_referenced_schema() -> None:
    found = findings("schema-error.yaml")
    assert located(found) == [
        ("schema-error.yaml", 2, 1, "/info", "openapi-schema"),
        (
            "schema-error.yaml",
            21,
            11,
            "/components/schemas/Game/properties/title/type",
            "openapi-schema",
        ),
    ]
    assert found[0].message == "missing required property 'version'"
    assert found[1].message.startswith("'text' is not one of")


def test_examples_that_do_not_match_their_schemas() -> None:
    found = findings("bad-examples.yaml")
    body = "/paths/~1pools~1{poolId}~1bets/post/requestBody/content/application~1json"
    response = "/paths/~1pools~1{poolId}~1bets/post/responses/201"
    params = "/paths/~1pools~1{poolId}~1bets/parameters"
    stake = "/components/schemas/BetCreate/properties/stake"
    assert located(found) == [
        ("bad-examples.yaml", 14, 9, f"{params}/0/example", "example"),
        ("bad-examples.yaml", 28, 17, f"{body}/examples/misspelt/value", "example"),
        ("bad-examples.yaml", 29, 19, f"{body}/examples/misspelt/value/stak", "example"),
        ("bad-examples.yaml", 39, 15, f"{response}/headers/RateLimit-Remaining/example", "example"),
        (
            "bad-examples.yaml",
            45,
            17,
            f"{response}/content/application~1json/example/stake",
            "example",
        ),
        ("bad-examples.yaml", 57, 22, f"{stake}/examples/0", "example"),
    ]
    messages = [f.message for f in found]
    assert (
        messages[1]
        == "example 'misspelt' does not match its schema: missing required property 'stake'"
    )
    assert "('stak' was unexpected)" in messages[2]
    assert messages[4].endswith("'2500' is not of type 'integer'")


def test_duplicate_operation_ids_name_both_places() -> None:
    (finding,) = findings("duplicate-names.yaml")
    assert located([finding]) == [
        ("duplicate-names.yaml", 14, 7, "/paths/~1games~1live/get/operationId", "unique")
    ]
    assert finding.message.startswith("operationId 'listGames' is not unique: also at ")
    assert finding.message.endswith("duplicate-names.yaml:8:7")


def test_path_templates_and_path_parameters_disagree_both_ways() -> None:
    found = findings("path-params.yaml")
    assert located(found) == [
        ("path-params.yaml", 7, 5, "/paths/~1pools~1{poolId}/get", "path"),
        ("path-params.yaml", 21, 11, "/paths/~1games~1{gameId}/get/parameters/1", "path"),
    ]
    assert "{poolId} is in the path template but not declared" in found[0].message
    assert "'gamId' is declared but the path template has no {gamId}" in found[1].message


def test_duplicate_yaml_key_is_reported_where_it_repeats() -> None:
    (finding,) = findings("duplicate-key.yaml")
    assert located([finding]) == [("duplicate-key.yaml", 12, 5, "/paths/~1games/get", "yaml")]


def test_asyncapi_schema_example_and_message_name_findings() -> None:
    found = findings("asyncapi-errors.yaml")
    assert located(found) == [
        ("asyncapi-errors.yaml", 15, 5, "/operations/ping/action", "asyncapi-schema"),
        (
            "asyncapi-errors.yaml",
            39,
            13,
            "/components/messages/ping/examples/0/payload/id",
            "example",
        ),
        ("asyncapi-errors.yaml", 41, 7, "/components/messages/pong/name", "unique"),
    ]
    assert found[0].message == "'publish' is not one of ['send', 'receive']"


def test_json_spec_findings_have_json_positions() -> None:
    (finding,) = findings("example.json")
    assert located([finding]) == [
        (
            "example.json",
            13,
            17,
            "/paths/~1a/get/responses/200/content/application~1json/example",
            "example",
        )
    ]


def test_multi_file_spec_findings_are_located_in_the_file_that_holds_them() -> None:
    found = findings("multi/openapi.yaml")
    assert located(found) == [
        ("schemas.yaml", 13, 7, "/Game/properties/status/example", "example"),
        (
            "openapi.yaml",
            19,
            17,
            "/paths/~1games~1{gameId}/get/responses/200/content/application~1json/example/id",
            "example",
        ),
        ("openapi.yaml", 22, 11, "/paths/~1games~1{gameId}/get/responses/404/$ref", "ref"),
    ]


def test_remote_refs_are_warnings_not_errors(tmp_path: Path) -> None:
    spec = tmp_path / "remote.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    A:\n      $ref: 'https://example.com/a.json'\n"
    )
    (finding,) = validate([spec]).findings
    assert finding.level is Level.WARNING
    assert (finding.line, finding.column) == (7, 7)


@pytest.mark.parametrize("name", ["openapi.yaml", "asyncapi.yaml"])
def test_a_fixed_copy_of_a_bad_fixture_passes(tmp_path: Path, name: str) -> None:
    """The checks are not simply failing everything: a corrected spec is clean."""
    fixed = (FIXTURES / "bad-examples.yaml").read_text()
    fixed = (
        fixed.replace("example: pool-1", "example: pol_0123456789abcdef")
        .replace("stak: 2500", "stake: 2500")
        .replace("example: -1", "example: 1")
        .replace('stake: "2500"', "stake: 2500")
        .replace("examples: [0]", "examples: [1]")
    )
    spec = tmp_path / name
    spec.write_text(fixed)
    assert validate([spec]).findings == []


def test_scenario_with_an_unknown_operation() -> None:
    (finding,) = findings("scenarios/unknown-operation.arazzo.yaml")
    assert located([finding]) == [
        ("unknown-operation.arazzo.yaml", 13, 9, "/workflows/0/steps/0/operationId", "scenario")
    ]
    assert "no operation '$sourceDescriptions.rest.openGame'" in finding.message


def test_scenario_expression_naming_a_later_step_and_an_unknown_input() -> None:
    found = findings("scenarios/later-step.arazzo.yaml")
    assert located(found) == [
        ("later-step.arazzo.yaml", 17, 13, "/workflows/0/steps/0/parameters/0/value", "scenario"),
        (
            "later-step.arazzo.yaml",
            23,
            13,
            "/workflows/0/steps/1/requestBody/payload/title",
            "scenario",
        ),
    ]
    assert (
        found[0].message
        == "step 'startGame': $steps.openGame names no earlier step (it comes later)"
    )
    assert found[1].message == "step 'openGame': $inputs.title is not an input of the workflow"


def test_scenario_parameter_the_operation_does_not_take() -> None:
    (finding,) = findings("scenarios/bad-parameter.arazzo.yaml")
    assert located([finding]) == [
        ("bad-parameter.arazzo.yaml", 18, 13, "/workflows/0/steps/0/parameters/1", "scenario")
    ]
    assert finding.message == "step 'getPool': the operation takes no query parameter 'pool_id'"


def test_scenario_against_the_arazzo_schema() -> None:
    (finding,) = findings("scenarios/not-arazzo-schema.arazzo.yaml")
    assert located([finding]) == [
        ("not-arazzo-schema.arazzo.yaml", 9, 5, "/workflows/0", "arazzo-schema")
    ]
    assert finding.message == "missing required property 'steps'"


def test_scenario_payload_checked_against_its_message_with_the_inputs_defaults() -> None:
    (finding,) = findings("scenarios/bad-payload.arazzo.yaml")
    assert located([finding]) == [
        (
            "bad-payload.arazzo.yaml",
            26,
            13,
            "/workflows/0/steps/0/requestBody/payload/reasn",
            "scenario",
        )
    ]
    assert "('reasn' was unexpected)" in finding.message


SCHEMAS_30 = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Fine: {type: object, properties: {year: {type: string, pattern: '^[0-9]{4}$'}}}
    BadType: {type: object, properties: {n: {type: 5}}}
    PythonRegex: {type: string, pattern: '(?<year>[0-9]{4})'}
    Shadow: {type: object, properties: {pattern: {type: string}}}
"""


def test_schemas_against_the_openapi_30_meta_schema_as_the_official_validator_says(
    tmp_path: Path,
) -> None:
    """The fast check (jsonschema-rs) lets no fault through: each is found, with the
    official validator's message, and a valid schema is still valid."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SCHEMAS_30)
    found = {f.pointer: f.message for f in validate([spec]).findings}
    assert found == {
        "/components/schemas/BadType": '{"properties":{"n":{"type":5}},"type":"object"} '
        "is not valid under any of the schemas listed in the 'oneOf' keyword",
        "/components/schemas/BadType/properties/n/type": "5 is not one of ['array', "
        "'boolean', 'integer', 'null', 'number', 'object', 'string']",
        "/components/schemas/PythonRegex/pattern": "'(?<year>[0-9]{4})' is not a 'regex'",
    }


def test_a_path_example_that_is_a_dot_segment_is_found_and_the_sample_says_so(
    tmp_path: Path,
) -> None:
    """No client sends a path segment "." or "..": curl and fetch remove it."""
    from instamrkt_docs.model import build, bundle
    from instamrkt_docs.samples import SampleWriter

    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /files/{name}:\n"
        "    get:\n      operationId: getFile\n      parameters:\n"
        "        - {name: name, in: path, required: true, schema: {type: string}, example: '..'}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    (finding,) = validate([spec]).findings
    assert finding.pointer == "/paths/~1files~1{name}/get/parameters/0/example"
    assert finding.message == (
        "path 'name' cannot be sent by any HTTP client: '.' and '..' are dot segments, "
        "which clients remove from the path"
    )
    result = validate([spec])
    document = result.workspace.load(spec)
    api = build(result.workspace, document, bundle(result.workspace, document))
    for sample in SampleWriter().for_operation(api.operations[0]):
        assert "path 'name' is '..': '.' and '..' are dot segments" in sample.code
