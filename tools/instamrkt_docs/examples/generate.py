"""Generate an example value from a JSON Schema, deterministically.

Used only where a spec gives no example. The value follows the schema: `const`, `enum`,
`examples`, `default`, formats, numeric and length bounds, patterns, nested objects and
arrays, `allOf` merged; `oneOf` / `anyOf` take their first branch here, and `branches`
gives one example per branch (with the discriminator's value set).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from instamrkt_docs.examples.regex import string_for
from instamrkt_docs.schema_types import declared_types, widened

Deref = Callable[[Any], Any]
MAX_DEPTH = 8

_FORMATS = {
    "date-time": "2026-01-01T12:00:00Z",
    "date": "2026-01-01",
    "time": "12:00:00Z",
    "duration": "PT1H",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com",
    "uri-reference": "/example",
    "iri": "https://example.com",
    "iri-reference": "/example",
    "url": "https://example.com",
    "uri-template": "https://example.com/{id}",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "json-pointer": "/example",
    "relative-json-pointer": "0",
    "regex": "^[a-z]+$",
    "byte": "ZXhhbXBsZQ==",
    "binary": "<binary data>",
    "password": "********",
    "int32": 0,
    "int64": 0,
}


def _identity(schema: Any) -> Any:
    return schema


def example_for(schema: Any, deref: Deref = _identity) -> Any:
    """An example value for `schema` (`deref` follows `$ref`s)."""
    return _Generator(deref).value(schema, 0, ())


def branches(schema: Any, deref: Deref = _identity) -> list[tuple[str, Any]]:
    """(label, example) for each branch of a top-level oneOf/anyOf; [] when there is none."""
    generator = _Generator(deref)
    schema = deref(schema)
    if not isinstance(schema, dict):
        return []
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and len(options) > 1:
            result = []
            discriminator = schema.get("discriminator") or {}
            mapping = {v: k for k, v in (discriminator.get("mapping") or {}).items()}
            for index, option in enumerate(options):
                label = _label(option, deref, index)
                merged = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
                value = generator.value({"allOf": [merged, option]} if merged else option, 0, ())
                name = discriminator.get("propertyName")
                if name and isinstance(value, dict):
                    ref = option.get("$ref") if isinstance(option, dict) else None
                    value[name] = mapping.get(ref, ref.rsplit("/", 1)[-1] if ref else label)
                result.append((label, value))
            return result
    return []


def _label(option: Any, deref: Deref, index: int) -> str:
    if isinstance(option, dict):
        ref = option.get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        resolved = deref(option)
        if isinstance(resolved, dict) and resolved.get("title"):
            return str(resolved["title"])
        if isinstance(resolved, dict) and isinstance(resolved.get("type"), str):
            return f"{resolved['type']} ({index + 1})"
    return f"option {index + 1}"


def _fits_type(value: Any, schema: dict) -> bool:
    """Whether a value is of a type the schema's `type` (and `nullable`) allows."""
    types = declared_types(schema)
    return types is None or _json_type(value) in widened(types)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "unknown"


