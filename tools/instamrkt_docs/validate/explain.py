"""Turn a jsonschema ValidationError into the one message a reader needs.

Spec schemas are full of `oneOf` and `anyOf` (a value or a `$ref`, one kind of object or
another), and jsonschema's top-level message for them, "is not valid under any of the given
schemas", says nothing useful. This picks the deepest, most relevant cause instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from jsonschema.exceptions import ValidationError, best_match, relevance

from instamrkt_docs import patterns

_REQUIRED = " is a required property"
_VAGUE = {"oneOf", "anyOf", "allOf", "$ref", "$dynamicRef", "if", "then", "else"}


def _is_reference_branch(error: ValidationError) -> bool:
    """A branch error that only says "this is not a Reference object"."""
    return error.validator == "required" and "'$ref' is a required property" in error.message


def deepest(error: ValidationError) -> ValidationError:
    """The most specific error behind a vague one."""
    while error.validator in _VAGUE and error.context:
        candidates = [e for e in error.context if not _is_reference_branch(e)] or error.context
        # prefer branches that went deepest into the instance: they matched the most
        best_depth = max(len(e.absolute_path) for e in candidates)
        deep = [e for e in candidates if len(e.absolute_path) == best_depth]
        chosen = best_match(deep, key=relevance)
        if chosen is None or chosen is error:
            break
        error = chosen
    return error


def message(error: ValidationError) -> str:
    """A short message for an error, with the failing value shortened."""
    text = error.message.split("\n\nFailed validating", 1)[0].strip()
    if text.endswith(_REQUIRED) and text[:1] in "'\"":
        name = text[: -len(_REQUIRED)]
        if name.startswith('"') and name.endswith('"'):
            name = f"'{name[1:-1]}'"
        text = f"missing required property {name}"
    if len(text) > 300:
        text = text[:297] + "..."
    return text


def path_of(error: ValidationError) -> Sequence[str | int]:
    """The error's path from the validated instance's root.

    For an unexpected property, the path goes on to that property, so that the finding
    points at the misspelt key rather than at the object holding it.
    """
    path = list(error.absolute_path)
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        error.instance, dict
    ):
        schema = error.schema if isinstance(error.schema, dict) else {}
        known = schema.get("properties", {})
        named = list(schema.get("patternProperties", {}))
        extras = [
            key
            for key in error.instance
            if key not in known and not any(_matches(p, key) for p in named)
        ]
        if len(extras) == 1:
            path.append(extras[0])
    return path


def explain_all(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """The specific cause of each error, without repeats.

    Several missing required properties of one object become one error naming them all.
    """
    seen: set[tuple[tuple, str]] = set()
    missing: dict[tuple, ValidationError] = {}
    result = []
    for error in errors:
        cause = deepest(error)
        path = tuple(cause.absolute_path)
        if cause.validator == "required" and cause.message.endswith(" is a required property"):
            name = cause.message[: -len(" is a required property")]
            if path in missing:
                first = missing[path]
                first.message = (
                    first.message.replace(
                        "missing required property ", "missing required properties "
                    )
                    + f", {name}"
                )
                continue
            cause.message = f"missing required property {name}"
            missing[path] = cause
        key = (path, cause.message)
        if key not in seen:
            seen.add(key)
            result.append(cause)
    return result


def _matches(pattern: str, key: str) -> bool:
    """A patternProperties pattern of the spec's, run within the patterns' budget."""
    try:
        return patterns.search(pattern, key)
    except re.error:
        return False
