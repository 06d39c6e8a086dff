"""The websocket half of the mock: calls answered, events pushed, every message checked.

Each client message is validated (jsonschema) against the AsyncAPI message its `type` names,
or, on a channel whose messages have no such field, against each message the channel takes
until one fits; a call gets its reply example with the caller's correlation id. The spec's `x-mock`
extension says when events are sent: `when: connect`, `every: N` seconds, `when: subscribe`
(the examples whose `topic` matches a subscribed topic, at once and then every
`event_interval` seconds); `subscribes` / `unsubscribes` name the call field that lists
topics. Errors (bad JSON, unknown type, binary or oversized frames) get the spec's error
message and leave the connection open.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from instamrkt_docs import patterns
from instamrkt_docs.load import pointers
from instamrkt_docs.mock.errors import ErrorModel, request_id
from instamrkt_docs.mock.limits import MAX_DETAILS, RejectedJson, echo, strict_json
from instamrkt_docs.mock.log import Entry, MockLog
from instamrkt_docs.mock.rest import KEY_SHAPE as _KEY
from instamrkt_docs.mock.rest import field_of
from instamrkt_docs.model.common import url_variable
from instamrkt_docs.model.types import Message, WsApi, WsOperation

BUNDLE_URI = "urn:instamrkt:asyncapi"


@dataclass
class _Call:
    operation: WsOperation
    message: Message
    validator: Draft7Validator
    mock: dict[str, Any]

    @property
    def kind(self) -> str:
        """The message's name in the log and in errors: its type, or else its name."""
        return (
            str(self.message.discriminator[1]) if self.message.discriminator else self.message.name
        )


