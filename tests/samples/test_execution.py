"""Samples with awkward example values run for real, and send exactly those values.

A recording server on loopback receives what each generated sample sends: the body, the
headers, the path and query parameters and websocket messages must arrive exactly as the
spec's examples give them, whatever quotes, `$(...)`, backslashes, newlines or non-ASCII
text they hold.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from instamrkt_docs.load import Workspace
from instamrkt_docs.model import build
from instamrkt_docs.samples import LANGUAGES, Sample, SampleWriter
from tests.tools import ROOT, need, need_node_package

AWKWARD = (
    'it\'s "quoted" $(touch /tmp/instamrkt-pwned) `uname` ${HOME} \\ back\\slash\n'
    "a new line\ttab, ünïcödé, 🎲, \u2028 and '; rm -rf /'"
)
SECRET = "imk_test_s3cr3t'\"$(x)"
BODY = {"text": AWKWARD, "number": 1.5, "nested": {"list": [None, True, False, 0], "": "empty"}}
HEADER = "a'b\"c $(x) `y` \\ %20"  # header values are ASCII (RFC 9110); the rest is not
PATH_VALUE = "a b/c?d#e'f"
QUERY_VALUE = "x&y=z ü $(q)"


def spec(port: int) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Awkward", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{port}/v1"}],
        "security": [{"key": []}],
        "x-samples": {"credentialVariable": "AWKWARD_KEY"},
        "components": {"securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/things/{thing}": {
                "post": {
                    "operationId": "postThing",
                    "parameters": [
                        {"name": "thing", "in": "path", "required": True,
                         "schema": {"type": "string"}, "example": PATH_VALUE},
                        {"name": "q", "in": "query", "schema": {"type": "string"},
                         "example": QUERY_VALUE},
                        {"name": "X-Odd", "in": "header", "schema": {"type": "string"},
                         "example": HEADER},
                    ],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"type": "object"}, "example": BODY}}},
                    "responses": {"200": {"description": "ok", "content": {
                        "application/json": {"schema": {"type": "object"}}}}},
                }
            }
        },
    }  # fmt: skip


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        Recorder.received.append(
            {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
        )
        payload = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.received = []
    yield server.server_address[1]
    server.shutdown()


def samples_for(document: dict, tmp_path: Path, kind: str) -> list[Sample]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    workspace = Workspace()
    api = build(workspace, workspace.load(path))
    writer = SampleWriter(credential_variable=api.credential_variable)
    (operation,) = api.operations
    if kind == "http":
        return writer.for_operation(operation)
    return writer.for_ws_operation(operation)


def run(sample: Sample, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a sample as a reader would: bash, python or node, from a file."""
    folder = ROOT / "build" / "sample-runs"
    folder.mkdir(parents=True, exist_ok=True)  # inside the project, so node finds node_modules
    file = folder / f"sample-{os.getpid()}.{sample.language.suffix}"
    file.write_text(sample.code)
    command = {
        "shell": [need("bash"), str(file)],
        "python": [sys.executable, str(file)],
        "javascript": [need("node"), str(file)],
    }[sample.language.key]
    path = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env, "PATH": path},
        stdin=subprocess.DEVNULL,  # as in CI: no terminal
    )


@pytest.mark.parametrize("language", [lang.key for lang in LANGUAGES])
def test_rest_samples_send_exactly_the_example_values(
    language: str, http_server: int, tmp_path: Path
) -> None:
    if language == "shell":
        need("curl")
    samples = {s.language.key: s for s in samples_for(spec(http_server), tmp_path, "http")}
    result = run(samples[language], {"AWKWARD_KEY": SECRET})
    assert result.returncode == 0, result.stderr
    assert not Path("/tmp/instamrkt-pwned").exists()
    (request,) = Recorder.received
    url = urlsplit(request["path"])
    assert unquote(url.path) == f"/v1/things/{PATH_VALUE}"
    assert parse_qs(url.query) == {"q": [QUERY_VALUE]}
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["authorization"] == f"Bearer {SECRET}"
    assert headers["x-odd"] == HEADER
    assert json.loads(request["body"]) == BODY
    if language != "shell":  # curl prints the body only
        assert result.stdout.split()[0] == "200"
    assert "ok" in result.stdout


