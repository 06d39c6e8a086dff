"""Progress of long work: a line every few seconds off a terminal, one kept up on it."""

from __future__ import annotations

import io

import pytest

from instamrkt_docs import progress as progress_module
from instamrkt_docs.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_a_line_every_few_seconds_and_one_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", clock)
    stream = io.StringIO()
    progress = Progress("verify", 10, stream=stream)
    for index in range(10):
        clock.now += 2.0  # each item takes 2 s: a line every third item
        progress.step(f"case {index}", failed=index == 4)
    assert stream.getvalue().splitlines() == [
        "verify: 3/10",
        "verify: 6/10, 1 failed",
        "verify: 9/10, 1 failed",
        "verify: 10/10, 1 failed",
    ]


def test_on_a_terminal_one_line_kept_up_to_date() -> None:
    stream = Terminal()
    progress = Progress("verify", 2, stream=stream)
    progress.step("REST getPool (Shell)")
    progress.say("FAIL something")
    progress.step("REST getPool (Python)")
    progress.close()
    text = stream.getvalue()
    assert "verify: 1/2  REST getPool (Shell)" in text
    assert "FAIL something\n" in text
    assert text.endswith("\r\x1b[2K")


def test_off_a_terminal_a_long_stage_is_said_again_while_it_lasts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress_module, "EVERY_SECONDS", 0.05)
    stream = io.StringIO()
    progress = Progress("validate", stream=stream)
    progress.status("spec.yaml: references")
    progress.status("spec.yaml: the official schema")  # too soon after: held
    lines: list[str] = []
    for _ in range(2000):  # until the stage is said twice (a guard, not a wait for time)
        lines = stream.getvalue().splitlines()
        if sum("the official schema (" in line for line in lines) >= 2:
            break
        progress._closed.wait(0.01)
    progress.close()
    assert lines[0] == "validate: spec.yaml: references"
    assert sum("validate: spec.yaml: the official schema (" in line for line in lines) >= 2
    after = stream.getvalue()
    progress._closed.wait(0.2)
    assert stream.getvalue() == after  # closed: nothing more
