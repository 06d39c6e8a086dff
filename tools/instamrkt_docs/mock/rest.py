"""The REST half of the mock: requests validated by openapi-core, answers from the examples.

Authentication follows the security scheme (401 without a credential, or with one of the
wrong shape); operations marked `x-admin-only` answer 403 to a standard key (one whose
secret starts with `imk_test_std`). A valid request gets its success response's first
example; `Prefer: code=409` or `Prefer: example=poolBlocked` picks another documented
response. Every answer is checked against the spec, and a mismatch is said loudly.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from jsonschema_path import SchemaPath
from openapi_core import Config, OpenAPI
from openapi_core.contrib.starlette.requests import StarletteOpenAPIRequest
from openapi_core.contrib.starlette.responses import StarletteOpenAPIResponse
from openapi_core.validation.request.exceptions import (
    MissingRequestBodyError,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from openapi_schema_validator import oas30_format_checker, oas31_format_checker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from instamrkt_docs import patterns
from instamrkt_docs.examples.direction import for_direction
from instamrkt_docs.http_fields import NO_CONTENT
from instamrkt_docs.load import pointers
from instamrkt_docs.load.offline import OfflineHandlers
from instamrkt_docs.mock import styles
from instamrkt_docs.mock.errors import ErrorModel, request_id
from instamrkt_docs.mock.limits import MAX_BODY, MAX_DETAILS, RejectedJson, echo, strict_json
from instamrkt_docs.mock.log import Entry, MockLog
from instamrkt_docs.mock.schema_check import SchemaCheck, known_dialect, rfc3339_time
from instamrkt_docs.model.common import fill_variables, split_url
from instamrkt_docs.model.resolver import Resolver
from instamrkt_docs.model.types import Operation, RestApi
from instamrkt_docs.validate import explain

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
STANDARD_KEY_PREFIX = "imk_test_std"
# A bearer token's characters (RFC 6750), for keys of a scheme with no x-key-pattern
KEY_SHAPE = re.compile(r"^[A-Za-z0-9_\-.~+/]+=*$")
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
ANSWERS_KEPT = 1024  # answers whose check is remembered
_PREFER = re.compile(r"(code|example)\s*=\s*\"?([^\s,;\"]+)\"?")


# Where the mock takes the webhooks a spec describes (`/__webhooks/<name>`): a webhook is
# sent to its receiver's URL, which the mock plays (verify points the samples' URL here).
WEBHOOKS = "/__webhooks/"


@dataclass
class _Param:
    name: str
    style: str
    explode: bool
    schema: Any
    pointer: str  # of its schema in the bundled document


@dataclass
class _Form:
    schema: Any
    pointer: str
    encoding: Any


@dataclass
class _Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    operation: Operation
    raw: dict[str, Any]
    bases: list[str] = field(default_factory=lambda: [""])
    names: list[str] = field(default_factory=list)  # the template's variables, in order
    # what the mock reads itself (openapi-core cannot read every style): path parameters,
    # and a form body's schema and encodings
    path_params: list[_Param] = field(default_factory=list)
    forms: dict[str, _Form] = field(default_factory=dict)  # by media type (FORM, MULTIPART)


LOGGED_BODY = 64 * 1024  # bytes of a request or answer body the log keeps (parsed)


class _WebhookRequest(StarletteOpenAPIRequest):
    """A request to a webhook's receiver, which openapi-core checks by the webhook's name."""

    def __init__(self, request: Request, body: bytes, name: str) -> None:
        super().__init__(request, body)
        self.name = name


def _base_paths(servers: Any) -> list[str]:
    """The base paths of Server Objects (variables filled with their defaults)."""
    paths = []
    for server in servers if isinstance(servers, list) and servers else [{"url": "/"}]:
        if not isinstance(server, dict):
            continue
        url = fill_variables(str(server.get("url", "/")), server.get("variables"))
        path = split_url(url).path if "://" in url else url
        path = "/" + path.strip("/") if path.strip("/") else ""
        if path not in paths:
            paths.append(path)
    return paths or [""]


def _relative(bases: list[str]) -> list[dict[str, str]]:
    return [{"url": base or "/"} for base in bases]


class _TooLarge(Exception):
    """A request body over the limit."""


class RestMock:
    """Answers REST requests as one OpenAPI spec describes them."""

    def __init__(
        self, data: dict[str, Any], api: RestApi, log: MockLog, max_body: int = MAX_BODY
    ) -> None:
        self.log = log
        self.max_body = max_body
        self.api = api
        self.resolver = Resolver(data)
        top = _base_paths(data.get("servers"))
        # security an HTTP request on loopback cannot show (a client certificate): the mock
        # takes it as given; openapi-core knows no such scheme
        schemes = (data.get("components") or {}).get("securitySchemes") or {}
        unchecked = {
            name
            for name, scheme in schemes.items()
            if not isinstance(self.resolver.deref(scheme), dict)
            or self.resolver.deref(scheme).get("type") not in _CHECKED_SCHEMES
        }
        self.bases = list(top)
        # openapi-core finds an operation by its servers: each becomes its base path, as
        # the mock serves it (on loopback, under `/__run/<tag>`). It reads a path item's
        # servers before an operation's, so the item lists all its operations' base paths
        # (`match` keeps each operation to its own).
        paths: dict[str, Any] = {}
        for path, item in (data.get("paths") or {}).items():
            item = self.resolver.deref(item)
            if isinstance(item, dict):
                own = _base_paths(item["servers"]) if item.get("servers") else top
                bases = list(own)
                item = dict(item)
                for method in METHODS:
                    if isinstance(item.get(method), dict) and item[method].get("servers"):
                        bases += _base_paths(item[method]["servers"])
                        item[method] = {k: v for k, v in item[method].items() if k != "servers"}
                    if isinstance(item.get(method), dict) and "security" in item[method]:
                        security = _on_http(item[method]["security"], unchecked)
                        item[method] = {**item[method], "security": security}
                if item.get("servers") or bases != own:
                    item["servers"] = _relative(list(dict.fromkeys(bases)))
            paths[path] = item
        core_spec = _known_dialects({**data, "servers": _relative(top), "paths": paths})
        if "security" in data:
            core_spec["security"] = _on_http(data["security"], unchecked)
        # formats openapi-core has no checker for are checked here rather than refused; the
        # spec is not checked again (validate does that, and says where): a spec with a fault
        # is still served as far as it goes
        # a format nobody defined (`format: json`) constrains nothing (JSON Schema), where
        # openapi-core stops (its issue 515)
        # `time` as JSON Schema 2020-12 has it (RFC 3339 `full-time`, with its offset):
        # openapi-schema-validator checks draft 3's `HH:MM:SS`
        formats = {"uri": _uri, "uri-reference": _uri_reference, "time": rfc3339_time}
        known = set(oas30_format_checker.checkers) | set(oas31_format_checker.checkers)
        for name in _formats(data) - known - set(formats):
            formats[name] = _any_value
        config = Config(
            extra_format_validators=formats,
            spec_validator_cls=None,
        )
        # every $ref is in the bundle already: none is read from a file or the network
        self.openapi = OpenAPI(
            SchemaPath.from_dict(core_spec, handlers=OfflineHandlers()), config=config
        )
        # what was wrong with each answer given before: the answers come from the spec's
        # examples, so most are given again and again, and checking one takes a while
        self._answer_problems: dict[tuple, list[str]] = {}
        operations = {op.operation_id: op for op in api.operations}
        self.routes: list[_Route] = []
        error_examples = []
        for section in ("paths", "webhooks"):
            for path, item in (data.get(section) or {}).items():
                item = self.resolver.deref(item)
                for method in METHODS:
                    raw = item.get(method) if isinstance(item, dict) else None
                    if not isinstance(raw, dict):
                        continue
                    webhook = section == "webhooks"
                    op_id = raw.get("operationId")
                    operation = operations.get(op_id) or next(
                        (
                            o
                            for o in api.operations
                            if o.method == method.upper()
                            and o.path == path
                            and o.webhook == webhook
                        ),
                        None,
                    )
                    if operation is None:
                        continue
                    if webhook:
                        regex = "^" + re.escape(WEBHOOKS + quote(str(path), safe="")) + "$"
                        bases = [""]
                    else:
                        # a `#` starts a fragment, never sent: `/a#b` is reached at `/a`
                        reached = str(path).split("#")[0]
                        regex = "^" + re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(reached)) + "$"
                        servers = raw.get("servers") or item.get("servers")
                        bases = _base_paths(servers) if servers else top
                        self.bases += [b for b in bases if b not in self.bases]
                    route = _Route(method.upper(), path, re.compile(regex), operation, raw, bases)
                    route.names = re.findall(r"\{([^/]+?)\}", str(path))
                    self._read_itself(route, section, str(path), method)
                    self.routes.append(route)
                for response in operation.responses:
                    if not response.is_success and response.body:
                        error_examples += [e.value for e in response.body.examples]
        self.schemas = SchemaCheck(data)
        self.errors = ErrorModel.from_examples(error_examples)
        self.admin_only = {
            r.operation.operation_id for r in self.routes if r.raw.get("x-admin-only")
        }

    def _at(self, node: Any, pointer: str) -> tuple[Any, str]:
        """A node's value and its pointer in the bundle, following local `$ref`s."""
        seen = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                return None, pointer
            seen.add(ref)
            pointer = pointers.from_fragment(ref[1:])
            try:
                node = pointers.walk(self.resolver.data, pointers.split(pointer))
            except (KeyError, ValueError, IndexError, TypeError):
                return None, pointer
        return node, pointer

    def _read_itself(self, route: _Route, section: str, path: str, method: str) -> None:
        """Note the path parameters and form body of a route, which the mock reads itself."""
        item, item_pointer = self._at(
            (self.resolver.data.get(section) or {}).get(path), pointers.join([section, path])
        )
        if not isinstance(item, dict) or not isinstance(item.get(method), dict):
            return
        operation, op_pointer = item[method], f"{item_pointer}/{method}"
        found: dict[str, _Param] = {}
        for raw_list, base in (
            (item.get("parameters"), item_pointer),
            (operation.get("parameters"), op_pointer),
        ):
            for index, raw in enumerate(raw_list if isinstance(raw_list, list) else []):
                param, pointer = self._at(raw, f"{base}/parameters/{index}")
                if (
                    not isinstance(param, dict)
                    or param.get("in") != "path"
                    or "schema" not in param
                ):
                    continue
                style = str(param.get("style") or "simple")
                explode = param["explode"] if isinstance(param.get("explode"), bool) else False
                name = str(param.get("name"))
                found[name] = _Param(name, style, explode, param["schema"], pointer + "/schema")
        route.path_params = list(found.values())
        body, body_pointer = self._at(operation.get("requestBody"), op_pointer + "/requestBody")
        content = body.get("content") if isinstance(body, dict) else None
        for media_type, media in content.items() if isinstance(content, dict) else []:
            kind = str(media_type).split(";")[0].strip().lower()
            if kind not in (FORM, MULTIPART):
                continue
            media, pointer = self._at(
                media, f"{body_pointer}/content/{pointers.escape(media_type)}"
            )
            if isinstance(media, dict) and "schema" in media:
                route.forms[kind] = _Form(
                    media["schema"], pointer + "/schema", media.get("encoding")
                )

    def _own_reading(
        self, request: Request, body: bytes, route: _Route, parts: list[tuple[str, str]] | None
    ) -> list[dict[str, str]]:
        """What is wrong with the path parameters and form body, read as their styles say."""
        details: list[dict[str, str]] = []
        deref = self.resolver.deref
        if route.path_params:
            values = self._path_texts(request, route)
            for param in route.path_params:
                raw = values.get(param.name)
                if raw is None:
                    continue
                kind = styles.kind_of(param.schema, deref)
                try:
                    value = styles.path_value(raw, param.name, param.style, param.explode, kind)
                except styles.StyleError as exc:
                    details.append({"field": param.name, "issue": echo(str(exc))})
                    continue
                value = styles.coerce(value, param.schema, deref)
                for where, issue in self.schemas.issues(value, param.pointer):
                    where = "" if where == "/" else where
                    details.append({"field": param.name + where, "issue": echo(issue)})
        sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
        form = route.forms.get(sent)
        if form is not None and body:
            try:
                if sent == FORM:
                    value = styles.form_body(body, form.schema, form.encoding, deref)
                else:
                    value = styles.multipart_body(parts or [], form.schema, deref)
            except styles.StyleError as exc:
                return [*details, {"field": "/", "issue": echo(str(exc))}]
            for where, issue in self.schemas.issues(value, form.pointer):
                details.append({"field": where, "issue": echo(issue)})
        return details

    def _path_texts(self, request: Request, route: _Route) -> dict[str, str]:
        """Each path variable's text as it came, percent-encoded (the raw path's, so that an
        encoded `,` stays a character of a value)."""
        raw = request.scope.get("raw_path")
        paths = [raw.decode("latin-1") if isinstance(raw, bytes) else "", request.url.path]
        for path in paths:
            for base in route.bases:
                if base and not (path == base or path.startswith(base + "/")):
                    continue
                match = route.pattern.match(path[len(base) :] or "/")
                if match:
                    return dict(zip(route.names, match.groups(), strict=False))
        return {}

    def match(self, path: str) -> tuple[list[_Route], str | None]:
        """The routes of a path (any method), and the path relative to the base path."""
        for base in self.bases:
            if base and not (path == base or path.startswith(base + "/")):
                continue
            relative = path[len(base) :] or "/"
            routes = [r for r in self.routes if base in r.bases and r.pattern.match(relative)]
            if routes:
                return routes, relative
        return [], None

    async def __call__(self, request: Request, run: str = "") -> Response:
        start = time.perf_counter()
        try:
            return await self._handle(request, run, start)
        except Exception as exc:  # a bug of the mock: answer in the error model, say it loudly
            self.log.warn(f"{request.method} {request.url.path}: the mock failed: {exc!r}")
            response = self.error(500, "internal_error", "The mock failed; see its log.")
            return self.done(
                response, f"{request.method} {request.url.path}", "", start, run, False
            )

    async def _handle(self, request: Request, run: str, start: float) -> Response:
        what = f"{request.method} {request.url.path}"
        try:
            body = await self.read_body(request)
        except ClientDisconnect:  # the client went away mid-body: nobody to answer
            return self.done(Response(status_code=400), what, "", start, run, False)
        except _TooLarge:
            response = self.error(
                413 if self.documents(request, 413) else 400,
                "invalid_request",
                f"The request body is over the mock's limit of {self.max_body} bytes.",
            )
            return self.done(response, what, "", start, run, False)
        routes, _ = self.match(request.url.path)
        route = next((r for r in routes if r.method == request.method), None)
        if not routes:
            response = self.error(404, "not_found", f"No operation at {request.url.path}.")
            return self.done(response, what, "", start, run, False)
        if route is None:
            allowed = ", ".join(sorted({r.method for r in routes}))
            response = self.error(
                405, "method_not_allowed", f"{request.method} is not allowed here; use {allowed}."
            )
            response.headers["Allow"] = allowed
            return self.done(response, what, "", start, run, False)
        # several operations at one path (`/a#x` and `/a#y`: a fragment is never sent): the
        # first that the request fits answers
        candidates = [r for r in routes if r.method == request.method]
        first: Response | None = None
        problem: Response | None = None
        for candidate in candidates:
            problem = await self._check_route(request, body, candidate)
            if problem is None:
                route = candidate
                break
            first = first or problem
        operation = route.operation
        if first is not None and problem is not None:
            return self.done(first, what, operation.operation_id, start, run, False)
        response = self.answer(request, operation)
        await run_in_threadpool(self.check_answer, request, body, response, operation)
        query = request.scope.get("query_string", b"").decode("latin-1")
        # what verify compares with the spec's bytes; a big body is not kept in the log
        sent = {"query": query, "body": body if len(body) <= LOGGED_BODY else None}
        return self.done(response, what, operation.operation_id, start, run, True, sent)

    async def read_body(self, request: Request) -> bytes:
        """The body, read only up to the limit; _TooLarge beyond it."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise _TooLarge
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    def documents(self, request: Request, status: int) -> bool:
        """Whether the operation at the request's path documents a response status."""
        routes, _ = self.match(request.url.path)
        return any(r.status == str(status) for route in routes for r in route.operation.responses)

    async def _check_route(self, request: Request, body: bytes, route: _Route) -> Response | None:
        """`check` for one route, a multipart body read first."""
        parts = None
        sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if sent == MULTIPART and route.forms.get(MULTIPART) and body:  # by what was sent
            try:
                parts = await _multipart_parts(request, body)
            except (MultiPartException, ValueError) as exc:
                return self.error(
                    400, "invalid_request", f"The multipart body cannot be read: {echo(str(exc))}."
                )
        # checking a request takes a while for a big body: in a worker thread, so that
        # the other requests are answered meanwhile
        return await run_in_threadpool(self.check, request, body, route.operation, route, parts)

    def check(
        self,
        request: Request,
        body: bytes,
        operation: Operation,
        route: _Route | None = None,
        parts: list[tuple[str, str]] | None = None,
    ) -> Response | None:
        """An error response if the request breaks the spec, else None."""
        if body and "json" in request.headers.get("content-type", "").lower():
            try:
                strict_json(body)
            except RejectedJson as exc:
                return self.error(400, "invalid_request", f"The request body is {exc}.")
        result = self.openapi.unmarshal_request(self._core_request(request, body, operation))
        errors = [
            e
            for e in result.errors
            if not self._default_written(e, body, operation)
            and not self._binary_body(e, request, operation)
            and not (route is not None and self._reads_itself(e, request, route))
        ]
        if any(isinstance(e, SecurityValidationError) for e in errors):
            header = request.headers.get("authorization")
            code, message = ("unauthenticated", "This operation needs an API key.")
            if header:
                code, message = "invalid_api_key", "The API key is unknown or has been revoked."
            response = self.error(401, code, message)
            response.headers["WWW-Authenticate"] = 'Bearer realm="instamrkt"'
            return response
        secret = _bearer(request.headers.get("authorization", ""))
        if operation.security and all(operation.security) and secret is not None:
            pattern = next((c.pattern for c in operation.security[0] if c.pattern), None)
            if not (patterns.fullmatch(pattern, secret) if pattern else KEY_SHAPE.match(secret)):
                return self.error(401, "invalid_api_key", "The API key is malformed.")
            if operation.operation_id in self.admin_only and secret.startswith(STANDARD_KEY_PREFIX):
                return self.error(
                    403, "admin_key_required", "This operation needs an admin API key."
                )
        details = self._own_reading(request, body, route, parts) if route is not None else []
        for error in errors:
            details += _details(error)
        if details:
            if body and request.headers.get("content-type", "").startswith("application/json"):
                try:
                    json.loads(body)
                except ValueError as exc:  # UnicodeDecodeError is a ValueError too
                    return self.error(
                        400, "invalid_request", f"The request body is not valid JSON: {exc}."
                    )
            if len(details) > MAX_DETAILS:  # a body of a thousand faults is told in fifty
                more = len(details) - MAX_DETAILS
                details = [*details[:MAX_DETAILS], {"field": "/", "issue": f"and {more} more"}]
            return self.error(400, "invalid_request", "The request is not valid.", details)
        return None

    def _core_request(
        self, request: Request, body: bytes, operation: Operation
    ) -> StarletteOpenAPIRequest:
        if operation.webhook:
            return _WebhookRequest(request, body, operation.path)
        return StarletteOpenAPIRequest(request, body)

    def _reads_itself(self, error: Exception, request: Request, route: _Route) -> bool:
        """Whether an error of openapi-core is about what the mock reads itself."""
        if isinstance(error, ParameterValidationError):
            return error.location == "path" and any(p.name == error.name for p in route.path_params)
        sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return (
            isinstance(error, RequestBodyValidationError)
            and not isinstance(error, MissingRequestBodyError)
            and sent in route.forms
        )

    def _default_written(self, error: Exception, body: bytes, operation: Operation) -> bool:
        """openapi-core fills in a `readOnly` property's `default` and then finds it written
        (Petstore's `Pet.id`): such an error, for a body that sends no read-only property,
        is not the client's."""
        cause = error.__cause__
        issues = getattr(cause, "schema_errors", None)
        if not isinstance(error, RequestBodyValidationError) or not issues or not operation.body:
            return False
        if not all(e.message.startswith("Tried to write read-only property") for e in issues):
            return False
        try:
            sent = json.loads(body)
        except ValueError:
            return False
        schema = operation.body.schema
        return for_direction(sent, schema, self.resolver.deref, "write") == sent

    def _binary_body(self, error: Exception, request: Request, operation: Operation) -> bool:
        """A body of bytes (a file upload, `type: string` in a binary media type) is what
        its schema says whatever the bytes; openapi-core finds bytes are no string."""
        if not isinstance(error, RequestBodyValidationError):
            return False
        sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if not sent or any(word in sent for word in _TEXTUAL):
            return False
        for part in [*([operation.body] if operation.body else []), *operation.other_bodies]:
            if part.media_type.lower() in (sent, "*/*", sent.split("/")[0] + "/*"):
                schema = self.resolver.deref(part.schema)
                return isinstance(schema, dict) and schema.get("type") == "string"
        return False

    def answer(self, request: Request, operation: Operation) -> Response:
        """The documented response the request asks for (`Prefer: code=404, example=x`);
        by default the first success, else `default`, else the first one documented."""
        want_code, want_example = _prefer(request.headers.get("prefer", ""))
        chosen = None
        example = None
        # a 1xx is informational, never the final answer a client waits for
        responses = [r for r in operation.responses if not r.status.startswith("1")]
        for response in responses:
            if want_code and response.status != want_code:
                continue
            body = response.body
            examples = body.examples if body else []
            if want_example:
                found = next((e for e in examples if e.name == want_example), None)
                if found is None:
                    continue
                chosen, example = response, found
                break
            if want_code or response.is_success:
                chosen, example = response, (examples[0] if examples else None)
                break
        if chosen is None and not want_code and not want_example and responses:
            # no success documented: the `default` response, else the first one documented
            chosen = next((r for r in responses if r.status == "default"), None)
            chosen = chosen or responses[0]
            examples = chosen.body.examples if chosen.body else []
            example = examples[0] if examples else None
        if chosen is None and not responses:
            what = "no final response" if operation.responses else "no response"
            return self.error(
                501, "not_documented", f"The spec documents {what} for this operation."
            )
        if chosen is None:
            return self.error(
                400,
                "invalid_request",
                f"No documented response matches Prefer: {request.headers.get('prefer')}.",
            )
        status = int(chosen.status) if chosen.status.isdigit() else 200
        headers = {h.name: str(h.example) for h in chosen.headers if h.has_example}
        headers.pop("Content-Type", None)
        if "X-Request-Id" in headers:
            headers["X-Request-Id"] = request_id()
        if example is None or chosen.body is None or status in NO_CONTENT:
            return Response(status_code=status, headers=headers)
        content = json.dumps(example.value, ensure_ascii=False).encode("utf-8")
        return Response(content, status, headers, media_type=chosen.body.media_type)

    def check_answer(
        self, request: Request, body: bytes, response: Response, operation: Operation
    ) -> None:
        """Say loudly when the mock's own answer does not fit the spec."""
        if all(r.status.startswith("1") for r in operation.responses):
            return  # no final answer documented to fit (OpenAPI 3.1 allows none at all)
        headers = tuple(
            (name, "" if name == "x-request-id" else value)
            for name, value in sorted(response.headers.items())
        )
        key = (request.method, operation.operation_id, response.status_code, headers, response.body)
        problems = self._answer_problems.get(key)
        if problems is None:
            result = self.openapi.unmarshal_response(
                self._core_request(request, body, operation), StarletteOpenAPIResponse(response)
            )
            problems = [
                "; ".join(d["issue"] for d in _details(error)) or _text(error)
                for error in result.errors
            ]
            if len(self._answer_problems) < ANSWERS_KEPT:
                self._answer_problems[key] = problems
        for detail in problems:
            self.log.warn(
                f"{operation.operation_id}: the {response.status_code} example does not fit "
                f"the spec: {detail}"
            )
            response.headers["X-Mock-Warning"] = "the example does not fit the spec"

    def error(self, status: int, code: str, message: str, details: list | None = None) -> Response:
        body = self.errors.body(status, code, message, details)
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"X-Request-Id": request_id()}
        media = (
            "application/json" if self.errors.template is not None else "application/problem+json"
        )
        return Response(content, status, headers, media_type=media)

    def done(
        self,
        response: Response,
        what: str,
        operation: str,
        start: float,
        run: str,
        valid: bool,
        sent: dict[str, Any] | None = None,
    ) -> Response:
        detail = ""
        payload: Any = None
        if response.body and len(response.body) <= LOGGED_BODY:
            try:
                payload = json.loads(response.body)
            except ValueError:
                payload = None
            if not valid and isinstance(payload, dict):
                inner = payload.get("error", payload)
                message = inner.get("message", inner.get("detail", ""))
                detail = f"{inner.get('code', '')}: {message}"
                listed = inner.get("details") or inner.get("errors")  # ours, or problem details
                if isinstance(listed, list) and listed:
                    detail += " " + "; ".join(
                        f"{d.get('field', '')}: {d.get('issue', '')}"
                        for d in listed
                        if isinstance(d, dict)
                    )
        self.log.add(
            Entry(
                kind="http",
                what=what,
                operation=operation,
                status=str(response.status_code),
                ms=(time.perf_counter() - start) * 1000,
                run=run,
                valid=valid,
                detail=detail,
                payload=payload,
                sent=sent,
            )
        )
        return response


