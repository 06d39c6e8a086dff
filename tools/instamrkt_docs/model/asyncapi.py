"""Build the websocket model from an AsyncAPI 2.x or 3.x document (bundled into one dict).

AsyncAPI 3 describes the application: an operation it `receive`s is a message a client
sends (a call when it has a `reply`), one it `send`s is an event clients receive. In
AsyncAPI 2, `publish` is what clients send and `subscribe` what they receive.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from instamrkt_docs.examples import example_for
from instamrkt_docs.model import models, schemas
from instamrkt_docs.model.common import (
    WS_VARIABLE,
    code_samples,
    credential_variable,
    error_codes,
    fill_variables,
    pick_server,
    schema_examples,
    slug,
    text,
    unique_key,
)
from instamrkt_docs.model.openapi import security_of
from instamrkt_docs.model.resolver import Resolver
from instamrkt_docs.model.types import (
    Example,
    Group,
    Message,
    Model,
    Security,
    Server,
    WsApi,
    WsOperation,
)

_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+json")


class _Builder:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.resolver = Resolver(data)
        self.messages: dict[int, Message] = {}
        self.message_keys: set[str] = set()
        self.v2 = str(data.get("asyncapi", "")).startswith("2.")

    # servers -----------------------------------------------------------------------

    def servers(self) -> list[tuple[Server, str, list[Security]]]:
        found = []
        schemes = (self.data.get("components") or {}).get("securitySchemes") or {}
        for name, raw in (self.data.get("servers") or {}).items():
            server = self.resolver.deref(raw)
            if not isinstance(server, dict):
                continue
            protocol = str(server.get("protocol", "")).lower()
            if self.v2:
                url = fill_variables(str(server.get("url", "")), server.get("variables"))
                if "://" not in url:
                    url = f"{protocol}://{url}"
            else:
                host = fill_variables(str(server.get("host", "")), server.get("variables"))
                path = fill_variables(str(server.get("pathname", "")), server.get("variables"))
                url = f"{protocol}://{host}{path}"
            label = text(server.get("description")) or text(server.get("summary")) or str(name)
            title = text(server.get("title"))
            security = self.security(server.get("security"), schemes)
            found.append((Server(url.rstrip("/"), f"{title} {label}".strip()), protocol, security))
        return found

    def security(self, raw: Any, schemes: dict) -> list[Security]:
        credentials = []
        for requirement in raw if isinstance(raw, list) else []:
            if not isinstance(requirement, dict):
                continue
            if "$ref" in requirement or "type" in requirement:  # 3.x: scheme objects
                name = self.resolver.name(requirement) or "security"
                scheme = self.resolver.deref(requirement)
                if isinstance(scheme, dict):
                    credentials.append(security_of(name, _ws_scheme(scheme)))
            else:  # 2.x: {name: scopes}
                for name, scopes in requirement.items():
                    scheme = self.resolver.deref(schemes.get(name))
                    if isinstance(scheme, dict):
                        credentials.append(security_of(name, _ws_scheme(scheme), scopes))
        return credentials

    # messages ----------------------------------------------------------------------

    def message(self, raw: Any, key: str = "") -> list[Message]:
        """The message(s) a node describes; `key` names it in a map of messages."""
        resolved = self.resolver.deref(raw)
        if not isinstance(resolved, dict):
            return []
        if isinstance(resolved.get("oneOf"), list):  # 2.x
            return [m for item in resolved["oneOf"] for m in self.message(item)]
        if id(resolved) in self.messages:
            return [self.messages[id(resolved)]]
        name = text(resolved.get("name")) or self.resolver.name(raw) or key or "message"
        payload = self.schema(resolved, "payload")
        headers = self.schema(resolved, "headers")
        examples = []
        for index, example in enumerate(resolved.get("examples") or []):
            if isinstance(example, dict) and "payload" in example:
                examples.append(
                    Example(
                        name=text(example.get("name")) or f"example {index + 1}",
                        value=example["payload"],
                        summary=text(example.get("summary")),
                    )
                )
        if not examples and payload is not None:
            examples = schema_examples(payload, self.resolver)
        model, model_key, rows = models.model_of(payload, self.resolver)
        message = Message(
            key=unique_key(slug(name), self.message_keys),
            name=name,
            title=text(resolved.get("title")) or name,
            summary=text(resolved.get("summary")),
            description=text(resolved.get("description")),
            content_type=text(resolved.get("contentType"))
            or text(self.data.get("defaultContentType"))
            or "application/json",
            type_name=schemas.type_name(payload, self.resolver) if payload is not None else "any",
            header_fields=schemas.fields(headers, self.resolver) if headers is not None else [],
            examples=examples,
            discriminator=_discriminator(self.resolver.deref(payload)),
            correlation_field=self.correlation(resolved.get("correlationId")),
            model=model,
            model_key=model_key,
            rows=rows,
            payload=payload,
        )
        self.messages[id(resolved)] = message
        return [message]

    def schema(self, message: dict, key: str) -> Any:
        schema = message.get(key)
        resolved = self.resolver.deref(schema)
        schema_format = message.get("schemaFormat")
        if isinstance(resolved, dict) and "schemaFormat" in resolved and "schema" in resolved:
            schema_format = resolved["schemaFormat"]
            schema = resolved["schema"]
        if schema_format and not str(schema_format).startswith(_JSON_SCHEMA_FORMATS):
            return None
        return schema

    def correlation(self, raw: Any) -> str | None:
        correlation = self.resolver.deref(raw)
        location = correlation.get("location") if isinstance(correlation, dict) else None
        if isinstance(location, str) and location.startswith("$message.payload#/"):
            field = location.split("#/", 1)[1]
            return field if "/" not in field else None
        return None

    # operations --------------------------------------------------------------------

    def operations(self, url: str, protocol: str, security: list[Security]) -> list[WsOperation]:
        taken: set[str] = set()
        found = []
        if self.v2:
            for address, raw in (self.data.get("channels") or {}).items():
                channel = self.resolver.deref(raw)
                if not isinstance(channel, dict):
                    continue
                for action, kind in (("publish", "send"), ("subscribe", "event")):
                    operation = channel.get(action)
                    if isinstance(operation, dict):
                        found.append(
                            self.operation(
                                operation, operation.get("operationId") or f"{action} {address}",
                                kind, address, url, protocol, security, taken,
                                self.message(operation.get("message")), [],
                                channel,
                            )
                        )  # fmt: skip
            return found
        for op_id, raw in (self.data.get("operations") or {}).items():
            operation = self.resolver.deref(raw)
            if not isinstance(operation, dict):
                continue
            channel = self.resolver.deref(operation.get("channel"))
            channel = channel if isinstance(channel, dict) else {}
            address = channel.get("address")
            address = address if isinstance(address, str) else ""
            messages = [m for ref in operation.get("messages") or [] for m in self.message(ref)]
            if not messages:
                messages = [
                    m
                    for key, ref in (channel.get("messages") or {}).items()
                    for m in self.message(ref, str(key))
                ]
            reply = self.resolver.deref(operation.get("reply"))
            replies = []
            if isinstance(reply, dict):
                replies = [m for ref in reply.get("messages") or [] for m in self.message(ref)]
                reply_channel = self.resolver.deref(reply.get("channel"))
                if not replies and isinstance(reply_channel, dict):  # the channel's messages
                    replies = [
                        m
                        for key, ref in (reply_channel.get("messages") or {}).items()
                        for m in self.message(ref, str(key))
                    ]
            action = operation.get("action")
            kind = "event" if action == "send" else ("call" if isinstance(reply, dict) else "send")
            found.append(
                self.operation(
                    operation, str(op_id), kind, address, url, protocol, security, taken,
                    messages, replies, channel,
                )
            )  # fmt: skip
        return found

    def operation(
        self,
        raw: dict,
        op_id: str,
        kind: str,
        address: str,
        url: str,
        protocol: str,
        security: list[Security],
        taken: set[str],
        messages: list[Message],
        replies: list[Message],
        channel: dict,
    ) -> WsOperation:
        title = text(raw.get("title")) or text(raw.get("summary")) or op_id
        sample = raw.get("x-sample") if isinstance(raw.get("x-sample"), dict) else {}
        wait = sample.get("wait")
        channel_url = url + (address if address.startswith("/") or not address else "/" + address)
        bindings = self.resolver.deref(channel.get("bindings"))
        ws = self.resolver.deref(bindings.get("ws")) if isinstance(bindings, dict) else None
        query = self.resolver.deref(ws.get("query")) if isinstance(ws, dict) else None
        headers = self.resolver.deref(ws.get("headers")) if isinstance(ws, dict) else None
        return WsOperation(
            key=unique_key(slug(op_id), taken),
            operation_id=op_id,
            kind=kind,
            title=title,
            summary=text(raw.get("summary")),
            description=text(raw.get("description")) or text(channel.get("description")),
            address=address,
            url=channel_url,
            protocol=protocol,
            tags=[
                str(t.get("name")) if isinstance(t, dict) else str(t)
                for t in (raw.get("tags") or [])
            ],
            messages=messages,
            replies=replies,
            security=security,
            sample_send=sample["send"] if isinstance(sample.get("send"), list) else [],
            sample_wait=wait if isinstance(wait, int) and not isinstance(wait, bool) else None,
            code_samples=code_samples(raw),
            parameters=self.parameters(channel, address),
            query=self.required_values(query),
            headers=self.required_values(headers),
        )

    def parameters(self, channel: dict, address: str) -> dict[str, Any]:
        """A value for each `{name}` of an address: its example, default, first enum value."""
        raw = self.resolver.deref(channel.get("parameters"))
        raw = raw if isinstance(raw, dict) else {}
        values = {}
        for name in re.findall(r"\{([^{}]+)\}", address):
            parameter = self.resolver.deref(raw.get(name))
            parameter = parameter if isinstance(parameter, dict) else {}
            schema = self.resolver.deref(parameter.get("schema"))  # AsyncAPI 2
            source = schema if isinstance(schema, dict) else parameter
            examples = parameter.get("examples") or source.get("examples")
            if isinstance(examples, list) and examples:
                values[name] = examples[0]
            elif "default" in source:
                values[name] = source["default"]
            elif isinstance(source.get("enum"), list) and source["enum"]:
                values[name] = source["enum"][0]
            elif isinstance(schema, dict):
                values[name] = example_for(schema, self.resolver.deref)
            else:
                values[name] = name
        return values

    def required_values(self, schema: Any) -> dict[str, Any]:
        """Values for the required properties of an object schema (a ws binding's query)."""
        if not isinstance(schema, dict):
            return {}
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = schema.get("required") if isinstance(schema.get("required"), list) else []
        return {
            str(name): example_for(properties.get(name, {}), self.resolver.deref)
            for name in required
        }


def _ws_scheme(scheme: dict) -> dict:
    """An AsyncAPI security scheme in OpenAPI's terms (for `security_of`)."""
    kind = scheme.get("type")
    if kind == "httpApiKey":
        return {**scheme, "type": "apiKey"}
    if kind in ("http", "oauth2", "openIdConnect"):
        return scheme
    return scheme  # a protocol's own (SCRAM, X.509, user and password...): named as it is


def _discriminator(payload: Any) -> tuple[str, Any] | None:
    """The payload property with a constant value that names the message (`type` first)."""
    if not isinstance(payload, dict):
        return None
    properties = payload.get("properties")
    if not isinstance(properties, dict):
        return None
    names = sorted(properties, key=lambda n: (n != "type", n))
    for name in names:
        prop = properties[name]
        if isinstance(prop, dict) and "const" in prop:
            return name, prop["const"]
        if isinstance(prop, dict) and isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            return name, prop["enum"][0]
    return None


def _describe(operations: list[WsOperation], resolver: Resolver) -> tuple[list[Model], list]:
    """The models of a page with these operations (websocket pages share no headers)."""
    messages = [m for op in operations for m in (*op.messages, *op.replies)]
    return models.for_page(messages, resolver), []


def build(data: dict[str, Any], source: str) -> WsApi:
    """The websocket model of a bundled AsyncAPI document."""
    builder = _Builder(data)
    info = data.get("info") or {}
    servers = builder.servers()
    chosen = pick_server([s for s, _, _ in servers])
    # no server named: no host invented, the reader's own (samples read $API_WS_URL)
    url, protocol, security = "$" + WS_VARIABLE, "wss", []
    for server, server_protocol, server_security in servers:
        if server is chosen:
            url, protocol, security = server.url, server_protocol, server_security
    operations = builder.operations(url, protocol, security)
    groups: dict[str, Group] = {}
    for tag in info.get("tags") or data.get("tags") or []:
        if isinstance(tag, dict) and tag.get("name"):
            groups[str(tag["name"])] = Group(
                slug(str(tag["name"])), str(tag["name"]), text(tag.get("description")), []
            )
    for operation in operations:
        name = operation.tags[0] if operation.tags else (operation.address or "Operations")
        if name not in groups:
            groups[name] = Group(slug(name), name, "", [])
        groups[name].operations.append(operation)
    keys: set[str] = {"index"}  # index.md is the overview page
    ordered = []
    for group in groups.values():
        if group.operations:
            group.key = unique_key(group.key, keys)
            group.describe = partial(_describe, resolver=builder.resolver)
            group.models, group.headers = group.describe(group.operations)
            ordered.append(group)
    for raw in ((data.get("components") or {}).get("messages") or {}).values():
        builder.message(raw)  # messages no operation uses are documented too
    return WsApi(
        title=text(info.get("title")) or "Async API",
        version=str(info.get("version", "")),
        description=text(info.get("description")),
        servers=[s for s, _, _ in servers],
        groups=ordered,
        messages=list(builder.messages.values()),
        error_codes=error_codes(data, builder.resolver),
        source=source,
        credential_variable=credential_variable(data),
        url_variables=[WS_VARIABLE] if url.startswith("$") else [],
    )
