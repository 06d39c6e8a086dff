"""Nothing a spec says runs on the reader's or CI's machine: `verify` runs the spec author's
own `x-codeSamples` only when asked, curl reads no glob in a path, and scenario scripts keep
every literal piece of a path or a value a literal, whatever its backslashes and `${`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from instamrkt_docs.load import Workspace
from instamrkt_docs.model import build, bundle
from instamrkt_docs.samples import LANGUAGES, SampleWriter
from instamrkt_docs.scenarios.model import load_scenarios
from instamrkt_docs.scenarios.scripts import ScriptWriter
from tests.tools import need

SERVER = "https://api.example.com"


class _Capture(BaseHTTPRequestHandler):
    seen: list[str]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append(f"{self.command} {self.path}")
        body = b'{"id": "x"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def capture() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Capture,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(language: str, code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    suffix = {"shell": "sh", "python": "py", "javascript": "mjs"}[language]
    file = folder / f"sample.{suffix}"
    file.write_text(code)
    command = {"shell": [need("bash")], "python": [sys.executable], "javascript": [need("node")]}
    env = {**os.environ, "INSTAMRKT_API_KEY": "imk_test_" + "a" * 24, "API_KEY": "k"}
    return subprocess.run(
        [*command[language], str(file)], cwd=folder, capture_output=True, text=True,
        timeout=60, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_verify_shows_but_does_not_run_the_specs_own_samples(cli, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Own", "version": "1"},
        "servers": [{"url": SERVER}],
        "paths": {"/things": {"get": {
            "operationId": "getThings",
            "responses": {"200": {"description": "ok"}},
            "x-codeSamples": [{"lang": "shell",
                               "source": f"touch {marker}; curl -s {SERVER}/things"}],
        }}},
    }  # fmt: skip
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
    run = cli("verify", str(tmp_path / "openapi.yaml"))
    assert run.status == 0, run.out
    assert not marker.exists()
    assert "not run: 1 samples the spec wrote itself (x-codeSamples)" in run.out
    assert "--run-spec-samples" in run.out
    run = cli("verify", str(tmp_path / "openapi.yaml"), "--run-spec-samples")
    assert run.status == 0, run.out
    assert marker.exists()  # asked for by name: run


def _api(spec: dict, folder: Path) -> Any:
    path = folder / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec))
    workspace = Workspace()
    document = workspace.load(path)
    return build(workspace, document, bundle(workspace, document))


def test_a_path_is_sent_once_and_as_written_whatever_its_brackets(
    capture: tuple[str, list[str]], tmp_path: Path
) -> None:
    origin, seen = capture
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Globs", "version": "1"},
        "servers": [{"url": origin}],
        "paths": {"/items/[1-20]/{id} x": {"get": {
            "operationId": "getItems",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}, "example": "{a,b}[0-9]"}],
            "responses": {"200": {"description": "ok"}},
        }}},
    }  # fmt: skip
    api = _api(spec, tmp_path)
    (operation,) = api.operations
    for sample in SampleWriter().for_operation(operation):
        seen.clear()
        result = _run(sample.language.key, sample.code, tmp_path)
        assert result.returncode == 0, result.stderr
        assert seen == ["GET /items/%5B1-20%5D/%7Ba%2Cb%7D%5B0-9%5D%20x"], sample.language


HOSTILE_VALUE = "\\`${require('fs').writeFileSync('pwned-v','')}\\"


def test_scenario_scripts_keep_every_literal_piece_literal(
    capture: tuple[str, list[str]], tmp_path: Path
) -> None:
    origin, seen = capture
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Pieces", "version": "1"},
        "servers": [{"url": SERVER}],
        "paths": {"/a/{x}{y}/b\\": {"post": {
            "operationId": "post",
            "parameters": [
                {"name": "x", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "y", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object"}}}}},
        }}},
    }  # fmt: skip
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    arazzo = {
        "arazzo": "1.1.0",
        "info": {"title": "Pieces", "version": "1"},
        "sourceDescriptions": [{"name": "api", "url": "../openapi.yaml", "type": "openapi"}],
        "workflows": [{
            "workflowId": "pieces",
            "inputs": {"type": "object", "properties": {
                "v": {"type": "string", "default": HOSTILE_VALUE}}},
            "steps": [{
                "stepId": "post",
                "operationId": "$sourceDescriptions.api.post",
                "parameters": [
                    {"name": "x", "in": "path", "value": "$(touch pwned-x)$"},
                    {"name": "y", "in": "path", "value": "{require('fs').writeFileSync('pwned-y','')}"},
                ],
                "requestBody": {"contentType": "application/json", "payload": {
                    "t": "\\${$inputs.v}`$(touch pwned-t)`\\"}},
                "successCriteria": [{"condition": "$statusCode == 200"}],
            }],
        }],
    }  # fmt: skip
    (scenarios / "pieces.arazzo.yaml").write_text(yaml.safe_dump(arazzo))
    (scenario,) = load_scenarios([scenarios], ref_roots=[tmp_path])
    writer = ScriptWriter()
    expected = "POST /a/%24%28touch%20pwned-x%29%24%7Brequire%28%27fs%27%29.writeFileSync%28%27pwned-y%27%2C%27%27%29%7D/b%5C"
    for language in LANGUAGES:
        seen.clear()
        code = writer.script(scenario, language).replace(SERVER, origin)
        result = _run(language.key, code, tmp_path)
        assert result.returncode == 0, (language.key, result.stdout, result.stderr, code)
        assert seen == [expected], language.key
        assert not list(tmp_path.glob("pwned*")), language.key
    assert json.dumps(HOSTILE_VALUE)  # the input's default went through every language too
