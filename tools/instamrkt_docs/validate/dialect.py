"""OpenAPI 3.1 schemas against their dialect: JSON Schema 2020-12's own meta-schema.

openapi-spec-validator checks an OpenAPI 3.1 document's structure, but its Schema Objects
only loosely (`type: [object, 5]` or `properties: [a]` pass). Each schema where a spec
places one (named schemas, and those of parameters, headers and media types) is checked
here against the meta-schema of its dialect; its subschemas with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from instamrkt_docs.findings import Finding
from instamrkt_docs.load import Document, pointers
from instamrkt_docs.validate import explain

RULE = "schema-dialect"
DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)
MAX_FINDINGS = 200  # of one document


def _schemas(node: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    """The schemas a spec places (`schema` members and named schemas), not their insides."""
    if depth > 64:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{pointer}/{pointers.escape(str(key))}"
            if key == "schema" and isinstance(value, (dict, bool)):
                yield where, value
            elif key == "schemas" and pointer == "/components" and isinstance(value, dict):
                for name, schema in value.items():
                    yield f"{where}/{pointers.escape(str(name))}", schema
            elif key not in ("example", "examples", "default", "const", "enum"):
                yield from _schemas(value, where, depth + 1)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schemas(item, f"{pointer}/{index}", depth + 1)


def check(document: Document) -> list[Finding]:
    """A finding for each schema keyword of the wrong shape in an OpenAPI 3.1 document."""
    data = document.data
    if not isinstance(data, dict) or not str(data.get("openapi", "")).startswith("3.1"):
        return []
    dialect = data.get("jsonSchemaDialect", DIALECT)
    if dialect not in (DIALECT, "https://json-schema.org/draft/2020-12/schema"):
        return []  # another dialect: not one we know the meta-schema of
    findings: list[Finding] = []
    for pointer, schema in _schemas(data, ""):
        for error in explain.explain_all(_META.iter_errors(schema)):
            at = pointer + pointers.join(explain.path_of(error))
            message = f"not a JSON Schema 2020-12 schema: {explain.message(error)}"
            findings.append(document.finding(at, message, RULE))
            if len(findings) >= MAX_FINDINGS:
                return findings
    return findings
