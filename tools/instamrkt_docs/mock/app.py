"""The mock as one ASGI app: the REST and websocket APIs of the specs, on one port.

Paths are served under the servers' base paths (`/v1/...`). A path may be prefixed with
`/__run/<tag>` (`verify` does this): the tag is stripped and kept in the log, so that each
sample's requests can be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from instamrkt_docs.errors import SpecError
from instamrkt_docs.load import Document, Workspace
from instamrkt_docs.mock.limits import MAX_BODY
from instamrkt_docs.mock.log import MockLog
from instamrkt_docs.mock.rest import RestMock
from instamrkt_docs.mock.websocket import WsMock
from instamrkt_docs.model import RestApi, WsApi, build, bundle
from instamrkt_docs.render import load_specs

_RUN = re.compile(r"^/__run/([A-Za-z0-9_.-]+)(/.*)$")
ALL_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]


class RunPrefix:
    """Strips `/__run/<tag>` from paths and keeps the tag in `scope["state"]["run"]`."""

    def __init__(self, app: Any, endpoints: list[tuple[str, str]] | None = None) -> None:
        self.app = app
        self.endpoints = endpoints or []  # ("REST" or "websocket", path), for start lines
        self.key_patterns: list[str] = []  # what a credential must look like, if the specs say

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            match = _RUN.match(scope["path"])
            if match:
                raw = scope.get("raw_path") or match.group(2).encode()
                raw = (
                    raw[len(match.group(0)) - len(match.group(2)) :]
                    if raw.startswith(b"/__run/")
                    else raw
                )
                scope = {**scope, "path": match.group(2), "raw_path": raw}
                scope["state"] = {**scope.get("state", {}), "run": match.group(1)}
        await self.app(scope, receive, send)


def _refuse_unresolved_refs(workspace: Workspace, document: Document) -> None:
    """A located error for the first `$ref` that does not resolve: the mock checks every
    request against the whole spec, so it cannot serve one with a hole in it."""
    from instamrkt_docs.findings import Level
    from instamrkt_docs.validate import refs

    findings, _ = refs.check(workspace, document)
    for finding in workspace.place(findings):
        if finding.level is Level.ERROR:
            raise SpecError(finding)


def create_app(
    specs: list[Path],
    log: MockLog | None = None,
    heartbeat: float | None = None,
    event_interval: float = 10.0,
    max_body: int = MAX_BODY,
    ref_roots: Iterable[Path] = (),
) -> tuple[Any, MockLog]:
    """The mock app for the specs at `specs` (their `$ref`s may also read from
    `ref_roots`), and the log it writes."""
    log = log or MockLog()
    workspace, documents = load_specs(specs, ref_roots)
    rest_mocks: list[RestMock] = []
    routes: list[Any] = []
    endpoints: list[tuple[str, str]] = []
    for document in documents:
        _refuse_unresolved_refs(workspace, document)
        data = bundle(workspace, document)
        api = build(workspace, document, data)
        if isinstance(api, RestApi):
            rest_mocks.append(RestMock(data, api, log, max_body))
            endpoints += [("REST", base or "/") for base in rest_mocks[-1].bases]
        elif isinstance(api, WsApi):
            ws = WsMock(data, api, log, heartbeat, event_interval)
            for path in ws.paths:
                routes.append(WebSocketRoute(path, _websocket_endpoint(ws, path)))
                endpoints.append(("websocket", path))

    async def http(request: Request) -> Response:
        run = request.scope.get("state", {}).get("run", "")
        for mock in rest_mocks:
            found, _ = mock.match(request.url.path)
            if found:
                return await mock(request, run)
        if rest_mocks:
            return await rest_mocks[0](request, run)  # its 404, in the spec's error model
        return Response("not found", 404)

    routes.append(Route("/{path:path}", http, methods=ALL_METHODS))
    app = RunPrefix(Starlette(routes=routes), endpoints)
    app.key_patterns = sorted(
        {
            credential.pattern
            for mock in rest_mocks
            for operation in mock.api.operations
            for alternative in operation.security
            for credential in alternative
            if credential.pattern
        }
    )
    return app, log


def _websocket_endpoint(mock: WsMock, path: str) -> Any:
    async def endpoint(socket: WebSocket) -> None:
        await mock(socket, socket.scope.get("state", {}).get("run", ""), path)

    return endpoint
