"""The mock under generated requests (schemathesis) and under load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.mock_load import run_load
from instamrkt_docs.mock import running
from instamrkt_docs.verify import MOCK_KEY
from tests.conftest import ROOT, SPEC


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_answer_that_breaks_the_spec(
    tmp_path: Path, capfd
) -> None:
    with running([SPEC]) as (url, log):
        result = subprocess.run(
            [str(Path(sys.executable).parent / "schemathesis"), "run", str(SPEC / "openapi.yaml"),
             "--url", f"{url}/v1", "-H", f"Authorization: Bearer {MOCK_KEY}",
             "--checks", "all", "--max-examples", "5", "--phases", "examples,fuzzing,coverage",
             "--seed", "20261128", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "No issues found" in output
    generated = int(output.split(" generated")[0].rsplit(maxsplit=1)[-1])
    assert generated >= 300
    assert log.warnings() == []


@pytest.mark.slow
def test_200_websocket_clients_each_get_their_events_while_rest_requests_run() -> None:
    # Ends when every client has 5 messages and 200 REST requests were answered; 120 s guard.
    result = run_load(clients=200, seconds=120, messages_per_client=5, min_rest=200)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "load.txt").write_text(repr(result) + "\n")
    assert result.errors == []
    assert result.connected == 200
    assert result.messages >= 200 * 5
    assert result.rest_requests >= 200
