"""Values checked against schemas of a bundled OpenAPI document, found by JSON pointer.

The mock reads path parameters and form bodies itself (`styles`), then checks the values
here with the validator of the spec's own dialect, `$ref`s resolved within the document.
"""

from __future__ import annotations

import itertools
import re
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import UndefinedTypeCheck, UnknownType
from openapi_schema_validator import (
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT202012, UnknownDialect, specification_with

from instamrkt_docs.load import pointers
from instamrkt_docs.mock.limits import MAX_DETAILS
from instamrkt_docs.validate import explain

URI = "urn:instamrkt:bundled-spec"
_TIME = Draft202012Validator.FORMAT_CHECKER.checkers["time"][0]


def rfc3339_time(value: Any) -> bool:
    """JSON Schema 2020-12's `time`: RFC 3339 `full-time` (`16:39:57-08:00`)."""
    return bool(_TIME(value))


def known_dialect(uri: str) -> bool:
    """Whether a `$schema` names a JSON Schema dialect that validators know."""
    try:
        specification_with(uri)
    except UnknownDialect:
        return False
    return True


def _format_checker(is30: bool) -> FormatChecker:
    base = oas30_format_checker if is30 else oas31_format_checker
    checker = FormatChecker(())
    checker.checkers = {**base.checkers, "time": (rfc3339_time, ValueError)}
    return checker


class SchemaCheck:
    """Checks values against the schemas of one bundled OpenAPI document."""

    def __init__(self, data: dict[str, Any]) -> None:
        is30 = str(data.get("openapi", "")).startswith("3.0")
        resource = Resource.from_contents(
            data, default_specification=DRAFT4 if is30 else DRAFT202012
        )
        self.registry = Registry().with_resource(URI, resource)
        self.cls = OAS30WriteValidator if is30 else OAS31Validator
        self.format_checker = _format_checker(is30)

    def issues(self, value: Any, pointer: str) -> list[tuple[str, str]]:
        """(JSON pointer in the value, what is wrong) for a value of the schema at `pointer`;
        a schema that cannot be used (broken, unresolvable) finds nothing."""
        ref = {"$ref": f"{URI}#{quote(pointer, safe='/~')}"}
        validator = self.cls(ref, registry=self.registry, format_checker=self.format_checker)
        try:
            errors = explain.explain_all(
                itertools.islice(validator.iter_errors(value), MAX_DETAILS)
            )
        except (Unresolvable, UnknownType, UndefinedTypeCheck, TypeError, ValueError, re.error):
            return []
        return [
            (pointers.join(explain.path_of(error)) or "/", explain.message(error))
            for error in errors
        ]
