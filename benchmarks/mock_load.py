"""Load on the mock: many websocket clients subscribed while REST requests run.

Usage: .venv/bin/python -m benchmarks.mock_load [--clients 200] [--seconds 20]

Everything runs on loopback and stops by itself: the clients connect, subscribe to a pool
and read events for the given time, while REST requests are sent in a loop. Prints the
connections, messages per second, REST requests per second and errors, as JSON last.

Tests use the same load with an end set by events instead of a time: each client reads
until it has `messages_per_client` messages, and REST requests go on until every client is
done and `min_rest` requests were answered (a guard time bounds both).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

from instamrkt_docs.mock import running
from instamrkt_docs.verify import MOCK_KEY

SPEC = Path(__file__).resolve().parent.parent / "spec"
HEADERS = {"Authorization": f"Bearer {MOCK_KEY}"}


@dataclass
class LoadResult:
    """What a load run measured."""

    clients: int
    seconds: float
    connected: int = 0
    messages: int = 0
    messages_per_second: float = 0.0
    rest_requests: int = 0
    rest_per_second: float = 0.0
    errors: list[str] = field(default_factory=list)


async def _client(
    url: str, topic: str, until: float, result: LoadResult, index: int, enough: int | None
) -> None:
    from websockets.asyncio.client import connect

    received = 0
    try:
        async with connect(url, additional_headers=HEADERS, open_timeout=20) as ws:
            result.connected += 1
            await ws.send(json.dumps({"type": "subscribe", "id": f"s{index}", "topics": [topic]}))
            while (left := until - time.monotonic()) > 0 and (enough is None or received < enough):
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=left)
                except TimeoutError:
                    break
                message = json.loads(raw)
                if message.get("type") == "error":
                    result.errors.append(f"client {index}: {message['error']['code']}")
                result.messages += 1
                received += 1
        if enough is not None and received < enough:
            result.errors.append(f"client {index}: {received} of {enough} messages in time")
    except Exception as exc:  # any failure of a healthy client is an error of the run
        result.errors.append(f"client {index}: {exc!r}")


def _rest(
    base: str, until: float, result: LoadResult, done: threading.Event, min_rest: int
) -> None:
    session = requests.Session()
    session.headers.update(HEADERS)
    paths = ["/v1/pools/pol_9Lm3kW7qRt2YvB6s", "/v1/games", "/v1/pools/pol_9Lm3kW7qRt2YvB6s/bets"]
    index = 0
    while time.monotonic() < until and not (done.is_set() and result.rest_requests >= min_rest):
        response = session.get(base + paths[index % len(paths)], timeout=10)
        index += 1
        result.rest_requests += 1
        if response.status_code != 200:
            result.errors.append(f"REST {response.status_code}")


def run_load(
    clients: int = 200,
    seconds: float = 20.0,
    messages_per_client: int | None = None,
    min_rest: int = 0,
) -> LoadResult:
    """Run the load against a fresh mock on loopback.

    With `messages_per_client`, the run ends when every client has that many messages and
    `min_rest` REST requests were answered; `seconds` is then only a guard.
    """
    result = LoadResult(clients, seconds)
    done = threading.Event()
    with running([SPEC], heartbeat=1.0, event_interval=1.0) as (base, _):
        url = base.replace("http", "ws") + "/v1/stream"
        start = time.monotonic()
        until = start + seconds
        if messages_per_client is None:
            done.set()
            min_rest = 0
        rest = [
            threading.Thread(target=_rest, args=(base, until, result, done, min_rest))
            for _ in range(2)
        ]
        for thread in rest:
            thread.start()

        async def everyone() -> None:
            topics = ["pool:pol_9Lm3kW7qRt2YvB6s", "game:gam_5Rk8mQ2vXy7NcP4d"]
            await asyncio.gather(
                *(
                    _client(url, topics[i % 2], until, result, i, messages_per_client)
                    for i in range(clients)
                )
            )

        asyncio.run(everyone())
        done.set()
        for thread in rest:
            thread.join()
        elapsed = time.monotonic() - start
    result.messages_per_second = round(result.messages / elapsed, 1)
    result.rest_per_second = round(result.rest_requests / elapsed, 1)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    result = run_load(args.clients, args.seconds)
    print(f"{result.connected}/{result.clients} clients connected for {result.seconds:.0f} s")
    print(f"{result.messages} websocket messages received ({result.messages_per_second}/s)")
    print(f"{result.rest_requests} REST requests ({result.rest_per_second}/s)")
    print(f"{len(result.errors)} errors")
    print(json.dumps({k: v for k, v in asdict(result).items() if k != "errors"}))
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