@dataclass
class _Connection:
    socket: WebSocket
    run: str
    path: str
    topics: list[str] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class WsMock:
    """Serves the websocket API of one AsyncAPI spec."""

    def __init__(
        self,
        data: dict[str, Any],
        api: WsApi,
        log: MockLog,
        heartbeat: float | None = None,
        event_interval: float = 10.0,
        max_bytes: int = 65536,
    ) -> None:
        self.log = log
        self.api = api
        self.event_interval = event_interval
        self.max_bytes = max_bytes
        raw_operations = data.get("operations") or {}
        registry = Registry().with_resource(BUNDLE_URI, Resource(data, DRAFT7))
        located = _pointers(data)

        def validator(message: Message) -> Draft7Validator:
            pointer = located.get(id(message.payload))
            if pointer is None:
                return Draft7Validator({}, registry=registry)
            return Draft7Validator({"$ref": f"{BUNDLE_URI}#{pointer}"}, registry=registry)

        self.calls: dict[Any, _Call] = {}
        # messages told apart by their schema alone (no type field), by channel path
        self.untyped: dict[str, list[_Call]] = {}
        self.discriminator: str | None = None
        self.on_connect: list[WsOperation] = []
        self.on_subscribe: list[tuple[WsOperation, str]] = []
        self.every: list[tuple[WsOperation, float]] = []
        error_examples = []
        for operation in api.operations:
            mock = raw_operations.get(operation.operation_id, {}).get("x-mock") or {}
            if operation.is_call:
                for message in operation.messages:
                    call = _Call(operation, message, validator(message), mock)
                    if message.discriminator:
                        self.discriminator = message.discriminator[0]
                        self.calls[message.discriminator[1]] = call
                    else:
                        self.untyped.setdefault(_path(operation.url), []).append(call)
            elif mock.get("when") == "connect" or (not mock and operation.is_websocket):
                # the server's messages: when the spec does not say (`x-mock`), each one's
                # first example once a client connects to its channel
                self.on_connect.append(operation)
            elif mock.get("when") == "subscribe":
                self.on_subscribe.append((operation, str(mock.get("topic", "topic"))))
            elif isinstance(mock.get("every"), (int, float)):
                self.every.append((operation, float(heartbeat or mock["every"])))
            if mock.get("when") == "error":
                error_examples += [e.value for m in operation.messages for e in m.examples]
        self.errors = ErrorModel.from_examples(
            [v.get("error") and v for v in error_examples if isinstance(v, dict)]
        )
        self.error_template = next(iter(error_examples), None)
        self.error_operation = next(
            (
                op.operation_id
                for op in api.operations
                if (raw_operations.get(op.operation_id, {}).get("x-mock") or {}).get("when")
                == "error"
            ),
            "",
        )
        self.paths = sorted({_path(op.url) for op in api.operations if op.is_websocket})
        self.outgoing: dict[Any, Draft7Validator] = {}
        for operation in api.operations:
            sent = operation.replies if operation.is_call else operation.messages
            for message in sent:
                if message.discriminator and id(message.payload) in located:
                    self.outgoing[message.discriminator[1]] = validator(message)

    # connection ----------------------------------------------------------------------

    async def __call__(self, socket: WebSocket, run: str = "", template: str = "") -> None:
        """Serve one connection; `template` is the channel address it came in at
        (`/v1/marketdata/{symbol}`; its path when not given)."""
        start = time.perf_counter()
        what = f"CONNECT {socket.url.path}"
        denied = self.authenticate(socket)
        if denied is not None:
            self.log.add(Entry("ws-connect", what, "", "401", _ms(start), run, False, denied))
            body = json.dumps(self.errors.body(401, "unauthenticated", denied)).encode()
            try:
                await socket.send_denial_response(
                    Response(body, 401, media_type="application/json")
                )
            except RuntimeError:  # the server cannot send HTTP denials: close instead
                await socket.close(code=1008, reason=denied[:120])
            return
        await socket.accept()
        self.log.add(Entry("ws-connect", what, "", "101", _ms(start), run))
        connection = _Connection(socket, run, template or socket.url.path)
        tasks = [asyncio.create_task(self.repeat(connection, op, s)) for op, s in self.every]
        tasks.append(asyncio.create_task(self.push_subscribed(connection)))
        try:
            for operation in self.on_connect:
                if _path(operation.url) != connection.path:
                    continue
                for message in operation.messages:
                    if message.examples:
                        await self.send(
                            connection, copy.deepcopy(message.examples[0].value), operation
                        )
            while True:
                frame = await socket.receive()
                if frame["type"] == "websocket.disconnect":
                    break
                await self.handle(connection, frame)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            for task in tasks:
                task.cancel()

    def authenticate(self, socket: WebSocket) -> str | None:
        """Why the upgrade is refused, or None when it is authenticated."""
        security = next((op.security for op in self.api.operations if op.security), [])
        if not security:
            return None
        for credential in security:
            if credential.location == "header":
                value = socket.headers.get(credential.name, "")
                prefix = credential.prefix
                if value and (not prefix or value.lower().startswith(prefix.lower())):
                    secret = value[len(prefix) :].strip()
                    pattern = credential.pattern
                    if patterns.fullmatch(pattern, secret) if pattern else _KEY.match(secret):
                        return None
                    return "The API key is malformed."
            elif credential.location == "query" and socket.query_params.get(credential.name):
                return None
        names = " or ".join(f"{c.name} ({c.location})" for c in security)
        return f"Authenticate the upgrade request with {names}."

    # messages ------------------------------------------------------------------------

    async def handle(self, connection: _Connection, frame: dict[str, Any]) -> None:
        start = time.perf_counter()
        if frame.get("bytes") is not None and frame.get("text") is None:
            await self.error(
                connection,
                None,
                "binary_not_supported",
                "Binary frames are not supported; send JSON text.",
                start,
                "(binary)",
            )
            return
        text = frame.get("text") or ""
        if len(text.encode("utf-8")) > self.max_bytes:
            await self.error(
                connection,
                None,
                "message_too_large",
                f"The message is over {self.max_bytes} bytes.",
                start,
                "(too large)",
            )
            return
        try:
            payload = strict_json(text)
        except RejectedJson as exc:
            await self.error(
                connection,
                None,
                "invalid_message",
                f"The message is {exc}.",
                start,
                "(not JSON)",
            )
            return
        call_id = payload.get("id") if isinstance(payload, dict) else None
        call_id = call_id if isinstance(call_id, str) else None
        kind = (
            payload.get(self.discriminator)
            if isinstance(payload, dict) and self.discriminator
            else None
        )
        call = self.calls.get(kind) if isinstance(kind, (str, int)) else None
        candidates = self.untyped.get(connection.path, []) if call is None else []
        if call is None:
            call = next((c for c in candidates if c.validator.is_valid(payload)), None)
        if call is None and len(candidates) == 1:
            call = candidates[0]  # the one message this channel takes: say what is wrong
        if call is None:
            names = ", ".join(c.kind for c in candidates)
            await self.error(
                connection,
                call_id,
                "unknown_message_type",
                f"Unknown message type {kind!r}."
                if not candidates
                else f"The message is none of those this channel takes ({names}).",
                start,
                str(kind),
            )
            return
        kind = call.kind
        problems = [  # fifty at most, each echoed within bounds
            {"field": field_of(e), "issue": echo(e.message)}
            for e in itertools.islice(call.validator.iter_errors(payload), MAX_DETAILS)
        ]
        if problems:
            await self.error(
                connection,
                call_id,
                "invalid_message",
                f"The {kind} message is not valid.",
                start,
                str(kind),
                problems,
            )
            return
        self.log.add(
            Entry(
                "ws-in",
                str(kind),
                call.operation.operation_id,
                "ok",
                _ms(start),
                connection.run,
                True,
                "",
                payload,
            )
        )
        new_topics: list[str] = []
        if call.mock.get("subscribes"):
            wanted = [
                t for t in payload.get(call.mock["subscribes"], []) if t not in connection.topics
            ]
            limit = call.mock.get("maxTopics")
            if isinstance(limit, int) and len(connection.topics) + len(set(wanted)) > limit:
                await self.error(
                    connection,
                    payload.get(call.message.correlation_field or "id"),
                    str(call.mock.get("tooMany") or "too_many_subscriptions"),
                    f"The connection would follow more than {limit} topics; unsubscribe first.",
                    start,
                    str(kind),
                )
                return
            for topic in wanted:
                if topic not in connection.topics:
                    connection.topics.append(topic)
                    new_topics.append(topic)
        if call.mock.get("unsubscribes"):
            gone = set(payload.get(call.mock["unsubscribes"], []))
            connection.topics = [t for t in connection.topics if t not in gone]
        reply = call.operation.replies[0] if call.operation.replies else None
        if reply and reply.examples:
            value = copy.deepcopy(reply.examples[0].value)
            correlation = call.message.correlation_field
            if correlation and isinstance(value, dict):
                value[correlation] = payload.get(correlation)
            field_name = call.mock.get("subscribes") or call.mock.get("unsubscribes")
            if field_name and isinstance(value, dict) and field_name in value:
                value[field_name] = list(connection.topics)
            await self.send(connection, value, call.operation)
        for topic in new_topics:
            await self.events_for(connection, topic)

    async def events_for(self, connection: _Connection, topic: str) -> None:
        """The documented events of one topic, as examples with that topic in them."""
        kind = topic.split(":", 1)[0]
        for operation, topic_field in self.on_subscribe:
            for message in operation.messages:
                for example in message.examples:
                    value = example.value
                    if not isinstance(value, dict):
                        continue
                    if str(value.get(topic_field, "")).split(":", 1)[0] != kind:
                        continue
                    event = copy.deepcopy(value)
                    event[topic_field] = topic
                    await self.send(connection, event, operation)

    async def push_subscribed(self, connection: _Connection) -> None:
        while True:
            await asyncio.sleep(self.event_interval)
            for topic in list(connection.topics):
                await self.events_for(connection, topic)

    async def repeat(self, connection: _Connection, operation: WsOperation, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            for message in operation.messages:
                if message.examples:
                    value = copy.deepcopy(message.examples[0].value)
                    if isinstance(value, dict) and "serverTime" in value:
                        value["serverTime"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                    await self.send(connection, value, operation)

    async def send(self, connection: _Connection, value: Any, operation: WsOperation) -> None:
        start = time.perf_counter()
        kind = (
            value.get(self.discriminator)
            if isinstance(value, dict) and self.discriminator
            else None
        )
        validator = self.outgoing.get(kind) if isinstance(kind, (str, int)) else None
        if validator is not None:
            for problem in itertools.islice(validator.iter_errors(value), MAX_DETAILS):
                self.log.warn(
                    f"{operation.operation_id}: the {kind} message sent does not fit the "
                    f"spec: {problem.message}"
                )
        async with connection.lock:
            await connection.socket.send_text(json.dumps(value, ensure_ascii=False))
        kind = (
            value.get(self.discriminator, "")
            if isinstance(value, dict) and self.discriminator
            else ""
        )
        self.log.add(
            Entry(
                "ws-out",
                str(kind),
                operation.operation_id,
                "sent",
                _ms(start),
                connection.run,
                True,
                "",
                value,
            )
        )

    async def error(
        self,
        connection: _Connection,
        call_id: str | None,
        code: str,
        message: str,
        start: float,
        what: str,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        if isinstance(self.error_template, dict):
            value = copy.deepcopy(self.error_template)
            value["id"] = call_id
            inner = value.get("error") if isinstance(value.get("error"), dict) else value
            inner.update(
                {
                    "code": code,
                    "message": message,
                    "requestId": request_id(),
                    "details": details or [],
                }
            )
        else:
            value = {"type": "error", "id": call_id, "error": {"code": code, "message": message}}
        detail = message + (
            "" if not details else " " + "; ".join(f"{d['field']}: {d['issue']}" for d in details)
        )
        self.log.add(Entry("ws-in", what, "", code, _ms(start), connection.run, False, detail))
        async with connection.lock:
            await connection.socket.send_text(json.dumps(value, ensure_ascii=False))
        self.log.add(
            Entry(
                "ws-out",
                "error",
                self.error_operation,
                "sent",
                _ms(start),
                connection.run,
                True,
                code,
                value,
            )
        )


def _pointers(data: Any) -> dict[int, str]:
    """The JSON pointer of every object and array in a document, by identity."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if id(node) in found:
            continue
        if isinstance(node, dict):
            found[id(node)] = pointer
            for key, value in node.items():
                stack.append((value, f"{pointer}/{pointers.escape(key)}"))
        elif isinstance(node, list):
            found[id(node)] = pointer
            stack += [(value, f"{pointer}/{index}") for index, value in enumerate(node)]
    return found


def _path(url: str) -> str:
    variable, rest = url_variable(url)  # `$API_WS_URL/feeds`: the reader's server
    if variable:
        return rest.split("?", 1)[0] or "/"
    after_scheme = url.split("://", 1)[-1]
    return "/" + after_scheme.split("/", 1)[1] if "/" in after_scheme else "/"


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000
