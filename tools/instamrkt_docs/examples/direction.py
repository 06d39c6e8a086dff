"""Examples for one direction: what a client sends leaves out `readOnly` properties, what
it receives leaves out `writeOnly` ones (an example written once for a schema serves both,
as in Petstore's `Pet`, whose `id` the server assigns). OpenAPI 3.0 leaves them out even
when required (its `required` holds in the direction they are sent); in 3.1 `readOnly` is
JSON Schema's annotation and `required` holds both ways, so a required one is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Deref = Callable[[Any], Any]
MAX_DEPTH = 64

# The property flag a direction leaves out.
LEFT_OUT = {"write": "readOnly", "read": "writeOnly"}


def for_direction(
    value: Any, schema: Any, deref: Deref, mode: str, keep_required: bool = False
) -> Any:
    """`value` without the properties its schema marks as not sent in `mode` ("write":
    a request, "read": a response), at any depth; with `keep_required`, those the schema
    requires stay."""
    flag = LEFT_OUT.get(mode)
    if flag is None:
        return value
    return _strip(value, schema, deref, flag, 0, keep_required)


def _strip(
    value: Any, schema: Any, deref: Deref, flag: str, depth: int, keep_required: bool = False
) -> Any:
    if depth > MAX_DEPTH:
        return value
    parts = _parts(schema, deref, 0)
    if isinstance(value, dict):
        properties: dict[str, list[Any]] = {}
        required = {
            name
            for part in parts
            if keep_required and isinstance(part.get("required"), list)
            for name in part["required"]
        }
        for part in parts:
            declared = part.get("properties")
            for name, sub in declared.items() if isinstance(declared, dict) else ():
                properties.setdefault(name, []).append(sub)
        kept = {}
        for name, item in value.items():
            subs = properties.get(name, [])
            flagged = any(isinstance(deref(s), dict) and deref(s).get(flag) is True for s in subs)
            if flagged and name not in required:
                continue
            kept[name] = item
            for sub in subs:
                kept[name] = _strip(kept[name], sub, deref, flag, depth + 1, keep_required)
        return kept
    if isinstance(value, list):
        items = [p.get("items") for p in parts if isinstance(p.get("items"), (dict, bool))]
        for sub in items:
            value = [_strip(item, sub, deref, flag, depth + 1, keep_required) for item in value]
        return value
    return value


def _parts(schema: Any, deref: Deref, depth: int) -> list[dict]:
    """A schema and the `allOf` parts it is made of, resolved."""
    resolved = deref(schema)
    if not isinstance(resolved, dict) or depth > MAX_DEPTH:
        return []
    found = [resolved]
    for part in resolved.get("allOf") or [] if isinstance(resolved.get("allOf"), list) else []:
        found += _parts(part, deref, depth + 1)
    return found