async def _multipart_parts(request: Request, body: bytes) -> list[tuple[str, str]]:
    """The (name, text) parts of a multipart/form-data body; a file is its bytes as text."""

    async def stream() -> Any:
        yield body

    form = await MultiPartParser(request.headers, stream(), max_part_size=MAX_BODY).parse()
    parts = []
    for name, item in form.multi_items():
        if isinstance(item, UploadFile):
            content = await item.read()
            item = content.decode("utf-8", "replace")
        parts.append((name, item))
    await form.close()
    return parts


_CHECKED_SCHEMES = ("http", "apiKey", "oauth2", "openIdConnect")


def _on_http(security: Any, unchecked: set[str]) -> Any:
    """Security requirements without the schemes in `unchecked`."""
    if not isinstance(security, list) or not unchecked:
        return security
    return [
        {k: v for k, v in requirement.items() if k not in unchecked}
        if isinstance(requirement, dict)
        else requirement
        for requirement in security
    ]


def _known_dialects(node: Any, depth: int = 0) -> Any:
    """The document without `$schema`s that name no dialect (`draft-05`, which does not
    exist): openapi-core fails on them (validate says where they are). Nodes without one
    are shared, not copied."""
    if depth > 200:
        return node
    if isinstance(node, dict):
        changed = {}
        for key, value in node.items():
            new = _known_dialects(value, depth + 1)
            if new is not value:
                changed[key] = new
        dialect = node.get("$schema")
        unknown = isinstance(dialect, str) and not known_dialect(dialect)
        if not changed and not unknown:
            return node
        return {k: changed.get(k, v) for k, v in node.items() if not (unknown and k == "$schema")}
    if isinstance(node, list):
        new_items = [_known_dialects(item, depth + 1) for item in node]
        return new_items if any(a is not b for a, b in zip(new_items, node, strict=True)) else node
    return node


