"""OpenAPI 3.0 and 3.1 against the official schemas, with openapi-spec-validator.

openapi-spec-validator reports errors inside Schema Objects relative to the schema it was
checking, and as a logical path through `$ref`s. The keyword validators are wrapped here so
that every error carries the place it came from; `Workspace.follow` then turns the logical
path into a file, line and column.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    OpenAPIValidationError,
    UnresolvableParameterError,
)
from openapi_spec_validator.validation.validators import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    SpecValidator,
)
from referencing.exceptions import Unresolvable

from instamrkt_docs.findings import Finding
from instamrkt_docs.load import Document, Workspace, pointers
from instamrkt_docs.load.documents import RefError
from instamrkt_docs.load.offline import OfflineHandlers
from instamrkt_docs.load.versions import unsupported
from instamrkt_docs.validate import explain

RULE = "openapi-schema"
SUPPORTED = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}
# Nodes the validator keeps resolved by their path: without it each step re-resolves the
# path from the root (GitHub's REST description: 5.5 s without, 3.0 s with).
RESOLVED_CACHE = 4096
# Checked by instamrkt_docs.validate.names with a precise location; dropped here.
_REPORTED_ELSEWHERE = (DuplicateOperationIDError, UnresolvableParameterError)


class _IdList(list):
    """The validator's "visited" lists, with set-speed membership (they are searched often)."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set[int] = set()

    def append(self, item: int) -> None:
        self._ids.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._ids


def _located(cls: type[keywords.KeywordValidator]) -> type[keywords.KeywordValidator]:
    """A keyword validator whose errors remember the spec path being checked."""
    suffix = ["default"] if issubclass(cls, keywords.ValueValidator) else []

    class Located(cls):  # type: ignore[valid-type,misc]
        def __init__(self, registry: Any) -> None:
            super().__init__(registry)
            for name in ("visited_schema_ids", "meta_checked_schema_ids"):
                if hasattr(self, name):
                    setattr(self, name, _IdList())

        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
            where = next((a for a in reversed(args) if isinstance(a, SchemaPath)), None)
            for error in super().__call__(*args, **kwargs):
                if not isinstance(error, OpenAPIValidationError):
                    error = OpenAPIValidationError.create_from(error)
                if where is not None and not hasattr(error, "instamrkt_at"):
                    error.instamrkt_at = [*where.parts, *suffix]
                yield error

    Located.__name__ = f"Located{cls.__name__}"
    return Located


def _fast_meta(cls: type[keywords.KeywordValidator]) -> type[keywords.KeywordValidator]:
    """OpenAPI 3.0's check of each schema against its meta-schema, asked first of
    jsonschema-rs: a schema it finds valid (and whose patterns Python compiles, the one
    format the meta-schema checks) is valid; any other is checked as before, for the
    message (half of the official pass's time on GitHub's REST description)."""

    class FastMeta(cls):  # type: ignore[valid-type,misc]
        def _validate_schema_meta(self, schema: SchemaPath, schema_value: Any) -> Any:
            if (
                _META30 is not None
                and _META30.is_valid(schema_value)
                and all(_compiles(p) for p in _patterns(schema_value) if isinstance(p, str))
            ):
                return None
            return super()._validate_schema_meta(schema, schema_value)

    FastMeta.__name__ = f"FastMeta{cls.__name__}"
    return FastMeta


def _meta30() -> Any:
    try:
        import jsonschema_rs
        from openapi_schema_validator import OAS30Validator

        return jsonschema_rs.Draft4Validator(OAS30Validator.META_SCHEMA, validate_formats=False)
    except Exception:  # not installed, or a meta-schema it cannot compile: the slow way
        return None


_META30 = _meta30()


def _patterns(value: Any) -> Iterator[Any]:
    """Every `pattern` member anywhere in a schema (more than the keyword: never fewer;
    one that is no string is not a pattern, and jsonschema-rs judged its type)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "pattern" in node:
                yield node["pattern"]
            stack += node.values()
        elif isinstance(node, list):
            stack += node


@functools.lru_cache(maxsize=4096)
def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _validator_class(base: type[SpecValidator]) -> type[SpecValidator]:
    located = {name: _located(cls) for name, cls in base.keyword_validators.items()}
    if base is OpenAPIV30SpecValidator:
        located["schema"] = _located(_fast_meta(base.keyword_validators["schema"]))
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": located})


_CLASSES = {version: _validator_class(cls) for version, cls in SUPPORTED.items()}


def check(workspace: Workspace, document: Document, circular_refs: bool = False) -> list[Finding]:
    """Findings of the official OpenAPI validation of one root document.

    `circular_refs` says that the reference check already reported a `$ref` loop, on which
    openapi-spec-validator recurses until Python stops it: that is then not reported again.
    """
    why = unsupported(document)
    if why:
        return [document.finding("/openapi", why, RULE)]
    family = ".".join(document.version.split(".")[:2])

    def read(uri: str) -> Any:
        return workspace.read_reached(uri).data  # confined like our own $ref resolution

    spec = SchemaPath.from_dict(
        document.data,
        base_uri=document.uri,
        handlers=OfflineHandlers(read),
        resolved_cache_maxsize=RESOLVED_CACHE,
    )
    validator = _CLASSES[family](spec, base_uri=document.uri)
    findings: list[Finding] = []
    try:
        for error in validator.iter_errors():
            findings.append(_finding(workspace, document, error))
    except (Unresolvable, RefError):
        pass  # an unresolvable or refused $ref: the reference check reports it, located
    except RecursionError:
        if not circular_refs:
            findings.append(
                document.finding(
                    "", "openapi-spec-validator stopped: the spec nests too deeply", RULE
                )
            )
    except Exception as exc:  # the validator itself failed: say so, keep the run going
        findings.append(document.finding("", f"openapi-spec-validator stopped: {exc!r:.300}", RULE))
    return [f for f in findings if f is not None]


def _finding(workspace: Workspace, document: Document, error: ValidationError) -> Finding | None:
    if isinstance(error, _REPORTED_ELSEWHERE) or isinstance(
        getattr(error, "__cause__", None), _REPORTED_ELSEWHERE
    ):
        return None
    base = getattr(error, "instamrkt_at", [])
    cause = explain.deepest(error)
    logical = pointers.join([*base, *explain.path_of(cause)])
    target = workspace.follow(document, logical)
    return target.document.finding(target.pointer, explain.message(cause), RULE)
