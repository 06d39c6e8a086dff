"""`validate` says which schemas no value can fit (each keyword of them well formed): the
failures that `verify` then sees on such specs are the spec's, and the tool says where."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT

README = ROOT / "tests" / "fixtures" / "public" / "readme-oas-examples@8.2.2" / "3.0"

SPEC = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [next]
      properties:
        next: {allOf: [{$ref: '#/components/schemas/Node'}]}
    List:
      type: object
      required: [next]
      properties:
        next: {anyOf: [{$ref: '#/components/schemas/List'}, {type: 'null'}]}
    Either:
      oneOf: [{type: string, title: a}, {type: string, title: b}]
    Apart:
      allOf: [{type: string}, {type: integer}]
    Fine:
      allOf: [{type: number}, {type: integer}]
"""


def test_the_three_shapes_are_found_where_they_are(cli, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC)
    run = cli("validate", str(spec))
    lines = [line for line in run.out.splitlines() if "warning:" in line]
    assert len(lines) == 3, run.out  # not List (it may end with null), nor Fine
    assert (
        ":10:9  /components/schemas/Node/properties/next  warning: Node requires 'next', "
        "which is a Node again" in lines[0]
    )
    assert "/components/schemas/Either/oneOf/1  warning: oneOf branches 1 and 2" in lines[1]
    assert "/components/schemas/Apart/allOf/1  warning: allOf part asks for integer" in lines[2]
    assert run.status == 0  # warnings: the spec is well formed


def test_public_specs_with_such_schemas(cli) -> None:
    run = cli("validate", str(README / "circular-request-bodies.yaml"))
    assert "TreeNode requires 'parent', which is a TreeNode again" in run.out
    run = cli("validate", str(README / "response-schemas.yaml"))
    assert "schema/oneOf/2  warning: oneOf branches 1 and 3 are the same schema" in run.out
    run = cli("validate", str(README / "schema-types.yaml"))
    assert run.out.count("no value is both") == 3
