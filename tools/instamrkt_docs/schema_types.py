"""The types a schema's `type` keyword allows, as sets: read the same way by the example
generator, `validate` and `diff`."""

from __future__ import annotations


def declared_types(schema: dict) -> set[str] | None:
    """The types `type` names (a string or a list), `null` added for OpenAPI 3.0's
    `nullable: true`; None when the schema names no type."""
    kind = schema.get("type")
    if isinstance(kind, str):
        found = {kind}
    elif isinstance(kind, list):
        found = {k for k in kind if isinstance(k, str)}
    else:
        return None
    if schema.get("nullable") is True:
        found.add("null")
    return found


def widened(types: set[str]) -> set[str]:
    """Types as sets of values: a number includes every integer."""
    return types | ({"integer"} if "number" in types else set())
