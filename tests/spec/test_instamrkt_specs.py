"""The Instamrkt specs: valid, fully described, and sharing one vocabulary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from instamrkt_docs.validate import validate
from tests.conftest import SPEC

OPENAPI = yaml.safe_load((SPEC / "openapi.yaml").read_text())
ASYNCAPI = yaml.safe_load((SPEC / "asyncapi.yaml").read_text())
METHODS = ("get", "put", "post", "delete", "patch")


def deref(spec: dict, node: Any) -> Any:
    """Follow local `$ref`s."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations() -> Iterator[tuple[str, str, dict, dict]]:
    for path, item in OPENAPI["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method], item


def properties(spec: dict, schema: Any, where: str, seen: set[int]) -> Iterator[tuple[str, dict]]:
    """Every (place, property schema) inside a schema, through refs and combinators."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from properties(spec, prop, f"{where}.{name}", seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for index, sub in enumerate(schema.get(key, [])):
            yield from properties(spec, sub, f"{where}.{key}[{index}]", seen)
    if "items" in schema:
        yield from properties(spec, schema["items"], f"{where}[]", seen)


def test_the_specs_validate_without_findings() -> None:
    result = validate([SPEC])
    assert result.findings == []
    names = [path.split("/")[-1] for path in result.checked]
    assert names[:2] == ["asyncapi.yaml", "openapi.yaml"]
    assert len(names) == 11 and all(n.endswith(".arazzo.yaml") for n in names[2:])


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m, _, _ in operations()])
def test_every_operation_is_documented(path: str, method: str) -> None:
    operation = OPENAPI["paths"][path][method]
    tags = {tag["name"] for tag in OPENAPI["tags"]}
    assert operation["operationId"]
    assert operation["summary"] and len(operation["description"]) > 40
    assert set(operation["tags"]) <= tags
    statuses = set(operation["responses"])
    assert any(s.startswith("2") for s in statuses)
    assert any(s.startswith(("4", "5")) for s in statuses), "no error response"
    if operation.get("security", OPENAPI["security"]):
        assert "401" in statuses
    for code, response in operation["responses"].items():
        response = deref(OPENAPI, response)
        assert response["description"]
        for media in response.get("content", {}).values():
            assert media.get("examples") or media.get("example") is not None, (
                f"{code} has no example"
            )
    body = operation.get("requestBody")
    if body:
        for media in body["content"].values():
            assert media.get("examples"), "request body has no example"


def test_every_parameter_and_header_is_described_with_an_example() -> None:
    for path, method, operation, item in operations():
        for parameter in item.get("parameters", []) + operation.get("parameters", []):
            parameter = deref(OPENAPI, parameter)
            assert parameter.get("description"), (path, method, parameter["name"])
            assert "example" in parameter or "examples" in parameter, (path, parameter["name"])
    for name, header in OPENAPI["components"]["headers"].items():
        assert header["description"] and "example" in header, name


@pytest.mark.parametrize("spec", [OPENAPI, ASYNCAPI], ids=["openapi", "asyncapi"])
def test_every_schema_and_property_is_described(spec: dict) -> None:
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        if not schema.get("description"):
            missing.append(name)
        for where, prop in properties(spec, schema, name, set()):
            if not (prop.get("description") or deref(spec, prop).get("description")):
                missing.append(where)
    assert missing == []


def test_every_message_is_named_titled_summarised_and_exemplified() -> None:
    for key, message in ASYNCAPI["components"]["messages"].items():
        assert message["name"] and message["title"] and message["summary"], key
        assert message["payload"] and message["examples"], key
        for example in message["examples"]:
            assert example["name"] and example["summary"], key
    for key, operation in ASYNCAPI["operations"].items():
        assert operation["title"] and operation["summary"] and operation["description"], key


def test_every_call_replies_with_its_result_or_an_error_and_carries_the_call_id() -> None:
    for key, operation in ASYNCAPI["operations"].items():
        if operation["action"] != "receive":
            continue
        call = deref(ASYNCAPI, operation["messages"][0])
        replies = [deref(ASYNCAPI, m) for m in operation["reply"]["messages"]]
        assert replies[0]["name"] in (f"{call['name']}.result", "pong"), key
        assert call["correlationId"] == replies[0]["correlationId"], key
        payload = deref(ASYNCAPI, call["payload"])
        assert "id" in payload["required"], key


def test_rest_and_websocket_share_error_codes_and_states() -> None:
    rest = OPENAPI["components"]["schemas"]
    ws = ASYNCAPI["components"]["schemas"]
    assert rest["ErrorCode"]["enum"] == ws["ErrorCode"]["enum"]
    assert list(rest["ErrorCode"]["x-codes"]) == rest["ErrorCode"]["enum"]
    for name in ("GameStatus", "PoolStatus", "BetStatus"):
        assert rest[name]["enum"] == ws[name]["enum"], name
    for name in ("ProviderId", "GameId", "PoolId", "OutcomeId", "BetId", "Currency", "PlayerRef"):
        assert rest[name]["pattern"] == ws[name]["pattern"], name
    for name in ("Pool", "Bet", "Outcome", "Settlement"):
        assert rest[name]["required"] == ws[name]["required"], name
        assert list(rest[name]["properties"]) == list(ws[name]["properties"]), name


def test_every_error_example_uses_a_code_documented_for_its_status() -> None:
    codes = OPENAPI["components"]["schemas"]["ErrorCode"]["x-codes"]
    checked = 0
    for path, method, operation, _ in operations():
        for status, response in operation["responses"].items():
            response = deref(OPENAPI, response)
            for media in response.get("content", {}).values():
                for name, example in media.get("examples", {}).items():
                    value = deref(OPENAPI, example)["value"]
                    if "error" in value:
                        code = value["error"]["code"]
                        assert codes[code]["status"] == int(status), (path, method, name, code)
                        checked += 1
    assert checked > 100


def test_servers_are_production_and_sandbox() -> None:
    assert [s["url"] for s in OPENAPI["servers"]] == [
        "https://api.instamrkt.com/v1",
        "https://sandbox.api.instamrkt.com/v1",
    ]
    assert list(ASYNCAPI["servers"]) == ["production", "sandbox"]
    schemes = ASYNCAPI["components"]["securitySchemes"]
    assert schemes["apiKey"]["scheme"] == "bearer" and schemes["ticket"]["in"] == "query"
