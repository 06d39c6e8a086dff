"""Values checked against schemas of a bundled OpenAPI document, found by JSON pointer.

The mock reads path parameters and form bodies itself (`styles`), then checks the values
here with the validator of the spec's own dialect, `$ref`s resolved within the document.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from jsonschema.exceptions import UndefinedTypeCheck, UnknownType
from openapi_schema_validator import (
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT202012

from instamrkt_docs.load import pointers
from instamrkt_docs.validate import explain

URI = "urn:instamrkt:bundled-spec"


class SchemaCheck:
    """Checks values against the schemas of one bundled OpenAPI document."""

    def __init__(self, data: dict[str, Any]) -> None:
        is30 = str(data.get("openapi", "")).startswith("3.0")
        resource = Resource.from_contents(
            data, default_specification=DRAFT4 if is30 else DRAFT202012
        )
        self.registry = Registry().with_resource(URI, resource)
        self.cls = OAS30WriteValidator if is30 else OAS31Validator
        self.format_checker = oas30_format_checker if is30 else oas31_format_checker

    def issues(self, value: Any, pointer: str) -> list[tuple[str, str]]:
        """(JSON pointer in the value, what is wrong) for a value of the schema at `pointer`;
        a schema that cannot be used (broken, unresolvable) finds nothing."""
        ref = {"$ref": f"{URI}#{quote(pointer, safe='/~')}"}
        validator = self.cls(ref, registry=self.registry, format_checker=self.format_checker)
        try:
            errors = explain.explain_all(validator.iter_errors(value))
        except (Unresolvable, UnknownType, UndefinedTypeCheck, TypeError, ValueError, re.error):
            return []
        return [
            (pointers.join(explain.path_of(error)) or "/", explain.message(error))
            for error in errors
        ]
