"""Hostile spec strings in generated samples: whatever a spec says, a sample sends exactly
that, runs nothing else and writes no file.

Hypothesis draws strings full of shell and JavaScript metacharacters, quotes, backslashes,
`${}`, `$()`, backticks, newlines, CR, U+2028 and other unicode into every slot of a small
spec that reaches a sample: header, cookie, query and path parameter names and values, the
API key's header or cookie name and the key itself, JSON body names and values, a websocket
message's fields and the `type` its reply is awaited by. Each sample is written as a reader
would paste it, must parse, and is run (bash, python, node) against a capture server on
loopback, which compares what arrived with what was drawn.
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
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from instamrkt_docs.load import Workspace
from instamrkt_docs.model import build, bundle
from instamrkt_docs.samples import LANGUAGES, SampleWriter
from tests.tools import ROOT, need

CASES = 300  # drawn cases per language, REST; run BATCH at a time, in one process
BATCH = 30
WS_CASES = 30  # per language (besides the 300 REST ones), BATCH at a time too
# A failure is reported as drawn: shrinking a batch of runs takes minutes.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
HOSTILE = [
    "$(touch pwned)",
    "`touch pwned`",
    "${HOME}",
    "'",
    '"',
    "\\",
    "\\'",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "${}",
    "#{x}",
    "%s",
    "%(x)s",
    "{x}",
    "{{x}}",
    "</script>",
    "*",
    "?",
    "!",
    "&",
    "|",
    ";",
    "<",
    ">",
    "~",
    "\t",
    "é",
    "\u00a0",
    "\U0001f600",
    "\x00"[:0],
    "--",
]
text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=4)), max_size=6
).map("".join)
printable = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=24)
# Names a header or cookie can have (HTTP tokens), metacharacters included.
token = st.text(alphabet="!#$%&'*+.^_`|~-" + "abcXYZ019", min_size=1, max_size=12)
cookie_value = printable.filter(lambda v: ";" not in v and "," not in v and v.strip() == v)
header_value = printable.map(str.strip)  # clients trim a value's outer spaces
secret = printable.filter(lambda v: v.strip() == v and v)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
RESERVED_HEADERS = {"authorization", "cookie", "content-type", "content-length", "host"}
WS_RESERVED = RESERVED_HEADERS | {
    "connection", "upgrade", "sec-websocket-key", "sec-websocket-version",
    "sec-websocket-extensions", "sec-websocket-protocol", "user-agent",
}  # fmt: skip


class Capture:
    """What the capture servers received, per run."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.messages: list[Any] = []
        self.handshakes: list[dict[str, str]] = []

    def clear(self) -> None:
        self.requests.clear()
        self.messages.clear()
        self.handshakes.clear()


def http_server(capture: Capture) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def handle_one(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            capture.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": list(self.headers.items()),
                    "body": body,
                }
            )
            data = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_one

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ws_server(capture: Capture) -> tuple[int, Any]:
    """A websocket server that records the handshake and every message, and echoes each."""
    from websockets.asyncio.server import serve

    ready = threading.Event()
    state: dict[str, Any] = {}

    async def handler(connection: Any) -> None:
        handshake = dict(connection.request.headers.raw_items())
        capture.handshakes.append({**handshake, ":path": connection.request.path})
        async for raw in connection:
            message = json.loads(raw)
            capture.messages.append(message)
            await connection.send(json.dumps(message))

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0) as server:
            state["port"] = server.sockets[0].getsockname()[1]
            state["stop"] = asyncio.get_running_loop().create_future()
            state["loop"] = asyncio.get_running_loop()
            ready.set()
            await state["stop"]

    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
    ready.wait(10)
    return state["port"], state


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Capture, int, int]]:
    capture = Capture()
    http = http_server(capture)
    ws_port, ws_state = ws_server(capture)
    yield capture, http.server_address[1], ws_port
    http.shutdown()
    ws_state["loop"].call_soon_threadsafe(ws_state["stop"].set_result, None)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def model_of(spec: dict, folder: Path) -> Any:
    path = folder / "spec.json"  # YAML would read U+0085 and others as line breaks
    path.write_text(json.dumps(spec, ensure_ascii=False))
    workspace = Workspace()
    document = workspace.load(path)
    return build(workspace, document, bundle(workspace, document))


