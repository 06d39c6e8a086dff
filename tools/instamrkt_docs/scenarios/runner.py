"""`run-scenario`: execute a scenario step by step against a server, saying what happens."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import requests

from instamrkt_docs.errors import InstamrktDocsError
from instamrkt_docs.escaping import terminal
from instamrkt_docs.model.common import split_url
from instamrkt_docs.model.types import Operation
from instamrkt_docs.scenarios.expressions import State
from instamrkt_docs.scenarios.model import Scenario, Step


class StepFailed(InstamrktDocsError):
    """A step did not meet its success criteria."""


class Unreachable(InstamrktDocsError):
    """The server could not be reached at all."""


MOCK_HINT = "start the mock with `instamrkt-docs mock` and pass --server http://127.0.0.1:4010"


def check_server(server: str) -> str:
    """The server's origin as given, or a usage error saying what is wrong with it."""
    from instamrkt_docs.errors import UsageError

    parts = split_url(server)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        hint = f"http://{server}" if "://" not in server else "http://HOST:PORT"
        raise UsageError(f"--server {server!r} is not an http(s) URL: write it as {hint}")
    return server


@dataclass
class StepResult:
    """What one step did."""

    step: Step
    status: str
    outputs: dict[str, Any] = field(default_factory=dict)


def origin(url: str) -> str:
    """`scheme://host:port` of a URL: what verify replaces to point a script at the mock."""
    parts = split_url(url)
    return f"{parts.scheme}://{parts.netloc}"


class Runner:
    """Runs scenarios against `server` (default: the URL the specs give)."""

    def __init__(
        self,
        scenario: Scenario,
        server: str | None = None,
        credential: str | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        self.scenario = scenario
        self.say = lambda line: say(terminal(line))  # step ids and outputs: spec text
        self.base = scenario.rest_base
        self.stream = scenario.stream_url
        if server:
            origin = server.rstrip("/")
            self.base = origin + split_url(self.base).path if self.base else origin
            if self.stream:
                ws_origin = origin.replace("https://", "wss://").replace("http://", "ws://")
                self.stream = ws_origin + split_url(self.stream).path
        self.credential = credential or os.environ.get(scenario.credential_variable, "")
        self.session = requests.Session()
        self.socket: Any = None

    def run(self, inputs: dict[str, Any] | None = None) -> list[StepResult]:
        state = State(inputs={n: d for n, (d, _) in self.scenario.inputs.items()})
        state.inputs.update(inputs or {})
        results = []
        try:
            for number, step in enumerate(self.scenario.steps, 1):
                result = self.step(step, state)
                results.append(result)
                shown = ", ".join(f"{k}={v!r}" for k, v in result.outputs.items())
                self.say(
                    f"{number}. {step.id}: {result.status}" + (f"  -> {shown}" if shown else "")
                )
        finally:
            if self.socket is not None:
                self.socket.close()
        return results

    def step(self, step: Step, state: State) -> StepResult:
        if step.is_rest:
            status = self.rest(step, state)
        elif step.kind == "send":
            payload = state.resolve(step.body)
            self.connection().send(json.dumps(payload))
            return StepResult(
                step, f"sent {payload.get('type', '') if isinstance(payload, dict) else ''}"
            )
        else:
            status = self.receive(step, state)
        for condition in step.criteria:
            holds, actual = state.holds(condition)
            if not holds:
                raise StepFailed(f"step {step.id!r} failed: {condition.text} (got {actual!r})")
        outputs = {name: state.resolve(expr) for name, expr in step.outputs.items()}
        state.outputs[step.id] = outputs
        return StepResult(step, status, outputs)

    def rest(self, step: Step, state: State) -> str:
        operation = step.operation
        assert isinstance(operation, Operation)
        path = operation.path
        query: list[tuple[str, str]] = []
        headers = {}
        if self.credential and operation.security and all(operation.security):
            credential = operation.security[0][0]
            headers[credential.name] = f"{credential.prefix}{self.credential}"
        for name, location, value in step.parameters:
            resolved = str(state.resolve(value))
            if location == "path":
                path = path.replace("{" + name + "}", quote(resolved, safe=""))
            elif location == "query":
                query.append((name, resolved))
            elif location == "header":
                headers[name] = resolved
        if step.prefer:
            headers["Prefer"] = step.prefer
        url = self.base + path + ("?" + urlencode(query) if query else "")
        body = state.resolve(step.body) if step.body is not None else None
        try:
            response = self.session.request(
                operation.method, url, headers=headers, json=body, timeout=30
            )
        except requests.ConnectionError as exc:
            raise Unreachable(
                f"cannot reach {origin(url)} (step {step.id!r}): {MOCK_HINT}"
            ) from exc
        except requests.Timeout as exc:
            raise Unreachable(f"{origin(url)} did not answer step {step.id!r} in 30 s") from exc
        state.status = response.status_code
        state.headers = dict(response.headers)
        try:
            state.body = response.json() if response.content else None
        except ValueError:
            state.body = response.text
        return f"{operation.method} {split_url(url).path} -> {response.status_code}"

    def connection(self) -> Any:
        from websockets.sync.client import connect

        if self.socket is None:
            if not self.stream:
                raise StepFailed("the scenario has websocket steps but no websocket server")
            headers = {"Authorization": f"Bearer {self.credential}"} if self.credential else {}
            try:
                self.socket = connect(self.stream, additional_headers=headers, open_timeout=15)
            except (OSError, TimeoutError) as exc:
                raise Unreachable(f"cannot reach {self.stream}: {MOCK_HINT}") from exc
            except Exception as exc:  # the upgrade was refused: say how
                raise StepFailed(f"the websocket server refused the connection: {exc}") from exc
        return self.socket

    def receive(self, step: Step, state: State) -> str:
        socket = self.connection()
        deadline = time.monotonic() + step.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StepFailed(
                    f"step {step.id!r} failed: no matching message in {step.timeout:.0f} s"
                )
            message = json.loads(socket.recv(timeout=left))
            if step.match is None or (
                isinstance(message, dict) and message.get(step.match[0]) == step.match[1]
            ):
                state.message = message
                kind = message.get("type", "") if isinstance(message, dict) else ""
                return f"received {kind}"
