"""Every example in a spec validates against the schema it illustrates.

OpenAPI: `example` and `examples` of media types, parameters and headers, and `example` /
`examples` inside Schema Objects. AsyncAPI: each message example's `payload` and `headers`,
and examples inside payload and header schemas. Schemas are checked with the dialect the spec
uses (OpenAPI 3.0 and 3.1 dialects, JSON Schema draft-07 for AsyncAPI), `$ref`s and all.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jsonschema import Draft7Validator
from jsonschema.exceptions import UndefinedTypeCheck, UnknownType
from jsonschema.protocols import Validator
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT7, DRAFT202012

from instamrkt_docs import patterns
from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, Target, Workspace, pointers
from instamrkt_docs.validate import explain

RULE = "example"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "not", "additionalProperties", "additionalItems", "contains", "propertyNames", "if", "then",
    "else", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json")


MAX_ERRORS = 50  # of one example: a value with thousands of faults is said in fifty


@dataclass
class _Checker:
    """Validates examples found in one spec, remembering what it has already visited."""

    workspace: Workspace
    registry: Registry
    validator_for: Callable[[str], tuple[type[Validator], Any]]
    findings: list[Finding] = field(default_factory=list)
    visited: set[tuple[str, str, str]] = field(default_factory=set)

    def first_visit(self, target: Target, what: str) -> bool:
        key = (target.document.uri, target.pointer, what)
        if key in self.visited:
            return False
        self.visited.add(key)
        return True

    def deref(self, target: Target) -> Target | None:
        """Follow `$ref`s until a value that is not a reference (None if one is broken)."""
        return self.workspace.deref(target)

    def child(self, target: Target, *parts: str | int) -> Target | None:
        value = target.value
        pointer = target.pointer
        for part in parts:
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
            pointer += "/" + pointers.escape(part)
        return Target(target.document, pointer, value)

    def check_value(self, schema: Target, value: Target, mode: str, what: str) -> None:
        """Validate one example value against the schema at `schema`."""
        uri = f"{schema.document.uri}#{quote(schema.pointer, safe='/~')}"
        cls, format_checker = self.validator_for(mode)
        validator = cls({"$ref": uri}, registry=self.registry, format_checker=format_checker)
        try:
            with patterns.overruns() as costly:
                found = itertools.islice(validator.iter_errors(value.value), MAX_ERRORS)
                errors = explain.explain_all(found)
        except Unresolvable:
            return  # reported by the reference check
        except (UnknownType, UndefinedTypeCheck, TypeError, ValueError, re.error, RecursionError):
            return  # a broken schema (`type: 5`, `pattern: "("`): the official pass says so
        for pattern in dict.fromkeys(costly):
            self.findings.append(
                value.document.finding(
                    value.pointer,
                    f"{what} could not be checked against the pattern {pattern[:80]!r} within "
                    f"{patterns.BUDGET} s (a pattern with nested repetition backtracks without "
                    "end): write it so that it cannot",
                    RULE,
                    level=Level.WARNING,
                )
            )
        for error in errors:
            pointer = value.pointer + pointers.join(explain.path_of(error))
            self.findings.append(
                value.document.finding(
                    pointer, f"{what} does not match its schema: {explain.message(error)}", RULE
                )
            )

    def walk_schema(self, schema: Target | None) -> None:
        """Check `example` / `examples` in a schema and every schema inside it."""
        stack = [schema] if schema is not None else []
        while stack:
            current = self.deref(stack.pop())
            if current is None or not isinstance(current.value, dict):
                continue
            if not self.first_visit(current, "schema"):
                continue
            value = current.value
            if "example" in value:
                self.check_value(current, self.child(current, "example"), "plain", "example")
            if isinstance(value.get("examples"), list):
                for index in range(len(value["examples"])):
                    self.check_value(
                        current, self.child(current, "examples", index), "plain", "example"
                    )
            for key in _SCHEMA_MAPS:
                if isinstance(value.get(key), dict):
                    stack.extend(self.child(current, key, name) for name in value[key])
            for key in _SCHEMA_LISTS:
                if isinstance(value.get(key), list):
                    stack.extend(self.child(current, key, i) for i in range(len(value[key])))
            items = value.get("items")
            if isinstance(items, list):
                stack.extend(self.child(current, "items", i) for i in range(len(items)))
            elif isinstance(items, dict):
                stack.append(self.child(current, "items"))
            for key in _SCHEMA_ONE:
                if isinstance(value.get(key), dict):
                    stack.append(self.child(current, key))

    # OpenAPI ---------------------------------------------------------------------------

    def openapi_examples(self, holder: Target, schema: Target | None, mode: str) -> None:
        """`example` and `examples` of a media type, parameter or header object."""
        if schema is None:
            return
        if "example" in holder.value:
            self.check_value(schema, self.child(holder, "example"), mode, "example")
        examples = holder.value.get("examples")
        if isinstance(examples, dict):
            for name in examples:
                example = self.deref(self.child(holder, "examples", name))
                if example is None or not isinstance(example.value, dict):
                    continue
                if "value" in example.value and self.first_visit(example, f"ex:{schema.pointer}"):
                    self.check_value(
                        schema, self.child(example, "value"), mode, f"example {name!r}"
                    )

    def openapi_content(self, content: Target | None, mode: str) -> None:
        if content is None or not isinstance(content.value, dict):
            return
        for media_type in content.value:
            holder = self.child(content, media_type)
            if not isinstance(holder.value, dict):
                continue
            schema = self.child(holder, "schema")
            self.openapi_examples(holder, schema, mode)
            self.walk_schema(schema)
            encoding = self.child(holder, "encoding")
            if encoding is not None and isinstance(encoding.value, dict):
                for name in encoding.value:
                    self.openapi_headers(self.child(encoding, name, "headers"))

    def openapi_parameter(self, parameter: Target | None, mode: str = "write") -> None:
        """A parameter or a header object."""
        parameter = self.deref(parameter) if parameter is not None else None
        if parameter is None or not isinstance(parameter.value, dict):
            return
        if not self.first_visit(parameter, "parameter"):
            return
        schema = self.child(parameter, "schema")
        self.openapi_examples(parameter, schema, mode)
        self.walk_schema(schema)
        self.openapi_content(self.child(parameter, "content"), mode)

    def openapi_headers(self, headers: Target | None) -> None:
        if headers is None or not isinstance(headers.value, dict):
            return
        for name in headers.value:
            self.openapi_parameter(self.child(headers, name), "read")

    def openapi_response(self, response: Target | None) -> None:
        response = self.deref(response) if response is not None else None
        if response is None or not isinstance(response.value, dict):
            return
        if not self.first_visit(response, "response"):
            return
        self.openapi_content(self.child(response, "content"), "read")
        self.openapi_headers(self.child(response, "headers"))

    def openapi_path_item(self, item: Target | None) -> None:
        item = self.deref(item) if item is not None else None
        if item is None or not isinstance(item.value, dict):
            return
        if not self.first_visit(item, "path-item"):
            return
        for parameter in _list_items(self, item, "parameters"):
            self.openapi_parameter(parameter)
        for method in _HTTP_METHODS:
            operation = self.child(item, method)
            if operation is None or not isinstance(operation.value, dict):
                continue
            for parameter in _list_items(self, operation, "parameters"):
                self.openapi_parameter(parameter)
            body = self.child(operation, "requestBody")
            body = self.deref(body) if body is not None else None
            if (
                isinstance(body, Target)
                and isinstance(body.value, dict)
                and (self.first_visit(body, "body"))
            ):
                self.openapi_content(self.child(body, "content"), "write")
            responses = self.child(operation, "responses")
            if responses is not None and isinstance(responses.value, dict):
                for code in responses.value:
                    self.openapi_response(self.child(responses, code))
            callbacks = self.child(operation, "callbacks")
            if callbacks is not None and isinstance(callbacks.value, dict):
                for name in callbacks.value:
                    callback = self.deref(self.child(callbacks, name))
                    if callback is not None and isinstance(callback.value, dict):
                        for expression in callback.value:
                            self.openapi_path_item(self.child(callback, expression))

    def openapi(self, root: Document) -> None:
        top = Target(root, "", root.data)
        for section in ("paths", "webhooks"):
            paths = self.child(top, section)
            if paths is not None and isinstance(paths.value, dict):
                for path in paths.value:
                    self.openapi_path_item(self.child(paths, path))
        components = self.child(top, "components")
        if components is None or not isinstance(components.value, dict):
            return
        for kind, visit in (
            ("parameters", self.openapi_parameter),
            ("headers", lambda t: self.openapi_parameter(t, "read")),
            ("responses", self.openapi_response),
            ("pathItems", self.openapi_path_item),
            ("schemas", lambda t: self.walk_schema(t)),
        ):
            for entry in _map_items(self, components, kind):
                visit(entry)
        for entry in _map_items(self, components, "requestBodies"):
            body = self.deref(entry)
            if body is not None and self.first_visit(body, "body"):
                self.openapi_content(self.child(body, "content"), "write")

    # AsyncAPI --------------------------------------------------------------------------

    def asyncapi_schema(self, message: Target, key: str) -> Target | None:
        """The JSON Schema of a message's payload or headers (None for other formats)."""
        schema = self.child(message, key)
        schema = self.deref(schema) if schema is not None else None
        if schema is None or not isinstance(schema.value, dict):
            return None
        schema_format = message.value.get("schemaFormat")
        if "schemaFormat" in schema.value and "schema" in schema.value:  # 3.x multi-format
            schema_format = schema.value["schemaFormat"]
            schema = self.deref(self.child(schema, "schema"))
        if schema_format and not str(schema_format).startswith(_JSON_SCHEMA_FORMATS):
            return None
        return schema

    def asyncapi_message(self, message: Target | None) -> None:
        message = self.deref(message) if message is not None else None
        if message is None or not isinstance(message.value, dict):
            return
        if isinstance(message.value.get("oneOf"), list):  # AsyncAPI 2.x
            for index in range(len(message.value["oneOf"])):
                self.asyncapi_message(self.child(message, "oneOf", index))
            return
        if not self.first_visit(message, "message"):
            return
        payload = self.asyncapi_schema(message, "payload")
        headers = self.asyncapi_schema(message, "headers")
        self.walk_schema(payload)
        self.walk_schema(headers)
        examples = message.value.get("examples")
        if not isinstance(examples, list):
            return
        for index, example in enumerate(examples):
            if not isinstance(example, dict):
                continue
            name = example.get("name", f"#{index}")
            for key, schema in (("payload", payload), ("headers", headers)):
                if key in example and schema is not None:
                    self.check_value(
                        schema,
                        self.child(message, "examples", index, key),
                        "json",
                        f"example {name!r} {key}",
                    )

    def asyncapi(self, root: Document) -> None:
        top = Target(root, "", root.data)
        channels = self.child(top, "channels")
        for channel in _map_items(self, top, "channels") if channels is not None else []:
            channel = self.deref(channel)
            if channel is None or not isinstance(channel.value, dict):
                continue
            for message in _map_items(self, channel, "messages"):  # 3.x
                self.asyncapi_message(message)
            for action in ("publish", "subscribe"):  # 2.x
                operation = self.child(channel, action)
                if operation is not None and isinstance(operation.value, dict):
                    self.asyncapi_message(self.child(operation, "message"))
        components = self.child(top, "components")
        if components is not None:
            for message in _map_items(self, components, "messages"):
                self.asyncapi_message(message)
            for schema in _map_items(self, components, "schemas"):
                self.walk_schema(schema)


