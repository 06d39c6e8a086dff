"""The specs as codegen input: generated clients and models work against the mock."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from instamrkt_docs.mock import running
from instamrkt_docs.verify import MOCK_KEY
from tests.conftest import SPEC

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def mock() -> Iterator[str]:
    with running([SPEC], heartbeat=1.0, event_interval=1.0) as (url, _):
        yield url


def generate(command: list[str], cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}  # ruff formats
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_a_generated_python_client_calls_the_mock(mock: str, tmp_path: Path) -> None:
    output = generate(
        [str(BIN / "openapi-python-client"), "generate", "--path", str(SPEC / "openapi.yaml"),
         "--meta", "none", "--output-path", str(tmp_path / "instamrkt_client")],
        tmp_path,
    )  # fmt: skip
    assert "Warning" not in output, output
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = importlib.import_module("instamrkt_client")
        get_pool = importlib.import_module("instamrkt_client.api.pools.get_pool")
        create_game = importlib.import_module("instamrkt_client.api.games.create_game")
        place_bet = importlib.import_module("instamrkt_client.api.bets.place_bet")
        models = importlib.import_module("instamrkt_client.models")
        client = client_module.AuthenticatedClient(base_url=f"{mock}/v1", token=MOCK_KEY)
        pool = get_pool.sync(client=client, pool_id="pol_9Lm3kW7qRt2YvB6s")
        assert pool.status.value == "open" and pool.outcomes[0].label == "Team Red"
        game = create_game.sync(client=client, body=models.GameCreate(title="Grand Final"))
        assert game.id.startswith("gam_") and game.status.value == "open"
        bet = place_bet.sync(
            client=client,
            pool_id="pol_9Lm3kW7qRt2YvB6s",
            body=models.BetCreate(outcome_id="out_3Kd8Wm2Qx7Lp5Rn9", stake=2500, player_ref="p-1"),
        )
        assert bet.stake == 2500 and bet.status.value == "accepted"
        refused = get_pool.sync_detailed(
            client=client_module.Client(base_url=f"{mock}/v1"), pool_id="pol_9Lm3kW7qRt2YvB6s"
        )
        assert refused.status_code == 401
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("instamrkt_client")]:
            del sys.modules[name]


def test_generated_message_models_parse_the_mocks_events(mock: str, tmp_path: Path) -> None:
    generate(
        [
            str(BIN / "asyncapi-python-codegen"),
            str(SPEC / "asyncapi.yaml"),
            str(tmp_path / "instamrkt_ws"),
        ],
        tmp_path,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("instamrkt_ws.messages.json")
        by_type = {
            "connected": models.Connected,
            "subscribe.result": models.TopicsResult,
            "pool.totals": models.PoolTotals,
            "pool.status": models.PoolStatusChanged,
            "bet.placed": models.BetPlaced,
            "heartbeat": models.Heartbeat,
            "pools.get.result": models.PoolResult,
        }
        received = asyncio.run(_collect(mock.replace("http", "ws") + "/v1/stream"))
        parsed = {}
        for message in received:
            model = by_type.get(message["type"])
            if model is not None:
                parsed[message["type"]] = model.model_validate(message)
        assert set(parsed) == set(by_type)
        assert parsed["pool.totals"].outcomes[0].odds == 1.74
        assert parsed["bet.placed"].bet.stake == 2500
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("instamrkt_ws")]:
            del sys.modules[name]


async def _collect(url: str) -> list[dict]:
    from websockets.asyncio.client import connect

    async with connect(url, additional_headers={"Authorization": f"Bearer {MOCK_KEY}"}) as ws:
        await ws.send(
            json.dumps({"type": "pools.get", "id": "c1", "poolId": "pol_9Lm3kW7qRt2YvB6s"})
        )
        await ws.send(
            json.dumps({"type": "subscribe", "id": "c2", "topics": ["pool:pol_9Lm3kW7qRt2YvB6s"]})
        )
        messages: list[dict] = []
        while len({m["type"] for m in messages}) < 7 and len(messages) < 50:
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
        return messages
