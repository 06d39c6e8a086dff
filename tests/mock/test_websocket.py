"""The websocket mock: authentication, calls, subscriptions, heartbeats, errors, fuzz."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from instamrkt_docs.mock import MockLog, running
from instamrkt_docs.verify import MOCK_KEY
from tests.conftest import SPEC

AUTH = {"Authorization": f"Bearer {MOCK_KEY}"}
POOL_TOPIC = "pool:pol_9Lm3kW7qRt2YvB6s"


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[str, MockLog]]:
    with running([SPEC], heartbeat=0.5, event_interval=0.5) as (url, log):
        yield url.replace("http", "ws") + "/v1/stream", log


def receive_until(ws, predicate, limit: int = 50) -> list[dict]:
    seen = []
    for _ in range(limit):
        message = json.loads(ws.recv(timeout=5))
        seen.append(message)
        if predicate(message):
            return seen
    raise AssertionError(f"not received; got {[m['type'] for m in seen]}")


def test_the_upgrade_needs_a_key_or_a_ticket(mock) -> None:
    url, _ = mock
    with pytest.raises(InvalidStatus) as refused:
        connect(url)
    assert refused.value.response.status_code == 401
    assert json.loads(refused.value.response.body)["error"]["code"] == "unauthenticated"
    with connect(f"{url}?ticket=wst_Qm7Xk2Lp9Wn4Rz8Tb3Vc6Hd5Js1Gf0Ya") as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "connected"


def test_a_call_gets_its_reply_with_the_callers_id(mock) -> None:
    url, _ = mock
    with connect(url, additional_headers=AUTH) as ws:
        ws.send(
            json.dumps({"type": "pools.block", "id": "mine-7", "poolId": "pol_9Lm3kW7qRt2YvB6s"})
        )
        reply = receive_until(ws, lambda m: m.get("id") == "mine-7")[-1]
        assert reply["type"] == "pools.block.result" and reply["pool"]["status"] == "blocked"


def test_subscribing_pushes_events_at_once_and_again_and_heartbeats_come(mock) -> None:
    url, _ = mock
    with connect(url, additional_headers=AUTH) as ws:
        ws.send(json.dumps({"type": "subscribe", "id": "s1", "topics": [POOL_TOPIC]}))
        seen = receive_until(ws, lambda m: m["type"] == "heartbeat")
        seen += receive_until(ws, lambda m: m["type"] == "pool.totals")
        types = [m["type"] for m in seen]
        assert types[:2] == ["connected", "subscribe.result"]
        assert {"pool.totals", "pool.status", "bet.placed"} <= set(types)
        assert types.count("pool.totals") >= 2  # at once, then every interval
        assert all(m["topic"] == POOL_TOPIC for m in seen if "topic" in m)
        ws.send(json.dumps({"type": "unsubscribe", "id": "u1", "topics": [POOL_TOPIC]}))
        reply = receive_until(ws, lambda m: m.get("id") == "u1")[-1]
        assert reply["topics"] == []


@pytest.mark.parametrize(
    ("frame", "code", "call_id"),
    [
        ("not json", "invalid_message", None),
        (b"\x00\xff binary", "binary_not_supported", None),
        ("x" * 70000, "message_too_large", None),
        (json.dumps({"type": "pools.delete", "id": "c9"}), "unknown_message_type", "c9"),
        (json.dumps({"type": "pools.get", "id": "c8", "poolId": 7}), "invalid_message", "c8"),
        (json.dumps([1, 2]), "unknown_message_type", None),
    ],
)
def test_bad_frames_get_the_specs_error_and_the_connection_stays_usable(
    mock, frame, code, call_id
) -> None:
    url, _ = mock
    with connect(url, additional_headers=AUTH, max_size=None) as ws:
        ws.send(frame)
        error = receive_until(ws, lambda m: m["type"] == "error")[-1]
        assert error["error"]["code"] == code and error["id"] == call_id
        ws.send(json.dumps({"type": "ping", "id": "after"}))
        assert receive_until(ws, lambda m: m.get("id") == "after")[-1]["type"] == "pong"


def test_fuzz_random_frames_never_break_a_connection(mock) -> None:
    """Random frames, seeded: each gets an answer, then the connection still works."""
    url, log = mock
    rng = random.Random(20261128)
    valid = [
        {"type": "ping", "id": "p"},
        {"type": "pools.get", "id": "g", "poolId": "pol_9Lm3kW7qRt2YvB6s"},
        {"type": "subscribe", "id": "s", "topics": ["game:gam_5Rk8mQ2vXy7NcP4d"]},
    ]

    def random_frame() -> str | bytes:
        choice = rng.randrange(6)
        if choice == 0:
            return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        if choice == 1:
            return "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 200)))
        if choice == 2:
            return json.dumps(rng.choice(valid))[: rng.randrange(1, 30)]  # cut short
        if choice == 3:
            message = dict(rng.choice(valid))
            key = rng.choice(list(message))
            message[key] = rng.choice([None, 1, [], {}, "x" * 300, True])
            return json.dumps(message)
        if choice == 4:
            return json.dumps(rng.choice([None, 1, "s", [], {}, {"type": None}]))
        return json.dumps(rng.choice(valid))

    with (
        connect(url, additional_headers=AUTH, max_size=None) as ws,
        connect(url, additional_headers=AUTH) as healthy,
    ):
        healthy.send(json.dumps({"type": "subscribe", "id": "h", "topics": [POOL_TOPIC]}))
        for index in range(300):
            ws.send(random_frame())
            ws.send(json.dumps({"type": "ping", "id": f"after-{index}"}))
            receive_until(ws, lambda m, i=index: m.get("id") == f"after-{i}", limit=200)
        healthy.send(json.dumps({"type": "ping", "id": "still"}))
        receive_until(healthy, lambda m: m.get("id") == "still", limit=2000)
    assert log.warnings() == []


CHAT = """\
asyncapi: 3.0.0
info: {title: chat, version: '1'}
servers:
  main: {host: chat.example.com, protocol: ws}