def _map_items(checker: _Checker, target: Target, key: str) -> Iterator[Target]:
    mapping = checker.child(target, key)
    if mapping is not None and isinstance(mapping.value, dict):
        for name in mapping.value:
            yield checker.child(mapping, name)


def _list_items(checker: _Checker, target: Target, key: str) -> Iterator[Target]:
    sequence = checker.child(target, key)
    if sequence is not None and isinstance(sequence.value, list):
        for index in range(len(sequence.value)):
            yield checker.child(sequence, index)


def _openapi30(mode: str) -> tuple[type[Validator], Any]:
    classes = {"write": OAS30WriteValidator, "read": OAS30ReadValidator}
    return classes.get(mode, OAS30Validator), oas30_format_checker


def _openapi31(mode: str) -> tuple[type[Validator], Any]:
    return OAS31Validator, oas31_format_checker


def _asyncapi(mode: str) -> tuple[type[Validator], Any]:
    return Draft7Validator, Draft7Validator.FORMAT_CHECKER


def checker_for(workspace: Workspace, root: Document) -> _Checker | None:
    """A checker of values against the schemas of one spec (and the files it reaches)."""
    if root.kind not in ("openapi", "asyncapi"):
        return None
    from instamrkt_docs.validate import refs

    _, reached = refs.check(workspace, root)
    return _make_checker(workspace, root, reached)


def check(workspace: Workspace, root: Document, reached: list[Document]) -> list[Finding]:
    """Findings for examples that do not match their schemas in one root document."""
    checker = _make_checker(workspace, root, reached)
    if checker is None:
        return []
    if root.kind == "openapi":
        checker.openapi(root)
    else:
        checker.asyncapi(root)
    return checker.findings


def _make_checker(workspace: Workspace, root: Document, reached: list[Document]) -> _Checker | None:
    if root.kind == "openapi":
        is30 = root.version.startswith("3.0")
        specification = DRAFT4 if is30 else DRAFT202012
        validator_for = _openapi30 if is30 else _openapi31
    elif root.kind == "asyncapi":
        specification, validator_for = DRAFT7, _asyncapi
    else:
        return None
    registry = Registry().with_resources(
        (document.uri, Resource(contents=document.data, specification=specification))
        for document in reached
    )
    return _Checker(workspace, registry, validator_for)