class _Generator:
    def __init__(self, deref: Deref) -> None:
        self.deref = deref

    def value(self, schema: Any, depth: int, stack: tuple[int, ...]) -> Any:
        raw = schema
        schema = self.deref(schema)
        if schema is True or schema is None or schema == {}:
            return "string" if raw is not True else None
        if not isinstance(schema, dict) or id(schema) in stack or depth > MAX_DEPTH:
            return None
        stack = (*stack, id(schema))
        for key in ("const",):
            if key in schema:
                return schema[key]
        # a value of another type than the schema's (`default: null` on an integer,
        # `default: 'false'` on a boolean) is taken as no value given: the example must fit
        listed = schema.get("examples")
        if isinstance(listed, list) and listed and _fits_type(listed[0], schema):
            return listed[0]
        if "example" in schema and _fits_type(schema["example"], schema):
            return schema["example"]
        if "default" in schema and _fits_type(schema["default"], schema):
            return schema["default"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        if isinstance(schema.get("allOf"), list):
            return self.all_of(schema, depth, stack)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list) and schema[keyword]:
                rest = {k: v for k, v in schema.items() if k != keyword}
                first = next(
                    (o for o in schema[keyword] if self._type(self.deref(o)) != "null"),
                    schema[keyword][0],
                )
                if rest.get("properties") or rest.get("type"):
                    value = self.all_of({"allOf": [rest, first]}, depth, stack)
                else:
                    value = self.value(first, depth + 1, stack)
                if keyword == "oneOf" and isinstance(value, dict):
                    value = self._only_first(value, first, schema[keyword], rest)
                return value
        kind = self._type(schema)
        if kind == "object":
            return self.object(schema, depth, stack)
        if kind == "array":
            return self.array(schema, depth, stack)
        if kind == "string":
            return self.string(schema)
        if kind == "integer":
            return int(self.number(schema, integer=True))
        if kind == "number":
            return self.number(schema, integer=False)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "string"

    def _stops(self, schema: Any, depth: int, stack: tuple[int, ...]) -> bool:
        """Whether a value for `schema` one level down is cut short: a schema that
        contains itself, or one too deep."""
        resolved = self.deref(schema)
        return isinstance(resolved, dict) and (id(resolved) in stack or depth + 1 > MAX_DEPTH)

    @staticmethod
    def _type(schema: Any) -> str | None:
        if not isinstance(schema, dict):
            return None
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
        if kind is None:
            if "properties" in schema or "additionalProperties" in schema:
                return "object"
            if "items" in schema:
                return "array"
            if _format(schema) in _FORMATS or "pattern" in schema:
                return "string"
        return kind

    def all_of(self, schema: dict, depth: int, stack: tuple[int, ...]) -> Any:
        merged: dict[str, Any] = {}
        others = {k: v for k, v in schema.items() if k != "allOf"}
        parts = [*schema.get("allOf", []), others] if others else schema.get("allOf", [])
        result: Any = None
        declared_by: dict[str, bool] = {}  # whether the part that gave a key declares it
        for part in parts:
            value = self.value(part, depth + 1, stack)
            if isinstance(value, dict):
                # a part that only requires a key (a placeholder value) does not overwrite
                # one that declares it (`type: {const: heartbeat}`), whatever their order
                declared = self._declared(part, 0)
                for key, item in value.items():
                    if key not in merged or (key in declared and not declared_by[key]):
                        merged[key] = item
                        declared_by[key] = key in declared
                result = merged
            elif value is not None and result is None:
                result = value
        return result

    def _only_first(self, value: dict, first: Any, options: list, rest: dict) -> dict:
        """A oneOf value that no other branch takes: optional fields that only other
        branches require are left out (`category` or `categorySlug`, not both)."""
        needed = self._required(first) | self._required(rest)
        others = set()
        for option in options:
            if option is not first:
                others |= self._required(option)
        return {k: v for k, v in value.items() if k in needed or k not in others}

    def _required(self, schema: Any) -> set[str]:
        schema = self.deref(schema)
        if not isinstance(schema, dict):
            return set()
        found = {str(r) for r in schema.get("required") or [] if isinstance(r, str)}
        for part in schema.get("allOf") or [] if isinstance(schema.get("allOf"), list) else []:
            found |= self._required(part)
        return found

    def _declared(self, schema: Any, depth: int) -> set[str]:
        """The property names a schema (and its allOf parts) declares."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return set()
        found = set(schema["properties"]) if isinstance(schema.get("properties"), dict) else set()
        for part in schema.get("allOf") or [] if isinstance(schema.get("allOf"), list) else []:
            found |= self._declared(part, depth + 1)
        return found

    def object(self, schema: dict, depth: int, stack: tuple[int, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        required_list = schema.get("required")
        required_list = required_list if isinstance(required_list, list) else []
        required = {r for r in required_list if isinstance(r, str)}
        for name, prop in properties.items():
            if name not in required and (depth >= MAX_DEPTH - 2 or self._stops(prop, depth, stack)):
                continue  # an optional field that would only repeat its container is left out
            result[name] = self.value(prop, depth + 1, stack)
        for name in required:
            if name not in result:
                result[name] = "string"
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and not self._stops(extra, depth, stack):
            result["key"] = self.value(extra, depth + 1, stack)
        minimum = _bounded(schema.get("minProperties"), MAX_ITEMS)
        while len(result) < minimum:
            result[f"key{len(result) + 1}"] = "string"
        return result

    def array(self, schema: dict, depth: int, stack: tuple[int, ...]) -> list[Any]:
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            values = [self.value(item, depth + 1, stack) for item in prefix]
        elif isinstance(items, list):  # draft 4-7 tuple form
            values = [self.value(item, depth + 1, stack) for item in items]
        else:
            if not schema.get("minItems") and self._stops(items, depth, stack):
                return []  # items that would only repeat the array: an empty one is valid
            item = self.value(items if items is not None else {}, depth + 1, stack)
            count = max(1, _bounded(schema.get("minItems"), MAX_ITEMS))
            values = [item] * count if not schema.get("uniqueItems") or count == 1 else [item]
        return values

    def string(self, schema: dict) -> str:
        value = _FORMATS.get(_format(schema))
        if not isinstance(value, str):
            value = None
        pattern = schema.get("pattern")
        if value is None and isinstance(pattern, str):
            value = string_for(pattern)
        if value is None:
            value = "string"
        low = _bounded(schema.get("minLength"), MAX_STRING)
        high = schema.get("maxLength")
        if len(value) < low:
            value = value + "x" * (low - len(value))
        if isinstance(high, int) and not isinstance(high, bool) and 0 <= high < len(value):
            value = value[:high]
        return value

    @staticmethod
    def number(schema: dict, integer: bool) -> float:
        low = schema.get("minimum")
        exclusive_low = schema.get("exclusiveMinimum")
        high = schema.get("maximum")
        exclusive_high = schema.get("exclusiveMaximum")
        step = 1 if integer else 0.5
        value: float = 0
        low, exclusive_low, high, exclusive_high = (
            _finite(bound) for bound in (low, exclusive_low, high, exclusive_high)
        )
        if isinstance(low, (int, float)) and not isinstance(low, bool):
            value = low
            if exclusive_low is True:  # OpenAPI 3.0 / draft 4 boolean form
                value = low + step
        if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
            value = max(value, exclusive_low + step)
        if isinstance(high, (int, float)) and not isinstance(high, bool) and value > high:
            value = high
        if (
            isinstance(exclusive_high, (int, float))
            and not isinstance(exclusive_high, bool)
            and value >= exclusive_high
        ):
            value = exclusive_high - step
        multiple = _finite(schema.get("multipleOf"))
        if isinstance(multiple, (int, float)) and multiple > 0 and value % multiple:
            value = (value // multiple + 1) * multiple
        if not math.isfinite(value):  # a multipleOf too small for the bounds' floats
            value = 0
        return int(value) if integer else float(value)


MAX_ITEMS = 20  # items or properties a generated example holds, whatever minItems says
MAX_STRING = 1000  # characters of a generated string, whatever minLength says


def _bounded(value: Any, limit: int) -> int:
    """A size a schema asks for (minItems, minLength), as an int within `limit`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return 0
    return int(min(max(value, 0), limit))


def _finite(value: Any) -> Any:
    """A bound as it is, but None for one no example can use: infinite, NaN, or an
    integer too long to write (Python writes ints of 4300 digits at most)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**300:
        return None
    return value


def _format(schema: dict) -> str:
    """A schema's format, "" for none (or one that is not a string)."""
    found = schema.get("format")
    return found if isinstance(found, str) else ""
