"""Schemas as readers see them: a type in words, constraints, and nested field rows."""

from __future__ import annotations

import json
from typing import Any

from instamrkt_docs.model.resolver import Resolver
from instamrkt_docs.model.types import Field

MAX_DEPTH = 5
MAX_ROWS = 400


def type_name(schema: Any, resolver: Resolver, _within: frozenset[str] = frozenset()) -> str:
    """`string (date-time)`, `array of Outcome`, `Pool | null`, `integer`...

    A schema that contains itself (`Forest: array of Forest`) is named where it recurs.
    """
    name = resolver.name(schema)
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str):
        if ref in _within:
            return name or "any"
        _within = _within | {ref}
    resolved = resolver.deref(schema)
    if not isinstance(resolved, dict):
        return "any" if resolved is True or resolved is None else "never"
    for keyword in ("oneOf", "anyOf"):
        options = resolved.get(keyword)
        if isinstance(options, list) and options:
            names = [type_name(o, resolver, _within) for o in options]
            return " | ".join(dict.fromkeys(names))
    kind = resolved.get("type")
    if isinstance(kind, list):
        parts = [_single(resolved, k, name, resolver, _within) for k in kind]
        return " | ".join(dict.fromkeys(parts))
    if kind is None:
        if "const" in resolved:
            return _const_type(resolved["const"])
        if "properties" in resolved or "allOf" in resolved:
            return name or "object"
        if "items" in resolved:
            kind = "array"
        elif "enum" in resolved:
            return "enum"
        else:
            return name or "any"
    return _single(resolved, kind, name, resolver, _within)


def _single(
    schema: dict, kind: str, name: str | None, resolver: Resolver, within: frozenset[str]
) -> str:
    if kind == "null":
        return "null"
    if kind == "array":
        items = schema.get("items")
        return f"array of {type_name(items, resolver, within)}" if items else "array"
    if kind == "object":
        return name or "object"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else kind


def _const_type(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(value), "any")


def constraints(schema: Any, resolver: Resolver) -> list[str]:
    """Constraints in words: enum values, bounds, lengths, patterns, defaults."""
    resolved = resolver.deref(schema)
    if not isinstance(resolved, dict):
        return []
    out = []
    if "const" in resolved:
        out.append(f"always {_code(resolved['const'])}")
    if isinstance(resolved.get("enum"), list):
        out.append("one of " + ", ".join(_code(v) for v in resolved["enum"]))
    for key, label in (
        ("minimum", "min"),
        ("exclusiveMinimum", "more than"),
        ("maximum", "max"),
        ("exclusiveMaximum", "less than"),
        ("multipleOf", "multiple of"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("minProperties", "min properties"),
        ("maxProperties", "max properties"),
    ):
        value = resolved.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(f"{label} {value}")
    if resolved.get("uniqueItems") is True:
        out.append("unique items")
    if isinstance(resolved.get("pattern"), str):
        out.append(f"pattern {_code(resolved['pattern'])}")
    if "default" in resolved:
        out.append(f"default {_code(resolved['default'])}")
    if resolved.get("readOnly") is True:
        out.append("read-only")
    if resolved.get("writeOnly") is True:
        out.append("write-only")
    return out


def _code(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    ticks = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def description(schema: Any, resolver: Resolver) -> str:
    """The schema's own description, or that of the schema it refers to."""
    if isinstance(schema, dict) and isinstance(schema.get("description"), str):
        return schema["description"].strip()
    resolved = resolver.deref(schema)
    if isinstance(resolved, dict) and isinstance(resolved.get("description"), str):
        return resolved["description"].strip()
    return ""


def fields(schema: Any, resolver: Resolver, compact: bool = False) -> list[Field]:
    """The rows of a field table for a schema: every property, nested ones indented.

    `compact` stops at named schemas: a field whose value is one (or an array of one) is a
    row that links to that schema's own description, with only the field's own words.
    Schemas shared by many operations are walked once (the rows are cached by schema).
    """
    resolved = resolver.deref(schema)
    key = id(resolved)
    cached = resolver.cache.get(("fields", compact, key))
    if cached is not None and cached[0] is resolved:
        return cached[1]
    rows: list[Field] = []
    _walk(schema, resolver, "", 0, rows, (), set(), compact)
    rows = _in_order(rows)
    resolver.cache[("fields", compact, key)] = (resolved, rows)
    return rows


def _in_order(rows: list[Field]) -> list[Field]:
    """Rows of every value first, then each branch's (a table each), keeping their order."""
    return [r for r in rows if not r.variant] + [r for r in rows if r.variant]


def model_ref(schema: Any, resolver: Resolver) -> str:
    """The ref of the named schema a value is, holds as items, or is or null ('' if none)."""
    ref = resolver.named_ref(schema)
    if ref or not isinstance(schema, dict):
        return ref
    items = schema.get("items")
    kind = schema.get("type")
    if isinstance(items, dict) and (kind == "array" or kind is None):
        return resolver.named_ref(items)
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list):
            named = {resolver.named_ref(o) for o in options if not _is_null(o)}
            if len(named) == 1:
                return named.pop()
    return ""


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema == {"const": None})


def own(schema: Any) -> Any:
    """A schema's own keywords, without what its `$ref` brings."""
    if isinstance(schema, dict) and "$ref" in schema:
        return {k: v for k, v in schema.items() if k != "$ref"}
    return schema


