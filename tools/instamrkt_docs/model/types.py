"""The language-neutral model that samples and pages are made from.

Nothing after the model reads the raw spec: every value a template shows is here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Field:
    """One row of a field table: a property, possibly nested (`outcomes[].label`)."""

    path: str
    name: str
    depth: int
    type: str
    required: bool
    description: str
    constraints: list[str] = field(default_factory=list)
    deprecated: bool = False
    model: str = ""  # the named schema the value is (or holds), described in its own place
    model_key: str = ""  # that description's anchor on the page
    # the `oneOf`/`anyOf` branch the row belongs to ("" for every value): its label (the
    # discriminator's value, else the branch's name or title), and the discriminating
    # property, if any; each branch's rows make a table of their own
    variant: str = ""
    variant_by: str = ""


@dataclass
class Model:
    """A named schema, described once on each page that uses it and linked from its uses.

    An object with fields gets a section of its own; any other (a string format, an
    amount, an enum) a row in the page's table of types.
    """

    key: str
    name: str
    type: str
    description: str
    constraints: list[str]
    fields: list[Field]
    examples: list[Example]

    @property
    def is_object(self) -> bool:
        """Whether it has fields (a section of its own) rather than a row of types."""
        return bool(self.fields)


@dataclass
class Example:
    """One example value, from the spec or generated from the schema."""

    name: str
    value: Any
    summary: str = ""
    description: str = ""
    generated: bool = False


@dataclass
class Parameter:
    """A path, query, header or cookie parameter (or a response header)."""

    name: str
    location: str
    required: bool
    type: str
    description: str
    constraints: list[str] = field(default_factory=list)
    example: Any = None
    has_example: bool = False
    deprecated: bool = False
    style: str = ""  # how its value is written (the specification's default when "")
    explode: bool | None = None
    allow_reserved: bool = False  # a query value's reserved characters go unencoded


@dataclass
class Body:
    """A request or response body in one media type."""

    media_type: str
    type_name: str
    examples: list[Example]
    description: str = ""
    required: bool = False
    model: str = ""  # the named schema of the whole body, if it is one
    model_key: str = ""
    rows: list[Field] = field(default_factory=list)  # fields not described by a model
    # the schema and the Encoding Objects as the bundled spec has them (the mock checks
    # requests with the schema; form samples are written by the encodings)
    schema: Any = field(default=None, repr=False, compare=False)
    encoding: Any = field(default=None, repr=False, compare=False)
    # multipart/form-data: how each property is sent, (kind, content type) by name; kind
    # is "file" (a file the reader has), "json" (one part of JSON), "repeat" (a part per
    # item of an array) or "text"; the content type "" for the default (text/plain)
    parts: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    # an object body whose optional properties a sample may leave out: the names it must
    # keep (its schema's `required`); None when leaving any out could make it invalid
    # (oneOf, anyOf, minProperties, dependentRequired...)
    kept_names: frozenset[str] | None = field(default=None, compare=False)

    @property
    def is_json(self) -> bool:
        """Whether the body is JSON (samples send it as JSON)."""
        media = self.media_type.split(";")[0].strip().lower()
        return media == "application/json" or media.endswith("+json")


@dataclass
class Response:
    """One documented response of an operation."""

    status: str
    description: str
    headers: list[Parameter]
    bodies: list[Body]

    @property
    def body(self) -> Body | None:
        """The main body (JSON first)."""
        return next((b for b in self.bodies if b.is_json), self.bodies[0] if self.bodies else None)

    @property
    def is_success(self) -> bool:
        """A 1xx, 2xx or 3xx response."""
        return self.status[:1] in "123"


@dataclass
class ErrorCase:
    """An error an operation can return: its status and, where documented, its code."""

    status: str
    code: str
    description: str
    example: str = ""


@dataclass
class Security:
    """One way to authenticate an operation (`header`, `query` or `cookie` credentials)."""

    scheme: str
    kind: str
    location: str
    name: str
    prefix: str
    description: str
    scopes: list[str] = field(default_factory=list)
    pattern: str | None = None
    # for a token obtained first (OAuth 2, OpenID Connect): what it is and where it comes from
    obtained: str = ""


@dataclass
class CodeSample:
    """A code sample given by the spec (`x-codeSamples`), which replaces a generated one."""

    language: str
    label: str
    source: str


@dataclass
class Operation:
    """One REST operation."""

    key: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    tags: list[str]
    base_url: str
    security: list[list[Security]]
    parameters: list[Parameter]
    body: Body | None
    other_bodies: list[Body]
    responses: list[Response]
    errors: list[ErrorCase]
    code_samples: list[CodeSample] = field(default_factory=list)
    deprecated: bool = False
    group_key: str = ""  # the page it is on (its group's key)
    webhook: bool = False  # sent by the API to its receiver's URL (`path` is its name)

    @property
    def success(self) -> Response | None:
        """The first success response, if any."""
        return next((r for r in self.responses if r.is_success), None)


@dataclass
class Group:
    """Operations shown on one page (a tag, or a channel or group for websocket)."""

    key: str
    name: str
    description: str
    operations: list[Any]
    models: list[Model] = field(default_factory=list)  # the named schemas its pages use
    headers: list[Any] = field(default_factory=list)  # response headers its operations share
    # (models, headers) for some of its operations, when they are put on a page of their own
    describe: Callable[[list[Any]], tuple[list[Model], list[Any]]] | None = field(
        default=None, repr=False, compare=False
    )


@dataclass
class Server:
    """A server the API is served from."""

    url: str
    description: str


@dataclass
class ErrorCode:
    """A documented error code (from `x-codes` on an error-code enum)."""

    code: str
    status: str
    description: str


@dataclass
class RestApi:
    """A REST API: its groups of operations and what they share."""

    title: str
    version: str
    description: str
    servers: list[Server]
    groups: list[Group]
    error_codes: list[ErrorCode]
    source: str
    credential_variable: str = "API_KEY"
    kind: str = "rest"
    # the environment variables that samples read URLs from (`API_BASE_URL` when the spec
    # names no server, `WEBHOOK_URL` for webhooks)
    url_variables: list[str] = field(default_factory=list)

    @property
    def operations(self) -> list[Operation]:
        """Every operation, in page order."""
        return [op for group in self.groups for op in group.operations]


@dataclass
class Message:
    """A websocket (or other async) message."""

    key: str
    name: str
    title: str
    summary: str
    description: str
    content_type: str
    type_name: str
    header_fields: list[Field]
    examples: list[Example]
    discriminator: tuple[str, Any] | None = None
    correlation_field: str | None = None
    model: str = ""  # the named schema of the whole payload, if it is one
    model_key: str = ""
    rows: list[Field] = field(default_factory=list)  # fields not described by a model
    # the payload schema as the bundled spec has it (the mock validates messages with it)
    payload: Any = field(default=None, repr=False, compare=False)


@dataclass
class WsOperation:
    """A call (the client sends, the server replies) or an event (the server sends)."""

    key: str
    operation_id: str
    kind: str
    title: str
    summary: str
    description: str
    address: str
    url: str
    protocol: str
    tags: list[str]
    messages: list[Message]
    replies: list[Message]
    security: list[Security]
    sample_send: list[Any] = field(default_factory=list)
    sample_wait: int | None = None
    code_samples: list[CodeSample] = field(default_factory=list)
    # the channel's parameters, each with the value samples put in the address
    parameters: dict[str, Any] = field(default_factory=dict)
    # the ws binding's query parameters and headers samples send (the required ones), with
    # their values
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)

    @property
    def is_call(self) -> bool:
        """Whether the client sends this operation's message."""
        return self.kind in ("call", "send")

    @property
    def is_websocket(self) -> bool:
        """Whether the server speaks websocket (samples are written for websocket only)."""
        return self.protocol in ("ws", "wss")


@dataclass
class WsApi:
    """An AsyncAPI description: its groups of operations and its messages."""

    title: str
    version: str
    description: str
    servers: list[Server]
    groups: list[Group]
    messages: list[Message]
    error_codes: list[ErrorCode]
    source: str
    credential_variable: str = "API_KEY"
    kind: str = "websocket"
    url_variables: list[str] = field(default_factory=list)  # see RestApi

    @property
    def operations(self) -> list[WsOperation]:
        """Every operation, in page order."""
        return [op for group in self.groups for op in group.operations]
