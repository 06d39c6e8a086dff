"""What the mock saw and answered: one entry (and one printed line) per request or message."""

from __future__ import annotations

import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, TextIO

from instamrkt_docs.escaping import terminal


@dataclass
class Entry:
    """One request or message, in or out."""

    kind: str  # "http", "ws-in", "ws-out", "ws-connect"
    what: str  # "GET /v1/pools/x", "pools.get", ...
    operation: str  # the operationId it matched ("" if none)
    status: str  # "201", "ok", "invalid", "401", ...
    ms: float
    run: str = ""
    valid: bool = True
    detail: str = ""
    payload: Any = None
    # what the client sent, as it came (HTTP): {"query": raw query, "body": bytes}
    sent: Any = None

    def line(self) -> str:
        """The entry as one log line."""
        run = f"[{self.run}] " if self.run else ""
        detail = f"  {self.detail}" if self.detail else ""
        line = f"{run}{self.kind:<10} {self.what}  {self.status}  {self.ms:.1f}ms{detail}"
        return terminal(line)  # a client's path or message may hold escapes


MAX_ENTRIES = 20_000  # the log keeps the latest entries only: a flood cannot fill memory
MAX_BYTES = 64 * 2**20  # and at most about this much of their text and bodies


@dataclass
class MockLog:
    """The latest entries, kept for `verify`, and printed as they come when `stream` is set."""

    stream: TextIO | None = None
    entries: deque[Entry] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _bytes: int = 0
    _sizes: deque[int] = field(default_factory=deque, repr=False)

    def add(self, entry: Entry) -> None:
        self._keep(entry)
        if self.stream is not None:
            print(entry.line(), file=self.stream, flush=True)

    def _keep(self, entry: Entry) -> None:
        size = _size(entry)
        with self._lock:
            self.entries.append(entry)
            self._sizes.append(size)
            self._bytes += size
            while len(self.entries) > MAX_ENTRIES or (
                self._bytes > MAX_BYTES and len(self.entries) > 1
            ):
                self.entries.popleft()
                self._bytes -= self._sizes.popleft()

    def for_run(self, run: str) -> list[Entry]:
        """The entries of one tagged run (see `RunPrefix`)."""
        with self._lock:
            return [e for e in self.entries if e.run == run]

    def warn(self, message: str) -> None:
        """A problem with the spec or the mock itself, said loudly (and kept)."""
        self._keep(Entry("warning", message[:2000], "", "warning", 0.0, valid=False))
        shown = terminal(message)  # one line, whatever the spec's text holds
        print(f"MOCK WARNING: {shown}", file=self.stream or sys.stderr, flush=True)

    def warnings(self) -> list[str]:
        """Every warning so far."""
        with self._lock:
            return [e.what for e in self.entries if e.kind == "warning"]


def _size(entry: Entry) -> int:
    """About how many bytes an entry holds: its texts and the body kept of the request
    (the answer's parsed payload is kept only for small answers: see the REST mock)."""
    body = entry.sent.get("body") if isinstance(entry.sent, dict) else None
    return 200 + len(entry.what) + len(entry.detail) + (len(body) if body else 0) * 2