def run_sample(code: str, language: str, folder: Path, variable: str, key: str) -> str:
    """Run a sample from an empty folder; the files it left there, besides itself."""
    suffix = {"shell": "sh", "python": "py", "javascript": "mjs"}[language]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "node_modules").unlink(missing_ok=True)
    (folder / "node_modules").symlink_to(ROOT / "node_modules")  # how `import "ws"` is found
    sample = folder / f"sample.{suffix}"
    sample.write_text(code)
    command = {
        "shell": [need("bash"), str(sample)],
        "python": [sys.executable, str(sample)],
        "javascript": [need("node"), str(sample)],
    }[language]
    env = {
        **os.environ,
        variable: key,
        "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}",
    }
    result = subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, f"{code}\n---\n{result.stdout}{result.stderr}"
    left = sorted(p.name for p in folder.iterdir() if p.name not in (sample.name, "node_modules"))
    return ", ".join(left)


@st.composite
def rest_case(draw: st.DrawFn) -> dict[str, Any]:
    key_name = draw(token.filter(lambda n: n.lower() not in RESERVED_HEADERS))
    headers = draw(st.dictionaries(token, header_value, max_size=2))
    taken = RESERVED_HEADERS | {key_name.lower()}
    headers = {k: v for k, v in headers.items() if k.lower() not in taken}
    return {
        # "." and ".." are dot segments, which every client removes (validate says so)
        "path_value": draw(text.filter(lambda v: v not in (".", ".."))),
        "query": draw(
            st.lists(st.tuples(text.filter(bool), text), max_size=2, unique_by=lambda x: x[0])
        ),
        "headers": headers,
        "cookie": draw(st.one_of(st.none(), st.tuples(token, cookie_value))),
        "key_in": draw(st.sampled_from(["header", "cookie", "bearer"])),
        "key_name": key_name,
        "body": draw(st.dictionaries(text, json_value, max_size=3)),
        "summary": draw(text),
    }