channels:
  room:
    address: /room
    messages:
      say:
        payload: {type: object, required: [text], additionalProperties: false,
                  properties: {text: {type: string}}}
      react:
        payload: {type: object, required: [emoji], additionalProperties: false,
                  properties: {emoji: {type: string, maxLength: 4}}}
  ping:
    address: /ping
    messages:
      ping:
        payload: {$ref: '#/components/schemas/Ping'}
operations:
  say: {action: receive, channel: {$ref: '#/channels/room'},
        messages: [{$ref: '#/channels/room/messages/say'}]}
  react: {action: receive, channel: {$ref: '#/channels/room'},
          messages: [{$ref: '#/channels/room/messages/react'}]}
  ping: {action: receive, channel: {$ref: '#/channels/ping'}}
components:
  schemas:
    Ping: {type: object, required: [n], properties: {n: {type: integer}}}
"""


def test_messages_without_a_type_field_are_told_apart_by_their_schema(tmp_path) -> None:
    spec = tmp_path / "asyncapi.yaml"
    spec.write_text(CHAT)
    with running([spec]) as (url, log):
        base = url.replace("http", "ws")
        with connect(base + "/room") as ws:
            ws.send(json.dumps({"emoji": "👍"}))
            ws.send(json.dumps({"text": "hello"}))
            ws.send(json.dumps({"text": 3, "colour": "red"}))
            refused = json.loads(ws.recv(timeout=5))
        with connect(base + "/ping") as ws:
            ws.send(json.dumps({"n": "one"}))
            invalid = json.loads(ws.recv(timeout=5))
        received = [(e.what, e.operation, e.status) for e in log.entries if e.kind == "ws-in"]
    assert received[:2] == [("react", "react", "ok"), ("say", "say", "ok")]
    assert refused["error"]["code"] == "unknown_message_type"
    assert "none of those this channel takes (say, react)" in refused["error"]["message"]
    assert invalid["error"]["code"] == "invalid_message"
    assert "ping" in invalid["error"]["message"]
