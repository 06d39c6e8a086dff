"""The shape of the vendor extensions the toolkit reads, checked wherever they appear.

A later stage takes what it can of an extension of the wrong shape and leaves the rest;
this check says, located, what it left out and why.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, pointers

RULE = "extensions"
_STATUS = {"oneOf": [{"type": "integer", "minimum": 100, "maximum": 599},
                     {"type": "string", "pattern": "^([1-5][0-9X]{2}|default)$"}]}  # fmt: skip
_SAMPLES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["lang", "source"],
        "properties": {"lang": {"type": "string"}, "source": {"type": "string"},
                       "label": {"type": "string"}},
    },
}  # fmt: skip
SHAPES: dict[str, dict[str, Any]] = {
    "x-codes": {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "properties": {"status": _STATUS, "description": {"type": "string"}},
        },
    },
    "x-codeSamples": _SAMPLES,
    "x-code-samples": _SAMPLES,
    "x-order": {"type": "number"},
    "x-samples": {
        "type": "object",
        "properties": {
            "credentialVariable": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$"}
        },
    },
    "x-key-pattern": {"type": "string", "format": "regex"},
    "x-sunset": {"type": "string"},
    "x-stability": {"type": "string"},
}
_VALIDATORS = {
    name: jsonschema.Draft202012Validator(shape, format_checker=jsonschema.FormatChecker())
    for name, shape in SHAPES.items()
}


def check(document: Document) -> list[Finding]:
    """A finding for each known extension, anywhere in the document, of the wrong shape."""
    findings: list[Finding] = []
    stack: list[tuple[str, Any]] = [("", document.data)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                where = f"{pointer}/{pointers.escape(str(key))}"
                validator = _VALIDATORS.get(key) if isinstance(key, str) else None
                if validator is not None:
                    for error in validator.iter_errors(value):
                        at = where + pointers.join([str(p) for p in error.absolute_path])
                        findings.append(document.finding(
                            at, f"{key} is not of the shape the toolkit reads: {error.message}",
                            RULE, level=Level.WARNING))  # fmt: skip
                        break
                elif isinstance(value, (dict, list)):
                    stack.append((where, value))
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{index}", item) for index, item in enumerate(node))
    return findings