def rest_spec(case: dict[str, Any], port: int, index: int = 0) -> dict:
    params: list[dict] = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
         "example": case["path_value"]},
    ]  # fmt: skip
    for name, value in case["query"]:
        params.append({"name": name, "in": "query", "required": True, "example": value,
                       "schema": {"type": "string"}})  # fmt: skip
    for name, value in case["headers"].items():
        params.append({"name": name, "in": "header", "required": True, "example": value,
                       "schema": {"type": "string"}})  # fmt: skip
    if case["cookie"]:
        name, value = case["cookie"]
        params.append({"name": name, "in": "cookie", "required": True, "example": value,
                       "schema": {"type": "string"}})  # fmt: skip
    if case["key_in"] == "bearer":
        scheme = {"type": "http", "scheme": "bearer"}
    else:
        scheme = {"type": "apiKey", "in": case["key_in"], "name": case["key_name"]}
    return {
        "openapi": "3.1.0",
        "info": {"title": case["summary"] or "t", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{port}/v1"}],
        "x-samples": {"credentialVariable": "HOSTILE_KEY"},
        "security": [{"key": []}],
        "components": {"securitySchemes": {"key": scheme}},
        "paths": {
            f"/things{index}/{{id}}": {
                "post": {
                    "operationId": "makeThing",
                    "summary": case["summary"] or "s",
                    "description": case["summary"],
                    "parameters": params,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"type": "object"},
                                "example": case["body"],
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            }
        },
    }


def check_request(case: dict[str, Any], request: dict[str, Any], index: int) -> None:
    parts = urlsplit(request["path"])
    assert unquote(parts.path) == f"/v1/things{index}/" + case["path_value"]
    query = parse_qsl(parts.query, keep_blank_values=True)
    assert query == [(k, v) for k, v in case["query"]]
    headers = request["headers"]
    for name, value in case["headers"].items():
        assert [v for k, v in headers if k.lower() == name.lower()] == [value]
    cookies = [v for k, v in headers if k.lower() == "cookie"]
    sent_cookies = "; ".join(cookies).split("; ") if cookies else []
    if case["cookie"]:
        assert "=".join(case["cookie"]) in sent_cookies
    if case["key_in"] == "bearer":
        assert [v for k, v in headers if k.lower() == "authorization"] == [f"Bearer {case['key']}"]
    elif case["key_in"] == "header":
        assert [v for k, v in headers if k.lower() == case["key_name"].lower()] == [case["key"]]
    else:
        assert f"{case['key_name']}={case['key']}" in sent_cookies
    assert json.loads(request["body"]) == case["body"]


@pytest.mark.parametrize("language", [lang.key for lang in LANGUAGES])
def test_rest_samples_send_exactly_what_the_spec_says_and_nothing_runs(
    language: str, servers: tuple[Capture, int, int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    capture, http_port, _ = servers
    (lang,) = [x for x in LANGUAGES if x.key == language]
    writer = SampleWriter(credential_variable="HOSTILE_KEY")

    @settings(
        max_examples=CASES // BATCH, deadline=None, database=None, phases=PHASES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(batch=st.lists(rest_case(), min_size=BATCH, max_size=BATCH), key=secret)
    def run(batch: list[dict[str, Any]], key: str) -> None:
        folder = tmp_path_factory.mktemp("rest")
        codes = []
        for index, case in enumerate(batch):
            case["key"] = key
            api = model_of(rest_spec(case, http_port, index), folder)
            (operation,) = api.operations
            (sample,) = [s for s in writer.for_operation(operation) if s.language == lang]
            codes.append(sample.code)
        # The samples one after the other; in JavaScript each in a block of its own (the
        # same names are declared in each).
        code = "\n".join("{\n" + c + "}" if language == "javascript" else c for c in codes)
        capture.clear()
        left = run_sample(code, language, folder / "run", "HOSTILE_KEY", key)
        assert left == "", f"the samples created {left}"
        assert len(capture.requests) == BATCH, code
        for index, case in enumerate(batch):
            (request,) = [
                r for r in capture.requests if r["path"].startswith(f"/v1/things{index}/")
            ]
            check_request(case, request, index)

    run()


@st.composite
def ws_case(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "type": draw(text.filter(bool)),
        "fields": draw(
            st.dictionaries(text.filter(lambda k: k not in ("type", "id")), json_value, max_size=3)
        ),
        "id": draw(text.filter(bool)),
        "key_name": draw(
            token.filter(lambda n: n.lower() not in RESERVED_HEADERS | {"sec-websocket-key"})
        ),
        "key": draw(secret),
        "title": draw(text),
    }


def ws_spec(case: dict[str, Any], port: int) -> dict:
    payload = {"type": case["type"], "id": case["id"], **case["fields"]}
    message = {
        "name": "call",
        "title": case["title"] or "m",
        "payload": {"type": "object", "properties": {"type": {"const": case["type"]}}},
        "examples": [{"payload": payload}],
        "correlationId": {"location": "$message.payload#/id"},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": case["title"] or "t", "version": "1"},
        "x-samples": {"credentialVariable": "HOSTILE_KEY"},
        "servers": {"local": {"host": f"127.0.0.1:{port}", "protocol": "ws", "pathname": "/",
                              "security": [{"$ref": "#/components/securitySchemes/key"}]}},
        "channels": {"stream": {"address": "/", "messages": {"call": message, "reply": message}}},
        "operations": {
            "call": {
                "action": "receive", "title": case["title"] or "o",
                "channel": {"$ref": "#/channels/stream"},
                "messages": [{"$ref": "#/channels/stream/messages/call"}],
                "reply": {"channel": {"$ref": "#/channels/stream"},
                          "messages": [{"$ref": "#/channels/stream/messages/reply"}]},
            }
        },
        "components": {"securitySchemes": {
            "key": {"type": "httpApiKey", "in": "header", "name": case["key_name"]}}},
    }  # fmt: skip


@pytest.mark.parametrize("language", [lang.key for lang in LANGUAGES])
def test_websocket_samples_send_exactly_the_message_and_nothing_runs(
    language: str, servers: tuple[Capture, int, int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    capture, _, ws_port = servers
    (lang,) = [x for x in LANGUAGES if x.key == language]
    writer = SampleWriter(credential_variable="HOSTILE_KEY")

    @settings(
        max_examples=WS_CASES // BATCH, deadline=None, database=None, phases=PHASES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(batch=st.lists(ws_case(), min_size=BATCH, max_size=BATCH), key=secret)
    def run(batch: list[dict[str, Any]], key: str) -> None:
        folder = tmp_path_factory.mktemp("ws")
        codes = []
        for case in batch:
            api = model_of(ws_spec(case, ws_port), folder)
            (operation,) = api.operations
            samples = [s for s in writer.for_ws_operation(operation) if s.language == lang]
            assert samples, "a websocket sample in every language"
            codes.append(samples[0].code)
        code = "\n".join(codes)
        if language == "javascript":  # one import of ws, then each sample in its block
            head = 'import WebSocket from "ws";\n'
            assert all(c.startswith(head) for c in codes)
            code = head + "\n".join("{\n" + c.removeprefix(head) + "}" for c in codes)
        capture.clear()
        left = run_sample(code, language, folder / "run", "HOSTILE_KEY", key)
        assert left == "", f"the samples created {left}"
        expected = [{"type": c["type"], "id": c["id"], **c["fields"]} for c in batch]
        # JSON says nothing of member order (and JavaScript puts integer-like keys first)
        assert sorted(map(canonical, capture.messages)) == sorted(map(canonical, expected))
        assert len(capture.handshakes) == BATCH
        sent = sorted(
            value
            for handshake in capture.handshakes
            for name, value in handshake.items()
            if name.lower() in {c["key_name"].lower() for c in batch}
        )
        assert sent == [key] * BATCH

    run()
