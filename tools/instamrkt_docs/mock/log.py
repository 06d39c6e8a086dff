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


@dataclass
class MockLog:
    """The latest entries, kept for `verify`, and printed as they come when `stream` is set."""

    stream: TextIO | None = None
    entries: deque[Entry] = field(default_factory=lambda: deque(maxlen=MAX_ENTRIES))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, entry: Entry) -> None:
        with self._lock:
            self.entries.append(entry)
        if self.stream is not None:
            print(entry.line(), file=self.stream, flush=True)

    def for_run(self, run: str) -> list[Entry]:
        """The entries of one tagged run (see `RunPrefix`)."""
        with self._lock:
            return [e for e in self.entries if e.run == run]

    def warn(self, message: str) -> None:
        """A problem with the spec or the mock itself, said loudly (and kept)."""
        with self._lock:
            self.entries.append(Entry("warning", message, "", "warning", 0.0, valid=False))
        shown = terminal(message)  # one line, whatever the spec's text holds
        print(f"MOCK WARNING: {shown}", file=self.stream or sys.stderr, flush=True)

    def warnings(self) -> list[str]:
        """Every warning so far."""
        with self._lock:
            return [e.what for e in self.entries if e.kind == "warning"]
