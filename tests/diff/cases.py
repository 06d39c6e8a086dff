"""Fixture pairs for `diff`: for each rule, an old and a new spec and the change expected,
with its place on both sides (a JSON pointer each; line and column follow from it).

Schema rules are written once (`SCHEMA_CASES`) and taken in both directions: the schema as
a request body (what a client sends) and as a response body (what it receives)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

REQUEST_AT = "/paths/~1items/post/requestBody/content/application~1json/schema"
RESPONSE_AT = "/paths/~1items/post/responses/200/content/application~1json/schema"


@dataclass
class Case:
    rule: str
    old: Any  # a document, or {file name: document} for a folder
    new: Any
    old_at: str | None  # the pointer on each side (None: no place on that side)
    new_at: str | None
    also: set[str] = field(default_factory=set)  # other rules the change brings along


def oas(paths: dict | None = None, **top: Any) -> dict:
    """An OpenAPI 3.1 document: these paths (or one GET /items) and top-level members."""
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": paths if paths is not None else {"/items": {"get": op("listItems")}},
    }
    doc.update(top)
    return doc


def op(operation_id: str, **more: Any) -> dict:
    found = {"operationId": operation_id, "responses": {"200": {"description": "ok"}}}
    found.update(more)
    return found


def body(schema: Any, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def answer(schema: Any) -> dict:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


OBJ = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}


def _with(schema: dict, **changes: Any) -> dict:
    found = copy.deepcopy(schema)
    for key, value in changes.items():
        if value is None:
            found.pop(key, None)
        else:
            found[key] = value
    return found


def _prop(schema: dict, name: str, **changes: Any) -> dict:
    found = copy.deepcopy(schema)
    found["properties"][name] = _with(found["properties"][name], **changes)
    return found


S = {"type": "string"}
N = {"type": "number"}
A = {"type": "array", "items": S}
SCHEMA_CASES: list[tuple[str, dict, dict, str | None, str | None]] = [
    ("property-removed", OBJ, {"type": "object", "properties": {"b": S}}, "/properties/a", ""),
    ("property-removed-after-deprecation", _prop(OBJ, "a", deprecated=True),
     {"type": "object", "properties": {"b": S}}, "/properties/a", ""),
    ("property-added", OBJ, _prop({**OBJ, "properties": {**OBJ["properties"], "c": S}}, "c"),
     "", "/properties/c"),
    ("property-added-required", OBJ,
     {**OBJ, "properties": {**OBJ["properties"], "c": S}, "required": ["c"]}, "", "/properties/c"),
    ("property-became-required", OBJ, {**OBJ, "required": ["a"]}, "/properties/a", "/properties/a"),
    ("property-became-optional", {**OBJ, "required": ["a"]}, OBJ, "/properties/a", "/properties/a"),
    ("type-changed", S, {"type": "boolean"}, "/type", "/type"),
    ("type-widened", {"type": "integer"}, N, "/type", "/type"),
    ("type-narrowed", N, {"type": "integer"}, "/type", "/type"),
    ("became-nullable", S, {"type": ["string", "null"]}, "", "/type"),
    ("became-not-nullable", {"type": ["string", "null"]}, S, "/type", "/type"),
    ("enum-value-removed", {**S, "enum": ["a", "b"]}, {**S, "enum": ["a"]}, "/enum/1", "/enum"),
    ("enum-value-added", {**S, "enum": ["a"]}, {**S, "enum": ["a", "b"]}, "/enum", "/enum/1"),
    ("enum-added", S, {**S, "enum": ["a"]}, "", "/enum"),
    ("enum-removed", {**S, "enum": ["a"]}, S, "/enum", ""),
    ("const-changed", {**S, "const": "a"}, {**S, "const": "b"}, "/const", "/const"),
    ("max-length-decreased", {**S, "maxLength": 10}, {**S, "maxLength": 5}, "/maxLength", "/maxLength"),
    ("max-length-increased", {**S, "maxLength": 5}, {**S, "maxLength": 10}, "/maxLength", "/maxLength"),
    ("min-length-increased", {**S, "minLength": 1}, {**S, "minLength": 3}, "/minLength", "/minLength"),
    ("min-length-decreased", {**S, "minLength": 3}, {**S, "minLength": 1}, "/minLength", "/minLength"),
    ("maximum-decreased", {**N, "maximum": 10}, {**N, "maximum": 5}, "/maximum", "/maximum"),
    ("maximum-increased", {**N, "maximum": 5}, {**N, "maximum": 10}, "/maximum", "/maximum"),
    ("minimum-increased", {**N, "minimum": 0}, {**N, "minimum": 1}, "/minimum", "/minimum"),
    ("minimum-decreased", {**N, "minimum": 1}, {**N, "minimum": 0}, "/minimum", "/minimum"),
    ("max-items-decreased", {**A, "maxItems": 10}, {**A, "maxItems": 5}, "/maxItems", "/maxItems"),
    ("max-items-increased", {**A, "maxItems": 5}, {**A, "maxItems": 10}, "/maxItems", "/maxItems"),
    ("min-items-increased", {**A, "minItems": 0}, {**A, "minItems": 1}, "/minItems", "/minItems"),
    ("min-items-decreased", {**A, "minItems": 1}, {**A, "minItems": 0}, "/minItems", "/minItems"),
    ("pattern-added", S, {**S, "pattern": "^a"}, "", "/pattern"),
    ("pattern-changed", {**S, "pattern": "^a"}, {**S, "pattern": "^b"}, "/pattern", "/pattern"),
    ("pattern-removed", {**S, "pattern": "^a"}, S, "/pattern", ""),
    ("format-added", S, {**S, "format": "date"}, "", "/format"),
    ("format-changed", {**S, "format": "date"}, {**S, "format": "date-time"}, "/format", "/format"),
    ("format-removed", {**S, "format": "date"}, S, "/format", ""),
    ("one-of-branch-added", {"oneOf": [{**S, "title": "x"}]},
     {"oneOf": [{**S, "title": "x"}, {**N, "title": "y"}]}, "/oneOf", "/oneOf/1"),
    ("one-of-branch-removed", {"oneOf": [{**S, "title": "x"}, {**N, "title": "y"}]},
     {"oneOf": [{**S, "title": "x"}]}, "/oneOf/1", "/oneOf"),
    ("any-of-branch-added", {"anyOf": [{**S, "title": "x"}]},
     {"anyOf": [{**S, "title": "x"}, {**N, "title": "y"}]}, "/anyOf", "/anyOf/1"),
    ("any-of-branch-removed", {"anyOf": [{**S, "title": "x"}, {**N, "title": "y"}]},
     {"anyOf": [{**S, "title": "x"}]}, "/anyOf/1", "/anyOf"),
    ("all-of-part-added", {"allOf": [{**S, "title": "x"}]},
     {"allOf": [{**S, "title": "x"}, {"title": "y", "minLength": 1}]}, "/allOf", "/allOf/1"),
    ("all-of-part-removed", {"allOf": [{**S, "title": "x"}, {"title": "y", "minLength": 1}]},
     {"allOf": [{**S, "title": "x"}]}, "/allOf/1", "/allOf"),
    ("additional-properties-forbidden", OBJ, {**OBJ, "additionalProperties": False},
     "", "/additionalProperties"),
    ("additional-properties-allowed", {**OBJ, "additionalProperties": False}, OBJ,
     "/additionalProperties", ""),
    ("property-became-read-only", OBJ, _prop(OBJ, "a", readOnly=True),
     "/properties/a", "/properties/a"),
    ("property-became-write-only", OBJ, _prop(OBJ, "a", writeOnly=True),
     "/properties/a", "/properties/a"),
    ("default-changed", {**S, "default": "a"}, {**S, "default": "b"}, "/default", "/default"),
    ("multiple-of-changed", {**N, "multipleOf": 1}, {**N, "multipleOf": 5}, "", "/multipleOf"),
]  # fmt: skip


def schema_cases() -> list[Case]:
    """Each schema case as a request body and as a response body."""
    found = []
    for suffix, before, after, old_at, new_at in SCHEMA_CASES:
        for direction, at in (("request", REQUEST_AT), ("response", RESPONSE_AT)):

            def place(schema: dict, direction: str = direction) -> dict:
                if direction == "request":
                    return oas({"/items": {"post": op("addItem", requestBody=body(schema))}})
                return oas({"/items": {"post": op("addItem", responses=answer(schema))}})

            found.append(
                Case(
                    f"{direction}-{suffix}",
                    place(before),
                    place(after),
                    None if old_at is None else at + old_at,
                    None if new_at is None else at + new_at,
                )
            )
    return found


ITEMS = "/paths/~1items"
GET = f"{ITEMS}/get"
P = {"name": "q", "in": "query", "schema": S}
KEY = {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"}}
BEARER = {"bearer": {"type": "http", "scheme": "bearer"}}
OAUTH = {
    "oauth": {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {
                "tokenUrl": "https://t.example.com",
                "scopes": {"r": "read", "w": "write"},
            }
        },
    }
}


def get(**more: Any) -> dict:
    return oas({"/items": {"get": op("listItems", **more)}})


def _both(paths: dict, **top: Any) -> dict:
    return oas(paths, **top)


OTHER_CASES: list[Case] = [
    Case("operation-removed", get(), oas({}), GET, None),
    Case("operation-removed-after-deprecation", get(deprecated=True), oas({}), GET, None),
    Case("operation-removed-before-sunset", get(deprecated=True, **{"x-sunset": "2999-01-01"}),
         oas({}), GET, None),
    Case("operation-added", oas({}), get(), None, GET),
    Case("operation-deprecated", get(), get(deprecated=True), GET, f"{GET}/deprecated"),
    Case("operation-undeprecated", get(deprecated=True), get(), f"{GET}/deprecated", GET),
    Case("operation-id-changed", get(), oas({"/items": {"get": op("fetchItems")}}),
         f"{GET}/operationId", f"{GET}/operationId"),
    Case("operation-sunset-added", get(), get(**{"x-sunset": "2999-01-01"}), GET, f"{GET}/x-sunset"),
    Case("operation-stability-decreased", get(**{"x-stability-level": "stable"}),
         get(**{"x-stability-level": "beta"}), f"{GET}/x-stability-level",
         f"{GET}/x-stability-level"),
    Case("webhook-removed", oas(webhooks={"ping": {"post": op("ping")}}), oas(),
         "/webhooks/ping/post", None),
    Case("webhook-added", oas(), oas(webhooks={"ping": {"post": op("ping")}}), None,
         "/webhooks/ping/post"),
    Case("request-parameter-removed", get(parameters=[P]), get(), f"{GET}/parameters/0", GET),
    Case("request-parameter-added", get(), get(parameters=[P]), GET, f"{GET}/parameters/0"),
    Case("request-parameter-added-required", get(), get(parameters=[{**P, "required": True}]),
         GET, f"{GET}/parameters/0"),
    Case("request-parameter-became-required", get(parameters=[P]),
         get(parameters=[{**P, "required": True}]), f"{GET}/parameters/0",
         f"{GET}/parameters/0/required"),
    Case("request-parameter-became-optional", get(parameters=[{**P, "required": True}]),
         get(parameters=[P]), f"{GET}/parameters/0", f"{GET}/parameters/0"),
    Case("request-parameter-location-changed", get(parameters=[P]),
         get(parameters=[{**P, "in": "header"}]), f"{GET}/parameters/0", f"{GET}/parameters/0"),
    Case("request-parameter-style-changed", get(parameters=[{**P, "schema": A}]),
         get(parameters=[{**P, "schema": A, "style": "pipeDelimited"}]), f"{GET}/parameters/0",
         f"{GET}/parameters/0", {"request-parameter-explode-changed"}),
    Case("request-parameter-explode-changed", get(parameters=[{**P, "schema": A}]),
         get(parameters=[{**P, "schema": A, "explode": False}]), f"{GET}/parameters/0",
         f"{GET}/parameters/0"),
    Case("request-parameter-deprecated", get(parameters=[P]),
         get(parameters=[{**P, "deprecated": True}]), f"{GET}/parameters/0",
         f"{GET}/parameters/0/deprecated"),
    Case("request-body-added-required", get(), get(requestBody=body(S)), GET, f"{GET}/requestBody"),
    Case("request-body-added", get(), get(requestBody=body(S, False)), GET, f"{GET}/requestBody"),
    Case("request-body-removed", get(requestBody=body(S)), get(), f"{GET}/requestBody", GET),
    Case("request-body-became-required", get(requestBody=body(S, False)),
         get(requestBody=body(S)), f"{GET}/requestBody", f"{GET}/requestBody"),
    Case("request-body-became-optional", get(requestBody=body(S)),
         get(requestBody=body(S, False)), f"{GET}/requestBody", f"{GET}/requestBody"),
    Case("request-media-type-removed", get(requestBody={"content": {
        "application/json": {"schema": S}, "text/plain": {"schema": S}}}),
         get(requestBody=body(S, False)), f"{GET}/requestBody/content/text~1plain",
         f"{GET}/requestBody"),
    Case("request-media-type-added", get(requestBody=body(S, False)), get(requestBody={"content": {
        "application/json": {"schema": S}, "text/plain": {"schema": S}}}),
         f"{GET}/requestBody", f"{GET}/requestBody/content/text~1plain"),
    Case("response-success-status-removed", get(),
         get(responses={"404": {"description": "no"}}), f"{GET}/responses/200",
         f"{GET}/responses", {"response-status-added"}),
    Case("response-status-removed", get(responses={"200": {"description": "ok"},
                                                    "404": {"description": "no"}}),
         get(), f"{GET}/responses/404", f"{GET}/responses"),
    Case("response-status-added", get(), get(responses={"200": {"description": "ok"},
                                                          "404": {"description": "no"}}),
         f"{GET}/responses", f"{GET}/responses/404"),
    Case("response-success-status-added", get(), get(responses={"200": {"description": "ok"},
                                                                  "202": {"description": "later"}}),
         f"{GET}/responses", f"{GET}/responses/202"),
    Case("response-media-type-removed", get(responses={"200": {"description": "ok", "content": {
        "application/json": {"schema": S}, "text/csv": {"schema": S}}}}),
         get(responses=answer(S)), f"{GET}/responses/200/content/text~1csv", f"{GET}/responses/200"),
    Case("response-media-type-added", get(responses=answer(S)), get(responses={"200": {
        "description": "ok", "content": {"application/json": {"schema": S},
                                         "text/csv": {"schema": S}}}}),
         f"{GET}/responses/200", f"{GET}/responses/200/content/text~1csv"),
    Case("response-header-removed", get(responses={"200": {"description": "ok", "headers": {
        "X-Rate": {"schema": S}}}}), get(), f"{GET}/responses/200/headers/X-Rate",
         f"{GET}/responses/200"),
    Case("response-header-added", get(), get(responses={"200": {"description": "ok", "headers": {
        "X-Rate": {"schema": S}}}}), f"{GET}/responses/200", f"{GET}/responses/200/headers/X-Rate"),
    Case("response-header-became-optional", get(responses={"200": {"description": "ok", "headers": {
        "X-Rate": {"schema": S, "required": True}}}}), get(responses={"200": {
            "description": "ok", "headers": {"X-Rate": {"schema": S}}}}),
         f"{GET}/responses/200/headers/X-Rate", f"{GET}/responses/200/headers/X-Rate"),
    Case("security-requirement-added", get(components={"securitySchemes": KEY}),
         get(security=[{"apiKey": []}], components={"securitySchemes": KEY}), "/security",
         f"{GET}/security"),
    Case("security-requirement-removed", get(security=[{"apiKey": []}], components={
        "securitySchemes": KEY}), get(components={"securitySchemes": KEY}), f"{GET}/security",
         "/security"),
    Case("security-scope-added", get(security=[{"oauth": ["r"]}], components={
        "securitySchemes": OAUTH}), get(security=[{"oauth": ["r", "w"]}], components={
            "securitySchemes": OAUTH}), f"{GET}/security", f"{GET}/security"),
    Case("security-scope-removed", get(security=[{"oauth": ["r", "w"]}], components={
        "securitySchemes": OAUTH}), get(security=[{"oauth": ["r"]}], components={
            "securitySchemes": OAUTH}), f"{GET}/security", f"{GET}/security"),
    Case("security-scheme-changed", oas(components={"securitySchemes": KEY}),
         oas(components={"securitySchemes": {"apiKey": {**KEY["apiKey"], "name": "Y-Key"}}}),
         "/components/securitySchemes/apiKey", "/components/securitySchemes/apiKey"),
    Case("security-scheme-removed", oas(components={"securitySchemes": {**KEY, **BEARER}}),
         oas(components={"securitySchemes": KEY}), "/components/securitySchemes/bearer",
         "/components/securitySchemes"),
    Case("security-scheme-added", oas(components={"securitySchemes": KEY}),
         oas(components={"securitySchemes": {**KEY, **BEARER}}), "/components/securitySchemes",
         "/components/securitySchemes/bearer"),
    Case("schema-removed", oas(components={"schemas": {"A": S, "B": S}}),
         oas(components={"schemas": {"A": S}}), "/components/schemas/B", "/components/schemas"),
    Case("schema-added", oas(components={"schemas": {"A": S}}),
         oas(components={"schemas": {"A": S, "B": S}}), "/components/schemas",
         "/components/schemas/B"),
    Case("server-removed", oas(servers=[{"url": "https://a.example.com"},
                                        {"url": "https://b.example.com"}]),
         oas(servers=[{"url": "https://a.example.com"}]), "/servers/1", "/servers"),
    Case("server-added", oas(servers=[{"url": "https://a.example.com"}]),
         oas(servers=[{"url": "https://a.example.com"}, {"url": "https://b.example.com"}]),
         "/servers", "/servers/1"),
    Case("version-changed", oas(), {**oas(), "info": {"title": "t", "version": "2.0.0"}},
         "/info/version", "/info/version"),
    Case("version-not-bumped", get(), oas({"/items": {"post": op("addItem")}}), "/info/version",
         "/info/version", {"operation-removed", "operation-added"}),
    Case("spec-removed", {"a.json": oas(), "b.json": oas()}, {"a.json": oas()}, "", None),
    Case("spec-added", {"a.json": oas()}, {"a.json": oas(), "b.json": oas()}, None, ""),
]  # fmt: skip


def aas(channels: dict, operations: dict | None = None, **top: Any) -> dict:
    doc = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1.0.0"},
           "channels": channels, "operations": operations or {}}  # fmt: skip
    doc.update(top)
    return doc


MSG = {"payload": {"type": "object", "properties": {"a": S}}}
CH = {"address": "/stream", "messages": {"tick": MSG}}


def stream(channel: dict | None = None, **operation: Any) -> dict:
    """One channel `s` and one operation `go` the client sends (action receive)."""
    found = {"action": "receive", "channel": {"$ref": "#/channels/s"},
             "messages": [{"$ref": "#/channels/s/messages/tick"}]}  # fmt: skip
    found.update(operation)
    return aas({"s": channel or CH}, {"go": found})


REPLY = {"channel": {"$ref": "#/channels/s"}, "messages": [{"$ref": "#/channels/s/messages/tick"}]}
WITH_CID = {
    **CH,
    "messages": {"tick": {**MSG, "correlationId": {"location": "$message.payload#/a"}}},
}
TICK = "/channels/s/messages/tick"

ASYNC_CASES: list[Case] = [
    Case("channel-removed", aas({"s": CH, "t": {"address": "/t"}}), aas({"s": CH}),
         "/channels/t", None),
    Case("channel-added", aas({"s": CH}), aas({"s": CH, "t": {"address": "/t"}}), None,
         "/channels/t"),
    Case("channel-address-changed", aas({"s": CH}), aas({"s": {**CH, "address": "/v2"}}),
         "/channels/s/address", "/channels/s/address"),
    Case("channel-parameter-added", aas({"s": CH}), aas({"s": {**CH, "address": "/s/{id}",
                                                              "parameters": {"id": {}}}}),
         "/channels/s", "/channels/s", {"channel-address-changed"}),
    Case("channel-parameter-removed", aas({"s": {**CH, "address": "/s/{id}",
                                                 "parameters": {"id": {}}}}), aas({"s": CH}),
         "/channels/s", "/channels/s", {"channel-address-changed"}),
    Case("channel-binding-changed", aas({"s": CH}), aas({"s": {**CH, "bindings": {"ws": {
        "method": "GET"}}}}), "/channels/s/bindings", "/channels/s/bindings"),
    Case("async-operation-removed", stream(), aas({"s": CH}), "/operations/go", None),
    Case("async-operation-added", aas({"s": CH}), stream(), None, "/operations/go"),
    Case("async-operation-action-changed", stream(), stream(action="send"),
         "/operations/go/action", "/operations/go/action", {"message-added-received",
                                                            "message-removed"}),
    Case("async-operation-channel-changed", aas({"s": CH, "t": CH}, {"go": {
        "action": "receive", "channel": {"$ref": "#/channels/s"}}}), aas({"s": CH, "t": CH}, {
            "go": {"action": "receive", "channel": {"$ref": "#/channels/t"}}}),
         "/operations/go/channel", "/operations/go/channel"),
    Case("async-reply-removed", stream(reply=REPLY), stream(), "/operations/go/reply",
         "/operations/go"),
    Case("async-reply-added", stream(), stream(reply=REPLY), "/operations/go",
         "/operations/go/reply"),
    Case("message-removed", stream(channel={**CH, "messages": {"tick": MSG, "tock": MSG}},
                                   messages=[{"$ref": "#/channels/s/messages/tick"},
                                             {"$ref": "#/channels/s/messages/tock"}]),
         stream(), "/channels/s/messages/tock", "/operations/go"),
    Case("message-added", stream(), stream(channel={**CH, "messages": {"tick": MSG, "tock": MSG}},
                                           messages=[{"$ref": "#/channels/s/messages/tick"},
                                                     {"$ref": "#/channels/s/messages/tock"}]),
         "/operations/go", "/channels/s/messages/tock"),
    Case("message-added-received", stream(action="send"), stream(
        action="send", channel={**CH, "messages": {"tick": MSG, "tock": MSG}},
        messages=[{"$ref": "#/channels/s/messages/tick"}, {"$ref": "#/channels/s/messages/tock"}]),
         "/operations/go", "/channels/s/messages/tock"),
    Case("message-correlation-id-changed", stream(channel=WITH_CID), stream(channel={
        **CH, "messages": {"tick": {**MSG, "correlationId": {"location": "$message.payload#/b"}}}}),
         f"{TICK}/correlationId", f"{TICK}/correlationId"),
    Case("message-correlation-id-removed", stream(channel=WITH_CID), stream(),
         f"{TICK}/correlationId", TICK),
    Case("message-content-type-changed", stream(channel={**CH, "messages": {"tick": {
        **MSG, "contentType": "application/json"}}}), stream(channel={**CH, "messages": {"tick": {
            **MSG, "contentType": "application/avro"}}}), f"{TICK}/contentType",
         f"{TICK}/contentType"),
    Case("async-security-requirement-added", stream(), stream(security=[
        {"$ref": "#/components/securitySchemes/key"}], ), "/operations/go",
         "/operations/go/security"),
    Case("async-security-requirement-removed", stream(security=[
        {"$ref": "#/components/securitySchemes/key"}]), stream(), "/operations/go/security",
         "/operations/go"),
    Case("async-server-removed", aas({"s": CH}, servers={"a": {"host": "a", "protocol": "ws"},
                                                         "b": {"host": "b", "protocol": "ws"}}),
         aas({"s": CH}, servers={"a": {"host": "a", "protocol": "ws"}}), "/servers/b", None),
    Case("async-server-added", aas({"s": CH}, servers={"a": {"host": "a", "protocol": "ws"}}),
         aas({"s": CH}, servers={"a": {"host": "a", "protocol": "ws"},
                                 "b": {"host": "b", "protocol": "ws"}}), None, "/servers/b"),
    Case("async-server-protocol-changed", aas({"s": CH}, servers={"a": {"host": "a",
                                                                        "protocol": "ws"}}),
         aas({"s": CH}, servers={"a": {"host": "a", "protocol": "wss"}}),
         "/servers/a/protocol", "/servers/a/protocol"),
]  # fmt: skip

ARAZZO = {
    "arazzo": "1.1.0", "info": {"title": "s", "version": "1"},
    "sourceDescriptions": [{"name": "rest", "url": "../openapi.json", "type": "openapi"}],
    "workflows": [{"workflowId": "list", "steps": [
        {"stepId": "list", "operationId": "$sourceDescriptions.rest.listItems"}]}],
}  # fmt: skip
ADD = {
    **ARAZZO,
    "workflows": [{"workflowId": "add", "steps": [{
        "stepId": "add", "operationId": "$sourceDescriptions.rest.addItem",
        "requestBody": {"contentType": "application/json", "payload": {"a": "x"}}}]}],
}  # fmt: skip
SCENARIO_CASES: list[Case] = [
    Case("scenario-step-inputs-invalid",
         {"openapi.json": oas({"/items": {"post": op("addItem", requestBody=body(OBJ))}}),
          "scenarios/add.arazzo.json": ADD},
         {"openapi.json": oas({"/items": {"post": op("addItem", requestBody=body(
             {**OBJ, "required": ["b"]}))}}), "scenarios/add.arazzo.json": ADD},
         None, "/workflows/0/steps/0/requestBody/payload",
         {"request-property-became-required", "version-not-bumped"}),
    Case("scenario-step-operation-missing",
         {"openapi.json": get(), "scenarios/list.arazzo.json": ARAZZO},
         {"openapi.json": oas({"/items": {"post": op("addItem")}}),
          "scenarios/list.arazzo.json": ARAZZO},
         None, "/workflows/0/steps/0/operationId",
         {"operation-removed", "operation-added", "version-not-bumped"}),
]  # fmt: skip

CASES = schema_cases() + OTHER_CASES + ASYNC_CASES + SCENARIO_CASES
