"""Schemas that no value can fit, though each keyword of them is well formed.

Three shapes seen in public specs, each making every request or message of the schema
fail, whatever a client sends:
- a `oneOf` whose branches are the same schema: a value fits both, so never exactly one;
- an `allOf` whose parts ask for types that do not meet (a string and an integer);
- a required property whose schema is the schema itself (`TreeNode.parent`, required and
  not nullable): every value would have to hold another, without end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, Target, Workspace, pointers
from instamrkt_docs.schema_types import declared_types, widened

RULE = "satisfiable"
MAX_DEPTH = 32
_WORDS = ("title", "description", "example", "examples", "deprecated", "externalDocs")


def check(workspace: Workspace, root: Document) -> list[Finding]:
    """Findings for the schemas of one OpenAPI or AsyncAPI document (every `oneOf` and
    `allOf` in it; the named schemas for endless ones)."""
    data = root.data if isinstance(root.data, dict) else {}
    findings: list[Finding] = []
    for node in _combinations(root):
        findings += _same_branches(workspace, node)
        findings += _types_apart(workspace, node)
    schemas = (data.get("components") or {}).get("schemas")
    for name, raw in schemas.items() if isinstance(schemas, dict) else []:
        where = Target(root, f"/components/schemas/{pointers.escape(name)}", raw)
        schema = workspace.deref(where)
        if schema is not None and isinstance(schema.value, dict):
            findings += _endless(workspace, schema, str(name))
    return findings


def _combinations(root: Document) -> Iterator[Target]:
    """Every object of a document with a `oneOf` or `allOf` list (examples left out)."""
    stack: list[tuple[Any, str]] = [(root.data, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("oneOf"), list) or isinstance(node.get("allOf"), list):
                yield Target(root, pointer, node)
            for key, value in node.items():
                if key not in ("example", "examples", "x-examples"):
                    stack.append((value, f"{pointer}/{pointers.escape(key)}"))
        elif isinstance(node, list):
            stack += [(value, f"{pointer}/{index}") for index, value in enumerate(node)]


def _finding(target: Target, message: str) -> Finding:
    return target.document.finding(target.pointer, message, RULE, level=Level.WARNING)


def _same_branches(workspace: Workspace, schema: Target) -> list[Finding]:
    options = schema.value.get("oneOf")
    if not isinstance(options, list):
        return []
    seen: dict[str, int] = {}
    for index, option in enumerate(options):
        target = workspace.deref(Target(schema.document, f"{schema.pointer}/oneOf/{index}", option))
        if target is None or not isinstance(target.value, dict):
            continue
        key = json.dumps(
            {k: v for k, v in target.value.items() if k not in _WORDS}, sort_keys=True, default=str
        )
        if key in seen:
            hint = (
                " (only the discriminator tells them apart, which JSON Schema validation "
                "does not read)"
                if isinstance(schema.value.get("discriminator"), dict)
                else ""
            )
            return [
                _finding(
                    Target(schema.document, f"{schema.pointer}/oneOf/{index}", option),
                    f"oneOf branches {seen[key] + 1} and {index + 1} are the same schema: a "
                    f"value fits both, so no value fits exactly one{hint}",
                )
            ]
        seen[key] = index
    return []


def _types(value: dict) -> set[str] | None:
    types = declared_types(value)
    return widened(types) if types is not None else None


def _types_apart(workspace: Workspace, schema: Target) -> list[Finding]:
    parts = schema.value.get("allOf")
    if not isinstance(parts, list):
        return []
    allowed = _types(schema.value)
    for index, part in enumerate(parts):
        target = workspace.deref(Target(schema.document, f"{schema.pointer}/allOf/{index}", part))
        types = (
            _types(target.value) if target is not None and isinstance(target.value, dict) else None
        )
        if types is None:
            continue
        if allowed is not None and not allowed & types:
            return [
                _finding(
                    Target(schema.document, f"{schema.pointer}/allOf/{index}", part),
                    "allOf part asks for "
                    f"{' or '.join(sorted(types))} where the others ask for "
                    f"{' or '.join(sorted(allowed))}: no value is both",
                )
            ]
        allowed = types if allowed is None else allowed & types
    return []


def _endless(workspace: Workspace, schema: Target, name: str) -> list[Finding]:
    """A required chain of properties that comes back to the schema, with no way out."""
    start = (schema.document.uri, schema.pointer)
    stack: list[tuple[Target, list[str], int]] = [(schema, [], 0)]
    visited: set[tuple[str, str]] = set()
    while stack:
        current, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        for part in _parts(workspace, current, 0):
            value = part.value
            required = value.get("required") if isinstance(value.get("required"), list) else []
            properties = value.get("properties")
            if not isinstance(properties, dict):
                continue
            for prop_name in required:
                if prop_name not in properties:
                    continue
                pointer = f"{part.pointer}/properties/{pointers.escape(prop_name)}"
                target = workspace.deref(Target(part.document, pointer, properties[prop_name]))
                if target is None or not isinstance(target.value, dict) or _escapes(target.value):
                    continue
                key = (target.document.uri, target.pointer)
                keys = {(p.document.uri, p.pointer) for p in _parts(workspace, target, 0)}
                if start in keys:
                    chain = ".".join([*path, str(prop_name)])
                    return [
                        _finding(
                            Target(part.document, pointer, properties[prop_name]),
                            f"{name} requires {chain!r}, which is a {name} again (not "
                            "nullable, no alternative): no finite value fits",
                        )
                    ]
                if key not in visited:
                    visited.add(key)
                    stack.append((target, [*path, str(prop_name)], depth + 1))
    return []


def _parts(workspace: Workspace, target: Target, depth: int) -> list[Target]:
    """A schema and its allOf parts, resolved."""
    if not isinstance(target.value, dict) or depth > MAX_DEPTH:
        return []
    found = [target]
    parts = target.value.get("allOf")
    for index, part in enumerate(parts if isinstance(parts, list) else []):
        resolved = workspace.deref(Target(target.document, f"{target.pointer}/allOf/{index}", part))
        if resolved is not None:
            found += _parts(workspace, resolved, depth + 1)
    return found


def _escapes(value: dict) -> bool:
    """Whether a value of this schema can stop the chain: null, an array (empty), a choice."""
    types = _types(value)
    if types is not None and (types - {"object"}):
        return True
    return any(k in value for k in ("oneOf", "anyOf")) or value.get("type") == "array"
