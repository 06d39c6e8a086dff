"""Running the mock: in the foreground (`instamrkt-docs mock`) or in a thread (verify, tests)."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from instamrkt_docs.mock.app import create_app
from instamrkt_docs.mock.limits import MAX_BODY
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
    max_body: int = MAX_BODY,
    ref_roots: Iterable[Path] = (),
) -> None:
    """Serve until interrupted; `say` gets the lines that tell where, once it listens."""
    from instamrkt_docs.site.serve import check_port

    check_port(host, port, "--port")
    app, _ = create_app(specs, log, heartbeat, event_interval, max_body, ref_roots)
    origin = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    lines = [f"mock of {', '.join(map(str, specs))}, every request checked against the specs:"]
    for kind, path in sorted(app.endpoints):
        scheme = "ws" if kind == "websocket" else "http"
        lines.append(f"  {kind:<9}  {scheme}://{origin}{path}")
    lines += [f"  API key    any matching {pattern}" for pattern in app.key_patterns]
    lines.append("  (Ctrl-C stops it)")
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", ws=WS_IMPLEMENTATION, lifespan="off"
    )
    _AnnouncingServer(config, lambda: [say(line) for line in lines]).run()


class _AnnouncingServer(uvicorn.Server):
    """A server that says where it listens once it does (not before)."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], object]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.announce()


@contextmanager
def running(
    specs: list[Path],
    log: MockLog | None = None,
    heartbeat: float | None = None,
    event_interval: float = 10.0,
    host: str = "127.0.0.1",
    ref_roots: Iterable[Path] = (),
) -> Iterator[tuple[str, MockLog]]:
    """A mock on a free loopback port, in a thread: yields its base URL and its log."""
    app, log = create_app(specs, log, heartbeat, event_interval, ref_roots=ref_roots)
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
