"""Request values read back from the wire, as the OpenAPI specification serialises them.

The inverse of `samples.serialise`: a path parameter in its style (simple, label, matrix),
a form body's properties by their Encoding Objects. Texts become numbers and booleans where
the schema says so, so that the value can then be checked against the schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from instamrkt_docs.schema_types import declared_types

Deref = Callable[[Any], Any]


class StyleError(ValueError):
    """A value that its style cannot read."""


def _types(schema: Any, deref: Deref) -> set[str]:
    """The types a schema allows, looking through `allOf`/`oneOf`/`anyOf` (none: any)."""
    schema = deref(schema)
    if not isinstance(schema, dict):
        return set()
    found = declared_types(schema) or set()
    if not found:
        for key in ("allOf", "oneOf", "anyOf"):
            for branch in schema.get(key) or [] if isinstance(schema.get(key), list) else []:
                found |= _types(branch, deref)
    if not found and isinstance(schema.get("properties"), dict):
        found.add("object")
    if not found and "items" in schema:
        found.add("array")
    return found


def kind_of(schema: Any, deref: Deref) -> str:
    """ "array", "object" or "primitive": how a style writes a value of this schema."""
    types = _types(schema, deref)
    if "array" in types:
        return "array"
    if "object" in types:
        return "object"
    return "primitive"


def _subschema(schema: Any, deref: Deref, key: str, name: str = "") -> Any:
    """The schema of an array's items (`key` "items") or of an object's property."""
    schema = deref(schema)
    if not isinstance(schema, dict):
        return None
    if key == "items":
        found = schema.get("items")
    else:
        properties = schema.get("properties")
        found = properties.get(name) if isinstance(properties, dict) else None
        if found is None and isinstance(schema.get("additionalProperties"), dict):
            found = schema["additionalProperties"]
    if found is None:
        for group in ("allOf", "oneOf", "anyOf"):
            branches = schema.get(group)
            for branch in branches if isinstance(branches, list) else []:
                found = _subschema(branch, deref, key, name)
                if found is not None:
                    return found
    return found


def coerce(value: Any, schema: Any, deref: Deref) -> Any:
    """Texts read from the wire as the schema's types: `"5"` as 5, `"true"` as True."""
    if isinstance(value, list):
        items = _subschema(schema, deref, "items")
        return [coerce(item, items, deref) for item in value]
    if isinstance(value, dict):
        return {k: coerce(v, _subschema(schema, deref, "p", k), deref) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    types = _types(schema, deref)
    if "integer" in types:
        try:
            return int(value)
        except ValueError:
            pass
    if "number" in types:
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            return int(number) if number.is_integer() and "." not in value else number
    if "boolean" in types and value in ("true", "false"):
        return value == "true"
    if "null" in types and value in ("", "null"):
        return None
    return value


def _pairs(parts: list[str], between: str = ",") -> dict[str, str]:
    """`k,v,k2,v2` (or `k=v` items when `between` is "=") as a dict."""
    if between == "=":
        found = {}
        for part in parts:
            key, equals, value = part.partition("=")
            if not equals:
                raise StyleError(f"{part!r} is no key=value pair")
            found[unquote(key)] = unquote(value)
        return found
    if len(parts) % 2:
        raise StyleError("an object's keys and values do not pair up")
    return {unquote(parts[i]): unquote(parts[i + 1]) for i in range(0, len(parts), 2)}


def path_value(raw: str, name: str, style: str, explode: bool, kind: str) -> Any:
    """A path parameter's value from its percent-encoded text in the path."""
    if style == "label":
        if not raw.startswith("."):
            raise StyleError(f"a label value starts with '.': {raw!r}")
        body = raw[1:]
        if kind == "array":
            return [unquote(p) for p in body.split("." if explode else ",")] if body else []
        if kind == "object":
            return _pairs(body.split("."), "=") if explode else _pairs(body.split(","))
        return unquote(body)
    if style == "matrix":
        if not raw.startswith(";"):
            raise StyleError(f"a matrix value starts with ';': {raw!r}")
        parts = raw[1:].split(";")
        if kind == "object" and explode:
            return _pairs(parts, "=")
        values = []
        for part in parts:
            key, _equals, value = part.partition("=")
            if unquote(key) != name:
                raise StyleError(f"expected ;{name}=, found {part!r}")
            values.append(value)
        if kind == "array":
            if explode:
                return [unquote(v) for v in values]
            return [unquote(v) for v in values[0].split(",")] if values[0] else []
        if kind == "object":
            return _pairs(values[0].split(","))
        return unquote(values[0])
    # simple
    if kind == "array":
        return [unquote(p) for p in raw.split(",")] if raw else []
    if kind == "object":
        return _pairs(raw.split(","), "=" if explode else ",")
    return unquote(raw)


def form_body(body: bytes, schema: Any, encoding: Any, deref: Deref) -> dict[str, Any]:
    """An `application/x-www-form-urlencoded` body as the object it serialises."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StyleError("the form body is not UTF-8") from exc
    pairs = parse_qsl(text, keep_blank_values=True)
    encodings = encoding if isinstance(encoding, dict) else {}
    resolved = deref(schema)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    value: dict[str, Any] = {}
    used: set[int] = set()
    for name, rules in encodings.items():  # styled properties first: they may take many keys
        if not isinstance(rules, dict) or not ("style" in rules or "explode" in rules):
            continue
        style = str(rules.get("style", "form"))
        explode = bool(rules.get("explode", style == "form"))
        sub = properties.get(name)
        found = _styled(pairs, used, str(name), style, explode, kind_of(sub, deref), properties)
        if found is not None:
            value[str(name)] = coerce(found, sub, deref)
    for index, (name, item) in enumerate(pairs):
        if index in used:
            continue
        sub = properties.get(name)
        kind = kind_of(sub, deref)
        if kind == "array":
            items = _subschema(sub, deref, "items")
            entry: Any = _json_or_text(item) if kind_of(items, deref) != "primitive" else item
            value.setdefault(name, []).append(coerce(entry, items, deref))
        elif kind == "object":
            value[name] = coerce(_json_or_text(item), sub, deref)
        else:
            value[name] = coerce(item, sub, deref)
    return value


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _styled(
    pairs: list[tuple[str, str]],
    used: set[int],
    name: str,
    style: str,
    explode: bool,
    kind: str,
    properties: dict[str, Any],
) -> Any:
    """The value of one styled property, marking the pairs it takes in `used`."""
    if style == "deepObject":
        found: dict[str, Any] = {}
        prefix = name + "["
        for index, (key, item) in enumerate(pairs):
            if key.startswith(prefix) and key.endswith("]"):
                used.add(index)
                found[key[len(prefix) : -1]] = item
        return found if found else None
    if kind == "object" and explode and style == "form":
        # each property is a pair of its own: those that are no other property of the body
        found = {}
        for index, (key, item) in enumerate(pairs):
            if key not in properties or key == name:
                used.add(index)
                found[key] = item
        return found if found else None
    mine = [(i, item) for i, (key, item) in enumerate(pairs) if key == name]
    if not mine:
        return None
    used.update(i for i, _ in mine)
    if kind == "array":
        if explode and style == "form":
            return [item for _, item in mine]
        between = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return mine[0][1].split(between) if mine[0][1] else []
    if kind == "object":
        parts = mine[0][1].split(",")
        if len(parts) % 2:
            raise StyleError(f"{name}: an object's keys and values do not pair up")
        return {parts[i]: parts[i + 1] for i in range(0, len(parts), 2)}
    return mine[0][1]


def multipart_body(parts: list[tuple[str, str]], schema: Any, deref: Deref) -> dict[str, Any]:
    """A `multipart/form-data` body as the object it carries: an array in as many parts as
    it has items (or in one part of JSON), an object as JSON, a file as its text. The
    Encoding Object's `style` does not apply here (OpenAPI 3.0.3 and 3.1.0)."""
    resolved = deref(schema)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    texts: dict[str, list[str]] = {}
    for name, item in parts:
        texts.setdefault(name, []).append(item)
    value: dict[str, Any] = {}
    for name, items in texts.items():
        sub = properties.get(name)
        kind = kind_of(sub, deref)
        if kind == "array":
            whole = _json_or_text(items[0]) if len(items) == 1 else None
            if isinstance(whole, list):
                value[name] = whole
                continue
            item_schema = _subschema(sub, deref, "items")
            structured = kind_of(item_schema, deref) != "primitive"
            value[name] = [
                coerce(_json_or_text(item) if structured else item, item_schema, deref)
                for item in items
            ]
        elif kind == "object":
            value[name] = coerce(_json_or_text(items[-1]), sub, deref)
        else:
            value[name] = coerce(items[-1], sub, deref)
    return value
