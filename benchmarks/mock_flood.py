"""The mock under abuse: a 200 MB request body, then a websocket flood; its memory as it goes.

Usage: .venv/bin/python -m benchmarks.mock_flood [--seconds 60] [--clients 20]

Everything stays on loopback and stops by itself. The mock runs as its own process; its
resident memory (VmRSS) is read before, after the body, every 5 s of the flood and after.
Each flooding client sends, as fast as the mock takes them, pings, invalid JSON, frames
nested too deep and messages of unknown types, and reads what comes back. At the end the
mock must still answer a REST request. Prints one line per reading, then JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from benchmarks.measure import free_port, rss_mb
from instamrkt_docs.verify import MOCK_KEY

ROOT = Path(__file__).resolve().parent.parent
AUTH = {"Authorization": f"Bearer {MOCK_KEY}"}
FRAMES = [
    json.dumps({"type": "ping", "id": "p"}),
    "{not json",
    "[" * 5_000 + "]" * 5_000,
    json.dumps({"type": "nope", "id": "n"}),
]


async def flood(url: str, until: float, counts: dict[str, int]) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, additional_headers=AUTH, max_size=None) as ws:
        index = 0
        while time.monotonic() < until:
            await ws.send(FRAMES[index % len(FRAMES)])
            index += 1
            counts["sent"] += 1
            with contextlib.suppress(TimeoutError):
                while True:  # read what is there without waiting for more
                    await asyncio.wait_for(ws.recv(), timeout=0.001)
                    counts["received"] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    port = free_port()
    mock = subprocess.Popen(
        [str(Path(sys.executable).parent / "instamrkt-docs"), "mock", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    readings: list[tuple[str, float]] = []
    try:
        assert mock.stderr is not None
        for line in mock.stderr:  # it says where it listens once it does
            if "Ctrl-C" in line:
                break
        # its log, a line a message, must be read or the full pipe stops the mock
        threading.Thread(target=lambda: [None for _ in mock.stderr], daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        readings.append(("started", rss_mb(mock.pid)))

        def body() -> object:
            block = b"0" * (1024 * 1024)
            for _ in range(200):
                yield block

        with contextlib.suppress(requests.ConnectionError):
            requests.post(base + "/v1/pools/pol_9Lm3kW7qRt2YvB6s/bets", data=body(),
                          headers=AUTH, timeout=120)  # fmt: skip
        readings.append(("after a 200 MB body", rss_mb(mock.pid)))
        counts = {"sent": 0, "received": 0}
        until = time.monotonic() + args.seconds

        async def everyone() -> None:
            url = base.replace("http", "ws") + "/v1/stream"
            tasks = [asyncio.create_task(flood(url, until, counts)) for _ in range(args.clients)]
            started = time.monotonic()
            while time.monotonic() < until:
                await asyncio.sleep(5)  # a reading every 5 s of the flood
                readings.append((f"flood {time.monotonic() - started:.0f} s", rss_mb(mock.pid)))
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run(everyone())
        status = requests.get(base + "/v1/games", headers=AUTH, timeout=30).status_code
        readings.append(("after the flood", rss_mb(mock.pid)))
    finally:
        mock.terminate()
        mock.wait(20)
    for label, mb in readings:
        print(f"{label:<22} {mb:7.1f} MB")
    sent, received = counts["sent"], counts["received"]
    print(f"{sent} frames sent, {received} answers read; then GET /games: {status}")
    peak = max(mb for _, mb in readings)
    print(json.dumps({"readings": readings, "peak_mb": round(peak, 1), "status": status, **counts}))
    return 0 if status == 200 and peak < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