def _object_parts(
    schema: Any, resolver: Resolver, stack: tuple[int, ...], variants: bool = True
) -> list[dict]:
    """The object schemas whose properties a value has: itself, allOf parts, and (with
    `variants`) the branches of its oneOf/anyOf."""
    resolved = resolver.deref(schema)
    if not isinstance(resolved, dict) or id(resolved) in stack:
        return []
    parts = [resolved]
    keywords = ("allOf", "oneOf", "anyOf") if variants else ("allOf",)
    for keyword in keywords:
        for sub in resolved.get(keyword, []) if isinstance(resolved.get(keyword), list) else []:
            parts += _object_parts(sub, resolver, (*stack, id(resolved)), variants)
    items = resolved.get("items")
    if resolved.get("type") == "array" or (items is not None and "properties" not in resolved):
        return []
    return parts


def _branches(schema: dict, resolver: Resolver) -> list[tuple[str, str, list[dict]]]:
    """(label, discriminating property, object parts) of each branch of the `oneOf` or
    `anyOf` of a schema or of its allOf parts, when there are two or more with fields."""
    for part in _object_parts(schema, resolver, (), variants=False):
        for keyword in ("oneOf", "anyOf"):
            options = part.get(keyword)
            if not isinstance(options, list):
                continue
            discriminator = part.get("discriminator") or schema.get("discriminator")
            discriminator = discriminator if isinstance(discriminator, dict) else {}
            by = discriminator.get("propertyName")
            by = by if isinstance(by, str) else ""
            mapping = discriminator.get("mapping")
            named = {v: k for k, v in mapping.items()} if isinstance(mapping, dict) else {}
            found = []
            for index, option in enumerate(options):
                parts = _object_parts(option, resolver, (id(part),))
                if not any(isinstance(p.get("properties"), dict) for p in parts):
                    continue
                ref = option.get("$ref") if isinstance(option, dict) else None
                label = _branch_label(option, parts, by, resolver, index)
                if isinstance(ref, str) and ref in named:
                    label = str(named[ref])
                found.append((label, by, parts))
            if len(found) > 1:
                return found
    return []


def _branch_label(option: Any, parts: list[dict], by: str, resolver: Resolver, index: int) -> str:
    """A branch's name: the constant its discriminating property has, its schema's name,
    its title, else its place."""
    for part in parts:
        properties = part.get("properties")
        prop = resolver.deref(properties.get(by)) if by and isinstance(properties, dict) else None
        if isinstance(prop, dict) and "const" in prop:
            return str(prop["const"])
        if isinstance(prop, dict) and isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            return str(prop["enum"][0])
    name = resolver.name(option)
    if name:
        return name
    title = parts[0].get("title") if parts else None
    return str(title) if isinstance(title, str) and title.strip() else f"option {index + 1}"


def _walk(
    schema: Any,
    resolver: Resolver,
    prefix: str,
    depth: int,
    rows: list[Field],
    stack: tuple[int, ...],
    seen: set[tuple[str, str]],
    compact: bool = False,
    variant: tuple[str, str] = ("", ""),
) -> None:
    resolved = resolver.deref(schema)
    if not isinstance(resolved, dict) or depth > MAX_DEPTH or len(rows) >= MAX_ROWS:
        return
    if id(resolved) in stack:
        return
    stack = (*stack, id(resolved))
    if _is_array(resolved):
        items = resolved.get("items")
        if isinstance(items, dict):
            _walk(items, resolver, f"{prefix}[]", depth, rows, stack, seen, compact, variant)
        return
    branches = _branches(resolved, resolver)
    if branches:  # the fields every value has, then each branch's in a table of its own
        groups = [(variant, _object_parts(resolved, resolver, (), variants=False))]
        for label, by, parts in branches:
            name = label if not prefix else f"{prefix}: {label}"
            groups.append(((name, by if not prefix else ""), parts))
    else:
        groups = [(variant, _object_parts(resolved, resolver, ()))]
    common = set(resolved.get("required") or [])
    for group, parts in groups:
        for part in parts:
            required = set(part.get("required") or []) | common
            if group != variant:  # a branch: what its own parts require
                required |= {r for p in parts for r in p.get("required") or []}
            properties = part.get("properties")
            if not isinstance(properties, dict):
                continue
            for name, prop in properties.items():
                path = f"{prefix}.{name}" if prefix else name
                if (group[0], path) in seen:
                    continue
                seen.add((group[0], path))
                _row(prop, name, path, depth, required, resolver, rows, stack, seen, compact, group)


def _row(
    prop: Any,
    name: str,
    path: str,
    depth: int,
    required: set[str],
    resolver: Resolver,
    rows: list[Field],
    stack: tuple[int, ...],
    seen: set[tuple[str, str]],
    compact: bool,
    variant: tuple[str, str],
) -> None:
    """One property's row, then its own fields' rows (unless a named schema holds them)."""
    prop_resolved = resolver.deref(prop)
    ref = model_ref(prop, resolver) if compact else ""
    row = Field(
        path=path,
        name=name,
        depth=depth,
        type=type_name(prop, resolver),
        required=name in required,
        description=description(prop, resolver),
        constraints=constraints(prop, resolver),
        deprecated=bool(isinstance(prop_resolved, dict) and prop_resolved.get("deprecated")),
        variant=variant[0],
        variant_by=variant[1],
    )
    rows.append(row)
    if ref:  # described where the named schema is: only the field's own words here
        row.model, row.model_key = resolver.name({"$ref": ref}) or "", resolver.model_key(ref)
        mine = own(prop)
        row.description = description(mine, resolver)
        row.constraints = constraints(mine, resolver)
        return
    _walk(prop, resolver, path, depth + 1, rows, stack, seen, compact, variant)


def _is_array(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind and "object" not in kind)