def _formats(data: Any) -> set[str]:
    """Every `format` a document's schemas name (a walk without recursion)."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _any_value(value: Any) -> bool:
    return True


def _uri_reference(value: Any) -> bool:
    """A URI reference (RFC 3986): no spaces or control characters, a parsable URL."""
    if not isinstance(value, str):
        return True  # formats constrain strings only
    if re.search(r"[\s\x00-\x1f]", value):
        return False
    try:
        urlsplit(value)  # a `[` that starts no IPv6 address: refused
    except ValueError:
        return False
    return True


def _uri(value: Any) -> bool:
    """An absolute URI (RFC 3986): a scheme, then the rest."""
    if not isinstance(value, str):
        return True  # formats constrain strings only
    if not _uri_reference(value):
        return False
    parts = urlsplit(value)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme)) and bool(
        parts.netloc or parts.path
    )


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _prefer(header: str) -> tuple[str | None, str | None]:
    found = dict(_PREFER.findall(header))
    return found.get("code"), found.get("example")


# Media types whose bodies are text a schema describes (not bytes taken as they come).
_TEXTUAL = ("json", "xml", "text/", "form", "yaml")


def _details(error: BaseException) -> list[dict[str, str]]:
    """What is wrong with a request, as `field`/`issue` pairs."""
    if isinstance(error, ParameterValidationError):
        cause = error.__cause__
        issues = _schema_issues(cause) or [_text(cause or error)]
        return [{"field": error.name, "issue": echo(issue)} for issue in issues]
    if isinstance(error, MissingRequestBodyError):
        return [{"field": "/", "issue": "a request body is required"}]
    if isinstance(error, RequestBodyValidationError):
        cause = error.__cause__
        found = []
        for schema_error in getattr(cause, "schema_errors", []) or []:
            found.append({"field": field_of(schema_error), "issue": echo(schema_error.message)})
        return found or [{"field": "/", "issue": echo(_text(cause or error))}]
    return [{"field": "/", "issue": echo(_text(error))}]


def _text(error: BaseException) -> str:
    """An exception's message; some library messages fail on bodies that are not UTF-8."""
    try:
        return str(error)
    except (UnicodeDecodeError, ValueError, TypeError):
        return f"{type(error).__name__}: the value cannot be read"


def field_of(error: Any) -> str:
    """The JSON pointer of what a schema error is about (a missing or unexpected member)."""
    path = [str(p) for p in explain.path_of(error)]
    if error.validator == "required" and error.message.endswith(" is a required property"):
        path.append(error.message.split("'")[1] if error.message.startswith("'") else "")
    return "/" + "/".join(path)


def _schema_issues(error: BaseException | None) -> list[str]:
    return [e.message for e in getattr(error, "schema_errors", []) or []]
