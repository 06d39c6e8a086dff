"""The mock's budgets: its log keeps no big body, an answer lists fifty problems at most,
and a request that takes long to check does not hold up the others."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from instamrkt_docs.mock import MockLog, running
from instamrkt_docs.mock.log import MAX_BYTES, Entry
from instamrkt_docs.mock.rest import RestMock

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Notes", "version": "1"},
    "servers": [{"url": "http://127.0.0.1/v1"}],
    "paths": {
        "/notes": {"post": {
            "operationId": "postNote",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "items": {"type": "array", "items": {
                        "type": "object", "required": ["n"],
                        "properties": {"n": {"type": "integer"}, "s": {"type": "string"}}}},
                },
            }}}},
            "responses": {"201": {"description": "kept", "content": {"application/json": {
                "schema": {"type": "object"}, "example": {"ok": True}}}}},
        }},
        "/ping": {"get": {"operationId": "ping", "responses": {"200": {
            "description": "pong", "content": {"application/json": {
                "schema": {"type": "object"}, "example": {"pong": True}}}}}}},
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, MockLog]]:
    folder = tmp_path_factory.mktemp("notes")
    (folder / "openapi.yaml").write_text(yaml.safe_dump(SPEC))
    with running([folder / "openapi.yaml"]) as (url, log):
        yield url + "/v1", log


def test_the_log_keeps_no_big_body(mock: tuple[str, MockLog]) -> None:
    url, log = mock
    body = json.dumps({"text": "a" * 900_000}).encode()
    for _ in range(20):
        answer = requests.post(f"{url}/notes", data=body, timeout=60,
                               headers={"Content-Type": "application/json"})  # fmt: skip
        assert answer.status_code == 201, answer.text
    kept = [e for e in log.entries if e.operation == "postNote"]
    assert len(kept) == 20
    assert all(e.sent["body"] is None for e in kept)  # 900 KB each: not kept
    small = requests.post(f"{url}/notes", json={"text": "short"}, timeout=60)
    assert small.status_code == 201
    assert log.entries[-1].sent["body"] == b'{"text": "short"}'  # what verify compares


def test_the_log_is_bounded_in_bytes_however_many_entries() -> None:
    log = MockLog()
    big = b"x" * 60_000
    for index in range(3_000):
        log.add(Entry("http", f"POST /{index}", "", "201", 0.1, sent={"body": big}))
    kept = sum(len(e.sent["body"]) for e in log.entries)
    assert kept <= MAX_BYTES
    assert log.entries[-1].what == "POST /2999"  # the latest kept


def test_many_faults_are_told_in_fifty(mock: tuple[str, MockLog]) -> None:
    url, _ = mock
    faulty = json.dumps({"items": [{"n": "x", "s": 5}] * 3_000}).encode()
    answer = requests.post(f"{url}/notes", data=faulty, timeout=120,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == 400
    details = answer.json()["errors"]  # problem details: the spec has no error model
    assert len(details) == 51 and details[-1]["issue"].startswith("and ")
    assert len(answer.content) < 20_000


def test_a_request_being_checked_holds_up_no_other(
    mock: tuple[str, MockLog], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check of one request is held until another request has been answered: if
    checking ran on the server's event loop, the other could never be answered."""
    url, _ = mock
    entered, release = threading.Event(), threading.Event()
    check = RestMock.check

    def held(self: RestMock, request: Any, body: bytes, *args: Any) -> Any:
        if b"hold-me" in body:
            entered.set()
            release.wait(60)
        return check(self, request, body, *args)

    monkeypatch.setattr(RestMock, "check", held)
    answers: dict[str, int] = {}

    def send_held() -> None:
        answers["held"] = requests.post(
            f"{url}/notes", json={"text": "hold-me"}, timeout=90
        ).status_code

    thread = threading.Thread(target=send_held)
    thread.start()
    try:
        assert entered.wait(30), "the mock never checked the request"
        answers["ping"] = requests.get(f"{url}/ping", timeout=30).status_code
        assert "held" not in answers  # still held: the ping was answered meanwhile
    finally:
        release.set()
        thread.join(90)
    assert answers == {"ping": 200, "held": 201}


def test_a_key_pattern_that_backtracks_is_no_stall(tmp_path: Path) -> None:
    spec = {
        **SPEC,
        "components": {"securitySchemes": {"key": {
            "type": "http", "scheme": "bearer", "x-key-pattern": "^(a|a)*$"}}},
        "security": [{"key": []}],
    }  # fmt: skip
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
    with running([tmp_path / "openapi.yaml"]) as (url, _):
        wrong = requests.get(f"{url}/v1/ping", timeout=30,
                             headers={"Authorization": "Bearer " + "a" * 40 + "b"})  # fmt: skip
        right = requests.get(f"{url}/v1/ping", timeout=30,
                             headers={"Authorization": "Bearer " + "a" * 40})  # fmt: skip
    assert (wrong.status_code, right.status_code) == (401, 200)
