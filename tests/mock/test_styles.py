"""The mock reads path parameters in every style, and form and multipart bodies, as the
samples write them: what a sample sends is read back to the value it serialised, numbers
and booleans included, and a value that breaks the schema is refused with its place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from instamrkt_docs.mock import MockLog, running, styles
from instamrkt_docs.samples import serialise

SPEC = """\
openapi: 3.1.0
info: {title: styles, version: '1'}
servers: [{url: 'https://styles.example.com/v1'}]
paths:
  /label/{ids}/{point}:
    get:
      operationId: label
      parameters:
        - {name: ids, in: path, required: true, style: label, explode: true,
           schema: {type: array, items: {type: integer, maximum: 100}}}
        - {name: point, in: path, required: true, style: label,
           schema: {type: object, properties: {x: {type: integer}, ok: {type: boolean}}}}
      responses: {'204': {description: done}}
  /matrix/{ids}/{name}:
    get:
      operationId: matrix
      parameters:
        - {name: ids, in: path, required: true, style: matrix, explode: true,
           schema: {type: array, items: {type: integer}}}
        - {name: name, in: path, required: true, style: matrix,
           schema: {type: string, maxLength: 8}}
      responses: {'204': {description: done}}
  /forms:
    post:
      operationId: form
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [count]
              properties:
                count: {type: integer}
                tags: {type: array, items: {type: string}}
                filter: {type: object, properties: {min: {type: number}}}
                sizes: {type: array, items: {type: integer}}
            encoding:
              filter: {style: deepObject, explode: true}
              sizes: {style: pipeDelimited, explode: false}
      responses: {'204': {description: done}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                orderId: {type: integer}
                tags: {type: array, items: {type: string}}
                file: {type: string, format: binary}
      responses: {'204': {description: done}}
"""

CASES = [
    ("simple", False, [1, 2]), ("simple", True, {"x": 1, "ok": True}), ("simple", False, "a b"),
    ("label", False, [1, 2]), ("label", True, [1, 2]), ("label", False, {"x": 1}),
    ("label", True, {"x": 1, "ok": False}), ("matrix", False, [3, 4]),
    ("matrix", True, [3, 4]), ("matrix", False, {"x": 5}), ("matrix", True, {"x": 5}),
    ("matrix", True, "a,b;c"),
]  # fmt: skip


@pytest.mark.parametrize(("style", "explode", "value"), CASES)
def test_a_path_value_reads_back_to_what_was_serialised(style, explode, value) -> None:
    schema = {
        list: {"type": "array", "items": {"type": "integer"}},
        dict: {"type": "object", "properties": {"x": {"type": "integer"}, "ok": {"type": "boolean"}}},
        str: {"type": "string"},
    }[type(value)]  # fmt: skip
    text = serialise.path_value("p", value, style, explode)
    kind = styles.kind_of(schema, lambda node: node)
    read = styles.path_value(text, "p", style, explode, kind)
    assert styles.coerce(read, schema, lambda node: node) == value


@pytest.fixture(scope="module")
def mock(tmp_path_factory) -> Iterator[tuple[str, MockLog]]:
    spec = Path(tmp_path_factory.mktemp("styles")) / "openapi.yaml"
    spec.write_text(SPEC)
    with running([spec]) as (url, log):
        yield url, log


def details(response: requests.Response) -> list[tuple[str, str]]:
    body = response.json()
    return [(d["field"], d["issue"]) for d in body.get("errors") or body["error"]["details"]]


def test_label_and_matrix_paths_are_read_and_checked(mock) -> None:
    url, _ = mock
    assert requests.get(f"{url}/v1/label/.1.2.3/.x,7,ok,true").status_code == 204
    assert requests.get(f"{url}/v1/matrix/;ids=1;ids=2/;name=abc").status_code == 204
    refused = requests.get(f"{url}/v1/label/.1.200/.x,7")
    assert refused.status_code == 400
    assert [field for field, _ in details(refused)] == ["ids/1"]
    refused = requests.get(f"{url}/v1/matrix/;ids=1/;other=abc")
    assert refused.status_code == 400
    assert details(refused)[0][0] == "name"
    assert "expected ;name=" in details(refused)[0][1]


def test_a_form_body_is_read_by_its_encodings(mock) -> None:
    url, _ = mock
    form = {"count": 3, "tags": ["a", "b"], "filter": {"min": 1.5}, "sizes": [1, 2]}
    encoding = {"filter": {"style": "deepObject", "explode": True},
                "sizes": {"style": "pipeDelimited", "explode": False}}  # fmt: skip
    body = "&".join(serialise.urlencoded(serialise.form_pairs(form, encoding)))
    assert body == "count=3&tags=a&tags=b&filter%5Bmin%5D=1.5&sizes=1%7C2"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert requests.post(f"{url}/v1/forms", data=body, headers=headers).status_code == 204
    refused = requests.post(f"{url}/v1/forms", data="count=three&sizes=1%7Cx", headers=headers)
    assert refused.status_code == 400
    assert {field for field, _ in details(refused)} == {"/count", "/sizes/1"}


def test_multipart_parts_are_read_as_their_schema_types(mock) -> None:
    url, _ = mock
    files = [("orderId", (None, "12")), ("tags", (None, "a")), ("tags", (None, "b")),
             ("file", ("report.txt", b"bytes", "text/plain"))]  # fmt: skip
    assert requests.post(f"{url}/v1/uploads", files=files).status_code == 204
    refused = requests.post(f"{url}/v1/uploads", files=[("orderId", (None, "twelve"))])
    assert refused.status_code == 400
    assert [field for field, _ in details(refused)] == ["/orderId"]
