"""The web page samples: a browser's WebSocket with the query credential, run in Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from instamrkt_docs.load import Workspace
from instamrkt_docs.model import build, bundle
from instamrkt_docs.samples import SampleWriter
from instamrkt_docs.verify import browser, verify
from tests.conftest import SPEC
from tests.tools import need


def _samples(spec: Path) -> dict[str, list]:
    workspace = Workspace()
    document = workspace.load(spec)
    api = build(workspace, document, bundle(workspace, document))
    writer = SampleWriter(None, api.credential_variable)
    return {op.operation_id: writer.for_ws_operation(op) for op in api.operations}


def _ws_spec(tmp_path: Path, schemes: dict, security: list) -> Path:
    spec = {
        "asyncapi": "3.0.0",
        "info": {"title": "Stream", "version": "1"},
        "servers": {"main": {"host": "stream.example.com", "protocol": "wss",
                             **({"security": security} if security else {})}},
        "channels": {"root": {"address": "/", "messages": {"ping": {"payload": {
            "type": "object", "properties": {"type": {"const": "ping"}}},
            "examples": [{"payload": {"type": "ping"}}]}}}},
        "operations": {"ping": {"action": "receive", "channel": {"$ref": "#/channels/root"},
                                "messages": [{"$ref": "#/channels/root/messages/ping"}]}},
        "components": {"securitySchemes": schemes},
    }  # fmt: skip
    path = tmp_path / "asyncapi.json"
    path.write_text(json.dumps(spec))
    return path


def test_a_page_connects_with_the_ticket_as_the_site_tells_browsers() -> None:
    code = next(
        s.code for s in _samples(SPEC / "asyncapi.yaml")["getPool"] if s.language.key == "browser"
    )
    assert "function connect(ticket) {" in code
    assert 'url.searchParams.set("ticket", ticket);' in code
    assert "createWebsocketTicket" in code.split("function")[0]  # where a ticket comes from
    assert "Authorization" not in code and "process" not in code and "import" not in code


def test_no_page_sample_where_a_browser_cannot_authenticate(tmp_path: Path) -> None:
    header = {"key": {"type": "httpApiKey", "name": "X-Key", "in": "header"}}
    spec = _ws_spec(tmp_path, header, [{"$ref": "#/components/securitySchemes/key"}])
    assert [s.language.key for s in _samples(spec)["ping"]] == ["shell", "python", "javascript"]


def test_a_hostile_credential_name_stays_a_string(tmp_path: Path) -> None:
    name = '"); alert(1); ("'
    query = {"key": {"type": "httpApiKey", "name": name, "in": "query"}}
    spec = _ws_spec(tmp_path, query, [{"$ref": "#/components/securitySchemes/key"}])
    code = next(s.code for s in _samples(spec)["ping"] if s.language.key == "browser")
    assert "function connect(credential) {" in code
    assert f"url.searchParams.set({json.dumps(name)}, credential);" in code


def _broken(tmp_path: Path, block: str, old: str, new: str) -> dict[str, Any]:
    """verify's outcomes for getPool, its web page sample's `block` with `old` made `new`."""
    need("chromium")
    (tmp_path / "browser").mkdir()
    (tmp_path / "browser" / "websocket.js.jinja").write_text(
        '{% extends "browser/_base/websocket.js.jinja" %}\n'
        f"{{% block {block} %}}{{{{ super() | replace({old!r}, {new!r}) }}}}{{% endblock %}}\n"
    )
    report = verify([SPEC], templates=tmp_path, only=["getPool"], with_scenarios=False)
    return {o.case.name: o for o in report.outcomes}


def test_a_page_sample_that_does_not_log_the_answer_fails_in_chromium(tmp_path: Path) -> None:
    outcomes = _broken(tmp_path, "exchange", "console.log(message);", "")
    failed = outcomes["websocket getPool (JavaScript in a web page)"]
    assert not failed.passed and "did not log the answer" in failed.reason
    assert outcomes["websocket getPool (JavaScript)"].passed


def test_a_page_sample_refused_by_the_server_fails_with_the_browsers_reason(tmp_path) -> None:
    outcomes = _broken(tmp_path, "connect", "url.searchParams.set", "void")
    failed = outcomes["websocket getPool (JavaScript in a web page)"]
    assert not failed.passed
    assert "websocket" in failed.reason.lower() or "401" in failed.reason, failed.reason


def test_without_chromium_the_page_samples_are_said_not_run(cli, monkeypatch) -> None:
    monkeypatch.setattr(browser, "chromium", lambda: None)
    run = cli("verify", "--operation", "getPool")
    assert run.status == 0, run.out
    assert "not run: 1 samples for a web page: Chromium is not installed" in run.out