def ws_spec(port: int) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Awkward", "version": "1"},
        "x-samples": {"credentialVariable": "AWKWARD_KEY"},
        "servers": {"local": {"host": f"127.0.0.1:{port}", "protocol": "ws",
                              "security": [{"$ref": "#/components/securitySchemes/key"}]}},
        "channels": {"stream": {"address": "/stream", "messages": {
            "call": {"$ref": "#/components/messages/call"},
            "reply": {"$ref": "#/components/messages/reply"}}}},
        "operations": {"doCall": {
            "action": "receive", "channel": {"$ref": "#/channels/stream"},
            "messages": [{"$ref": "#/channels/stream/messages/call"}],
            "reply": {"channel": {"$ref": "#/channels/stream"},
                      "messages": [{"$ref": "#/channels/stream/messages/reply"}]}}},
        "components": {
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
            "correlationIds": {"id": {"location": "$message.payload#/id"}},
            "messages": {
                "call": {"name": "call", "correlationId": {"$ref": "#/components/correlationIds/id"},
                         "payload": {"type": "object"},
                         "examples": [{"name": "odd", "payload": {"type": "call", "id": "c'1$(x)",
                                                                  **BODY}}]},
                "reply": {"name": "reply", "payload": {"type": "object"}},
            },
        },
    }  # fmt: skip


@pytest.fixture
def ws_server() -> Iterator[tuple[int, list]]:
    from websockets.asyncio.server import serve

    received: list = []
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def handler(connection: Any) -> None:
        received.append({"auth": connection.request.headers.get("Authorization")})
        await connection.send(json.dumps({"type": "hello"}))
        async for raw in connection:
            message = json.loads(raw)
            received.append(message)
            await connection.send(json.dumps({"type": "reply", "id": message.get("id")}))

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0) as server:
            state["port"] = server.sockets[0].getsockname()[1]
            state["stop"] = loop.create_future()
            ready.set()
            await state["stop"]

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    ready.wait(10)
    yield state["port"], received
    loop.call_soon_threadsafe(state["stop"].set_result, None)
    thread.join(10)


@pytest.mark.parametrize("language", [lang.key for lang in LANGUAGES])
def test_websocket_samples_send_exactly_the_example_message_and_read_the_reply(
    language: str, ws_server: tuple[int, list], tmp_path: Path
) -> None:
    if language == "shell":
        need("wscat")
    if language == "javascript":
        need_node_package("ws")
    port, received = ws_server
    samples = {s.language.key: s for s in samples_for(ws_spec(port), tmp_path, "ws")}
    result = run(samples[language], {"AWKWARD_KEY": SECRET})
    assert result.returncode == 0, result.stderr
    assert received[0] == {"auth": f"Bearer {SECRET}"}
    assert received[1] == {"type": "call", "id": "c'1$(x)", **BODY}
    assert "reply" in result.stdout and "c'1$(x)" in result.stdout


def test_a_websocket_shell_sample_without_wscat_says_what_it_needs(tmp_path: Path) -> None:
    """It used to end at once with status 0, as if the session had gone well."""
    workspace = Workspace()
    api = build(workspace, workspace.load(ROOT / "spec" / "asyncapi.yaml"))
    operation = next(op for op in api.operations if op.operation_id == "getPool")
    shell = next(s for s in SampleWriter().for_ws_operation(operation) if s.language.key == "shell")
    script = tmp_path / "sample.sh"
    script.write_text(shell.code)
    bare = tmp_path / "bin"  # bash and nothing of node's
    bare.mkdir()
    for tool in ("bash", "jq"):
        (bare / tool).symlink_to(need(tool))
    ran = subprocess.run(
        [str(bare / "bash"), str(script)], capture_output=True, text=True, timeout=60,
        env={"PATH": str(bare), "INSTAMRKT_API_KEY": "imk_test_x"}, check=False,
    )  # fmt: skip
    assert ran.returncode == 127, ran
    assert "this sample needs wscat: npm install -g wscat" in ran.stderr
