"""Running the mock: in the foreground (`instamrkt-docs mock`) or in a thread (verify, tests)."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from instamrkt_docs.mock.app import create_app
from instamrkt_docs.mock.log import MockLog

# uvicorn's websockets implementation sends HTTP denials of refused upgrades (401 with the
# error body); its newer sans-I/O one logs an error for them. Keep the first, quietly.
WS_IMPLEMENTATION = "websockets"
warnings.filterwarnings("ignore", message="The `websockets` implementation is deprecated")


def serve(
    specs: list[Path],
    host: str,
    port: int,
    log: MockLog,
    heartbeat: float | None,
    event_interval: float,
    say: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted; `say` gets the lines that tell where (after the port check)."""
    from instamrkt_docs.site.serve import check_port

    check_port(host, port, "--port")
    app, _ = create_app(specs, log, heartbeat, event_interval)
    origin = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    say(f"mock of {', '.join(map(str, specs))}, every request checked against the specs:")
    for kind, path in sorted(app.endpoints):
        scheme = "ws" if kind == "websocket" else "http"
        say(f"  {kind:<9}  {scheme}://{origin}{path}")
    for pattern in app.key_patterns:
        say(f"  API key    any matching {pattern}")
    say("  (Ctrl-C stops it)")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", ws=WS_IMPLEMENTATION, lifespan="off"
    )


@contextmanager
def running(
    specs: list[Path],
    log: MockLog | None = None,
    heartbeat: float | None = None,
    event_interval: float = 10.0,
    host: str = "127.0.0.1",
) -> Iterator[tuple[str, MockLog]]:
    """A mock on a free loopback port, in a thread: yields its base URL and its log."""
    app, log = create_app(specs, log, heartbeat, event_interval)
    config = uvicorn.Config(
        app, host=host, port=0, log_level="warning", ws=WS_IMPLEMENTATION, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the mock did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}", log
    finally:
        server.should_exit = True
        thread.join(10)
