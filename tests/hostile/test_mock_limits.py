"""The mock against clients that do not play fair: bounded bodies, strict JSON, bounded
depth and echoes, a bounded log, the spec's topic limit, and quiet disconnects."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from benchmarks.measure import free_port, rss_mb
from instamrkt_docs.mock import MockLog, running
from instamrkt_docs.mock.log import MAX_ENTRIES, Entry
from instamrkt_docs.verify import MOCK_KEY
from tests.conftest import ROOT, SPEC

AUTH = {"Authorization": f"Bearer {MOCK_KEY}"}
BETS = "/v1/pools/pol_9Lm3kW7qRt2YvB6s/bets"


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[str, MockLog]]:
    with running([SPEC]) as (url, log):
        yield url, log


def post_raw(url: str, body: bytes) -> requests.Response:
    headers = {**AUTH, "Content-Type": "application/json"}
    return requests.post(url + BETS, data=body, headers=headers, timeout=30)


def code_of(response: requests.Response) -> str:
    return response.json()["error"]["code"]


@pytest.mark.parametrize(
    "body",
    [b'{"outcomeId": "out_x", "stake": NaN}', b'{"stake": Infinity}', b'{"stake": 1e999999}'],
)
def test_json_that_is_not_strict_is_refused(mock: tuple[str, MockLog], body: bytes) -> None:
    url, log = mock
    response = post_raw(url, body)
    assert response.status_code == 400
    assert code_of(response) == "invalid_request"
    assert log.warnings() == []


def test_json_nested_100k_deep_is_a_400_not_a_500(mock: tuple[str, MockLog]) -> None:
    url, log = mock
    response = post_raw(url, b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert "nested more than 64 levels deep" in response.json()["error"]["message"]
    assert log.warnings() == []


def test_an_invalid_value_is_echoed_200_characters_at_most(mock: tuple[str, MockLog]) -> None:
    url, _ = mock
    huge = "x" * 100_000
    response = requests.post(
        url + BETS, json={"outcomeId": huge, "stake": 100}, headers=AUTH, timeout=30
    )
    assert response.status_code == 400
    assert len(response.text) < 2_000
    assert huge[:300] not in response.text


def test_a_body_over_the_limit_is_refused_without_being_read(mock: tuple[str, MockLog]) -> None:
    url, log = mock

    def chunks() -> Iterator[bytes]:  # no Content-Length: the mock must stop reading itself
        for _ in range(8):
            yield b" " * (512 * 1024)

    response = requests.post(
        url + BETS, data=chunks(), headers={**AUTH, "Content-Type": "application/json"},
        timeout=30,
    )  # fmt: skip
    assert response.status_code in (400, 413)
    assert "over the mock's limit" in response.json()["error"]["message"]
    assert log.warnings() == []


def test_a_client_that_leaves_mid_body_is_no_warning(mock: tuple[str, MockLog]) -> None:
    url, log = mock
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(
            f"POST {BETS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {MOCK_KEY}\r\n"
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"stake": '.encode()
        )
    response = requests.get(url + "/v1/games", headers=AUTH, timeout=30)  # still answers
    assert response.status_code == 200
    assert log.warnings() == []


def test_the_log_keeps_only_the_latest_entries() -> None:
    log = MockLog()
    for index in range(MAX_ENTRIES + 5_000):
        log.add(Entry("http", f"GET /{index}", "", "200", 0.1))
    assert len(log.entries) == MAX_ENTRIES
    assert log.entries[-1].what == f"GET /{MAX_ENTRIES + 4_999}"


def test_the_specs_topic_limit_and_deep_frames_get_error_messages(
    mock: tuple[str, MockLog],
) -> None:
    from websockets.sync.client import connect

    url, _ = mock
    with connect(url.replace("http", "ws") + "/v1/stream", additional_headers=AUTH) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "connected"
        for batch in range(6):  # 20 topics a call, the most one subscribe may name
            topics = [f"pool:pol_{batch:02d}{i:02d}Lm3kW7qRt2Yv" for i in range(20)]
            ws.send(json.dumps({"type": "subscribe", "id": f"s{batch}", "topics": topics}))
        replies = []
        while len(replies) < 6:
            message = json.loads(ws.recv(timeout=10))
            if message.get("id", "").startswith("s"):
                replies.append(message)
        assert [r["type"] for r in replies[:5]] == ["subscribe.result"] * 5
        assert replies[5]["type"] == "error"
        assert replies[5]["error"]["code"] == "too_many_subscriptions"
        ws.send("[" * 30_000 + "]" * 30_000)  # a 60 KB frame nested 30,000 deep
        while True:
            message = json.loads(ws.recv(timeout=10))
            if message.get("type") == "error":
                break
        assert "nested more than 64 levels deep" in message["error"]["message"]
        ws.send(json.dumps({"type": "ping", "id": "after"}))  # the connection still works
        while json.loads(ws.recv(timeout=10)).get("id") != "after":
            pass


def test_a_200_mb_body_leaves_the_mock_small_and_answering() -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "instamrkt-docs"), "mock", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL, env={**os.environ},
    )  # fmt: skip
    try:
        assert process.stderr is not None
        for line in process.stderr:  # started once it says where it listens
            if "Ctrl-C" in line:
                break
        url = f"http://127.0.0.1:{port}"

        def chunks() -> Iterator[bytes]:
            block = b"0" * (1024 * 1024)
            for _ in range(200):
                yield block

        with contextlib.suppress(requests.ConnectionError):  # it may close once it refused
            requests.post(url + BETS, data=chunks(), headers=AUTH, timeout=60)
        assert requests.get(url + "/v1/games", headers=AUTH, timeout=30).status_code == 200
        assert rss_mb(process.pid) < 300
    finally:
        process.terminate()
        process.wait(20)
