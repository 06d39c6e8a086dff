"""A header or cookie example no client can send (CR/LF, NUL, a name that is no token) is a
validate finding, and every sample leaves it out with a comment instead of sending it."""

from __future__ import annotations

import json
from pathlib import Path

from instamrkt_docs.load import Workspace
from instamrkt_docs.model import build, bundle
from instamrkt_docs.samples import SampleWriter
from instamrkt_docs.validate import validate

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "http://127.0.0.1:9/v1"}],
    "paths": {
        "/a": {
            "get": {
                "operationId": "a",
                "parameters": [
                    {"name": "X-Trace", "in": "header", "required": True,
                     "schema": {"type": "string"}, "example": "1\r\nX-Injected: yes"},
                    {"name": "session", "in": "cookie", "required": True,
                     "schema": {"type": "string"}, "example": "a\u0000b"},
                    {"name": "X-Fine", "in": "header", "required": True,
                     "schema": {"type": "string"}, "example": "ok"},
                ],
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
}  # fmt: skip


def test_a_header_with_a_line_break_is_a_finding_and_left_out_of_samples(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(SPEC))
    found = [(f.pointer, f.message) for f in validate([spec]).findings if f.rule == "header"]
    assert found == [
        ("/paths/~1a/get/parameters/0/example",
         "header 'X-Trace' cannot be sent by any HTTP client: its example has a line break or "
         "another control character"),
        ("/paths/~1a/get/parameters/1/example",
         "cookie 'session' cannot be sent by any HTTP client: its example has a line break or "
         "another control character"),
    ]  # fmt: skip
    workspace = Workspace()
    document = workspace.load(spec)
    (operation,) = build(workspace, document, bundle(workspace, document)).operations
    for sample in SampleWriter().for_operation(operation):
        assert "X-Injected" not in sample.code
        assert "\x00" not in sample.code
        assert "header 'X-Trace' left out: its example has a line break" in sample.code
        assert "cookie 'session' left out" in sample.code
        assert "X-Fine" in sample.code
