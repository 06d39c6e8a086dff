"""Websocket samples of any AsyncAPI spec connect where the channel says: its address's
parameters filled from their examples (or default, or first enum value), the required
query parameters and headers of its `ws` binding sent with the upgrade, in every
language (issue 12: Gemini's `/v1/marketdata/{symbol}` was sent with `{symbol}` in it)."""

from __future__ import annotations

from pathlib import Path

from instamrkt_docs.samples import SampleWriter
from tests.hostile.test_sample_quoting import Capture, model_of, run_sample, ws_server


def test_channel_parameters_and_ws_bindings_reach_the_server(tmp_path: Path) -> None:
    capture = Capture()
    port, state = ws_server(capture)
    spec = {
        "asyncapi": "3.0.0",
        "info": {"title": "feeds", "version": "1"},
        "servers": {"local": {"host": f"127.0.0.1:{port}", "protocol": "ws"}},
        "channels": {"feed": {
            "address": "/feeds/{symbol}",
            "parameters": {"symbol": {"enum": ["btc usd", "eth"]}},
            "bindings": {"ws": {
                "query": {"type": "object", "required": ["depth"], "properties": {
                    "depth": {"type": "integer", "default": 5}, "raw": {"type": "boolean"}}},
                "headers": {"type": "object", "required": ["X-Client"], "properties": {
                    "X-Client": {"type": "string", "examples": ["docs site"]}}}}},
            "messages": {"ping": {"payload": {"type": "object", "properties": {
                "type": {"const": "ping"}}}, "examples": [{"payload": {"type": "ping"}}]}}}},
        "operations": {"ping": {"action": "receive", "channel": {"$ref": "#/channels/feed"},
                                "messages": [{"$ref": "#/channels/feed/messages/ping"}]}},
    }  # fmt: skip
    api = model_of(spec, tmp_path)
    try:
        for sample in SampleWriter().for_ws_operation(api.operations[0]):
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (handshake,) = capture.handshakes
            assert handshake[":path"] == "/feeds/btc%20usd?depth=5", sample.language.key
            assert handshake["X-Client"] == "docs site", sample.language.key
            assert capture.messages == [{"type": "ping"}], sample.language.key
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set_result, None)
