"""Generated examples: deterministic, and valid against the schema they come from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from instamrkt_docs.examples import branches, example_for, string_for
from instamrkt_docs.model.resolver import Resolver
from tests.conftest import ROOT, SPEC

FORMAT = Draft202012Validator.FORMAT_CHECKER


@pytest.mark.parametrize(
    "pattern",
    [
        r"^pol_[0-9A-Za-z]{16}$",
        r"^imk_(test|live)_[0-9A-Za-z]{24}$",
        r"^[A-Z]{3}$",
        r"^\d{3}-\w+$",
        r"[^abc]+",
        r"^(pool:pol_[0-9A-Za-z]{16}|game:gam_[0-9A-Za-z]{16})$",
        r"^[a-z]+(\.[a-z]+)*@example\.(com|org)$",
    ],
)
def test_strings_match_their_pattern(pattern: str) -> None:
    value = string_for(pattern)
    assert value is not None and re.search(pattern, value)


def test_formats_bounds_and_structures() -> None:
    schema = {
        "type": "object",
        "required": ["count", "when"],
        "properties": {
            "count": {"type": "integer", "minimum": 3, "multipleOf": 2},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "when": {"type": ["string", "null"], "format": "date-time"},
            "email": {"type": "string", "format": "email"},
            "tags": {"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 2},
            "code": {"type": "string", "minLength": 10},
            "kind": {"const": "thing"},
            "extra": {"type": "object", "additionalProperties": {"type": "boolean"}},
        },
    }
    value = example_for(schema)
    assert value == {
        "count": 4,
        "ratio": 0.5,
        "when": "2026-01-01T12:00:00Z",
        "email": "user@example.com",
        "tags": ["x", "x"],
        "code": "stringxxxx",
        "kind": "thing",
        "extra": {"key": True},
    }
    Draft202012Validator(schema, format_checker=FORMAT).validate(value)
    assert example_for(schema) == value  # deterministic


def test_all_of_merges_and_refs_are_followed() -> None:
    data = {
        "components": {
            "schemas": {
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Child": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"properties": {"size": {"type": "integer", "minimum": 1}}},
                    ]
                },
            }
        }
    }
    resolver = Resolver(data)
    assert example_for({"$ref": "#/components/schemas/Child"}, resolver.deref) == {
        "id": "string",
        "size": 1,
    }


def test_recursive_schemas_stop() -> None:
    data = {"Node": {"type": "object", "properties": {"child": {"$ref": "#/Node"}}}}
    value = example_for({"$ref": "#/Node"}, Resolver(data).deref)
    assert value == {}  # the optional field that would repeat its container is left out


def test_one_example_per_branch_with_the_discriminator_set() -> None:
    data = {
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}}},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}},
        "Pet": {
            "oneOf": [{"$ref": "#/Cat"}, {"$ref": "#/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/Cat", "dog": "#/Dog"}},
        },
    }  # fmt: skip
    resolver = Resolver(data)
    assert branches({"$ref": "#/Pet"}, resolver.deref) == [
        ("Cat", {"kind": "cat", "purrs": True}),
        ("Dog", {"kind": "dog", "barks": True}),
    ]


@pytest.mark.parametrize("name", ["openapi.yaml", "asyncapi.yaml"])
def test_generated_examples_of_every_schema_of_our_specs_are_valid(name: str) -> None:
    data = yaml.safe_load((SPEC / name).read_text())
    resolver = Resolver(data)
    schemas = data["components"]["schemas"]
    for key, schema in schemas.items():
        stripped = _without_examples(schema)
        value = example_for(stripped, resolver.deref)
        validator = Draft202012Validator(
            {"$ref": f"#/components/schemas/{key}", **{"components": data["components"]}},
            format_checker=FORMAT,
        )
        errors = [e.message for e in validator.iter_errors(value)]
        assert errors == [], (key, value)


def _without_examples(schema: dict) -> dict:
    """The schema without its own examples, so that generation is what is tested."""
    return {k: v for k, v in schema.items() if k not in ("example", "examples")}


def test_a_schema_that_contains_itself_gets_a_valid_example() -> None:
    """Recursion stops where the schema allows it: an empty array, an optional field left
    out, an empty map; never a null the schema does not allow."""
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "recursive" / "asyncapi.yaml").read_text())
    resolver = Resolver(data)
    value = example_for({"$ref": "#/components/schemas/Tree"}, resolver.deref)
    assert value["children"] == [] and value["extra"] == {} and "parent" not in value
    schema = {"$ref": "#/components/schemas/Tree", "components": data["components"]}
    assert list(Draft202012Validator(schema).iter_errors(value)) == []


# Public specs whose schemas have no examples of their own to hide the generator's
PUBLIC = ROOT / "tests" / "fixtures" / "public"
_COMBINING = ("allOf", "oneOf", "anyOf", "prefixItems")


def _no_examples(schema: object, depth: int = 0) -> object:
    """A schema without `example`/`examples` at any depth (properties kept by name)."""
    if not isinstance(schema, dict) or depth > 50:
        return schema
    out = {k: v for k, v in schema.items() if k not in ("example", "examples")}
    if isinstance(out.get("properties"), dict):
        out["properties"] = {k: _no_examples(v, depth + 1) for k, v in out["properties"].items()}
    for key in ("items", "additionalProperties", "not", "contains"):
        if isinstance(out.get(key), dict):
            out[key] = _no_examples(out[key], depth + 1)
    for key in _COMBINING:
        if isinstance(out.get(key), list):
            out[key] = [_no_examples(v, depth + 1) for v in out[key]]
    return out


def test_generated_examples_of_every_schema_of_the_public_corpus_are_valid(cli) -> None:
    """Every named schema of every public spec gets a generated example that its own
    dialect's validator accepts; the only ones that do not are schemas no value can fit,
    and `validate` says so of each (the spec's fault, found by the tool)."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    from instamrkt_docs.load import pointers
    from instamrkt_docs.render import load_specs

    failing: dict[str, list[str]] = {}
    checked = 0
    for path in sorted(PUBLIC.rglob("*.y*ml")):
        _, (document,) = load_specs([path])  # read as the tool reads it (YAML 1.2: `on`)
        data = document.data
        schemas = (data.get("components") or {}).get("schemas") if isinstance(data, dict) else None
        if not isinstance(schemas, dict):
            continue
        is30 = str(data.get("openapi", "")).startswith("3.0") or "asyncapi" in data
        stripped = {**data, "components": {**data["components"],
                    "schemas": {k: _no_examples(v) for k, v in schemas.items()}}}  # fmt: skip
        resource = Resource.from_contents(
            stripped, default_specification=DRAFT4 if is30 else DRAFT202012
        )
        registry = Registry().with_resource("urn:spec", resource)
        resolver = Resolver(stripped)
        for key in schemas:
            pointer = f"/components/schemas/{pointers.escape(key)}"
            value = example_for({"$ref": "#" + pointer}, resolver.deref)
            cls = OAS30Validator if is30 else OAS31Validator
            validator = cls({"$ref": f"urn:spec#{pointer}"}, registry=registry)
            checked += 1
            if any(True for _ in validator.iter_errors(value)):
                failing.setdefault(str(path), []).append(key)
    assert checked > 300, checked
    for spec, keys in failing.items():
        run = cli("validate", spec)
        said = [line for line in run.out.splitlines() if "no value" in line or "no finite" in line]
        _, (document,) = load_specs([Path(spec)])
        for key in keys:  # the schema, or one it holds, is one that no value can fit
            reached = _reached(document.data["components"]["schemas"], key)
            assert any(f"/components/schemas/{k}/" in line for k in reached for line in said), (
                spec, key, said)  # fmt: skip


def _reached(schemas: dict, key: str) -> set[str]:
    """A named schema and every named schema it refers to, at any depth."""
    found, queue = {key}, [key]
    while queue:
        text = json.dumps(schemas.get(queue.pop()), default=str)
        for name in re.findall(r"#/components/schemas/([^\"/]+)", text):
            if name not in found:
                found.add(name)
                queue.append(name)
    return found
