"""AsyncAPI 2.x and 3.x against the official JSON Schemas (vendored from @asyncapi/specs)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from jsonschema import Draft7Validator

from instamrkt_docs.findings import Finding
from instamrkt_docs.load import Document, pointers
from instamrkt_docs.load.versions import ASYNCAPI, unsupported
from instamrkt_docs.validate import explain

RULE = "asyncapi-schema"
SUPPORTED = ASYNCAPI  # a schema each (schemas/asyncapi/)


@cache
def schema_validator(version: str) -> Draft7Validator:
    """The validator for one AsyncAPI version's official schema."""
    text = resources.files("instamrkt_docs.validate.schemas.asyncapi").joinpath(f"{version}.json")
    schema = json.loads(text.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def check(document: Document) -> list[Finding]:
    """Findings of the official AsyncAPI validation of one root document."""
    why = unsupported(document)
    if why:
        return [document.finding("/asyncapi", why, RULE)]
    version = document.version
    errors = schema_validator(version).iter_errors(document.data)
    return [
        document.finding(pointers.join(explain.path_of(e)), explain.message(e), RULE)
        for e in explain.explain_all(errors)
    ]
