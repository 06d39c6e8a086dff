"""Progress of long work on standard error: a line kept up to date on a terminal, and
otherwise a line every few seconds (CI logs show the work is alive without a flood)."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from instamrkt_docs.escaping import terminal, terminal_lines

EVERY_SECONDS = 5.0


class Progress:
    """Counts `done` of `total` items of some work, saying so as it goes."""

    def __init__(self, what: str, total: int = 0, stream: TextIO | None = None) -> None:
        self.what = what
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self._last = time.monotonic()
        self._lock = threading.Lock()
        self._current = ""  # the status now, and since when
        self._since = self._last
        self._closed = threading.Event()
        self._ticker: threading.Thread | None = None

    def status(self, message: str) -> None:
        """What is being done now: kept up to date on a terminal; otherwise a line when it
        changes, at most every few seconds, and every few seconds while it lasts."""
        message = terminal(message)
        with self._lock:
            now = time.monotonic()
            self._current, self._since = message, now
            if self.terminal:
                self.stream.write("\r\x1b[2K" + f"{self.what}: {message}"[:150])
                self.stream.flush()
                return
            if self._ticker is None or now - self._last >= EVERY_SECONDS:  # first, or due
                print(f"{self.what}: {message}", file=self.stream, flush=True)
                self._last = now
            if self._ticker is None:
                self._ticker = threading.Thread(target=self._tick, daemon=True)
                self._ticker.start()

    def _tick(self) -> None:
        """Off a terminal: the current status again when no line came for a while."""
        while not self._closed.wait(EVERY_SECONDS / 5):
            with self._lock:
                now = time.monotonic()
                if self._current and now - self._last >= EVERY_SECONDS:
                    lasted = now - self._since
                    print(f"{self.what}: {self._current} ({lasted:.0f} s)",
                          file=self.stream, flush=True)  # fmt: skip
                    self._last = now

    def step(self, current: str = "", failed: bool = False) -> None:
        """One more item done (`current` names it)."""
        with self._lock:
            self.done += 1
            self.failed += failed
            now = time.monotonic()
            if self.terminal:
                line = f"{self.what}: {self.done}/{self.total}"
                if self.failed:
                    line += f", {self.failed} failed"
                if current:
                    line += f"  {terminal(current)}"
                self.stream.write("\r\x1b[2K" + line[:150])
                self.stream.flush()
            elif now - self._last >= EVERY_SECONDS or self.done == self.total:
                failed_text = f", {self.failed} failed" if self.failed else ""
                print(f"{self.what}: {self.done}/{self.total}{failed_text}", file=self.stream)
                self._last = now

    def say(self, line: str, to: TextIO | None = None) -> None:
        """A line of its own (a failure, say; on `to`, standard error by default), above
        the progress line on a terminal."""
        with self._lock:
            if self.terminal:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
            print(terminal_lines(line), file=to or self.stream, flush=True)

    def close(self) -> None:
        """End the progress line on a terminal, and the repeated status off it."""
        self._closed.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.terminal and self.done:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
