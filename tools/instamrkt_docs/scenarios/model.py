"""Scenarios: Arazzo workflows joined to the REST and websocket models they drive.

Each step knows its operation, its parameters and body (with runtime expressions parsed),
its success criteria and outputs, and, from a dry run over the specs' examples, the reply a
reader should expect and the example values it passes on.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from instamrkt_docs.errors import InstamrktDocsError, SpecError, UsageError
from instamrkt_docs.load import Workspace
from instamrkt_docs.load.documents import RefError
from instamrkt_docs.model import RestApi, WsApi, build, bundle
from instamrkt_docs.model.common import slug, text
from instamrkt_docs.model.types import Operation, WsOperation
from instamrkt_docs.scenarios.expressions import (
    Condition,
    Expr,
    State,
    expressions_in,
    parse_condition,
    parse_value,
)


@dataclass
class Step:
    """One step of a scenario."""

    id: str
    description: str
    kind: str  # "rest", "send" or "receive"
    operation: Operation | WsOperation
    parameters: list[tuple[str, str, Any]] = field(default_factory=list)
    body: Any = None
    content_type: str = "application/json"
    prefer: str | None = None
    criteria: list[Condition] = field(default_factory=list)
    outputs: dict[str, Expr] = field(default_factory=dict)
    match: tuple[str, Any] | None = None
    timeout: float = 10.0
    expected_status: int | None = None
    example: Any = None
    example_outputs: dict[str, Any] = field(default_factory=dict)
    carried: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def is_rest(self) -> bool:
        return self.kind == "rest"


@dataclass
class Scenario:
    """One workflow, ready to be shown, scripted and run."""

    key: str
    title: str
    summary: str
    description: str
    when: str
    workflow_id: str
    inputs: dict[str, tuple[Any, str]]
    steps: list[Step]
    outputs: dict[str, Expr]
    rest_base: str
    stream_url: str | None
    credential_variable: str
    source: str
    order: int = 0

    @property
    def uses_websocket(self) -> bool:
        return any(not s.is_rest for s in self.steps)

    @property
    def uses_rest(self) -> bool:
        return any(s.is_rest for s in self.steps)

    @property
    def base_variable(self) -> str:
        """The environment variable that points a script at another REST server (the
        mock): `INSTAMRKT_BASE_URL` beside `INSTAMRKT_API_KEY`."""
        return _beside(self.credential_variable, "BASE_URL")

    @property
    def stream_variable(self) -> str:
        """The same for the websocket server: `INSTAMRKT_STREAM_URL`."""
        return _beside(self.credential_variable, "STREAM_URL")

    @property
    def server_variables(self) -> list[str]:
        """The variables of the servers the script talks to, as its header names them."""
        return [self.base_variable] * self.uses_rest + [self.stream_variable] * self.uses_websocket


def _beside(credential: str, what: str) -> str:
    stem = credential.removesuffix("API_KEY").removesuffix("KEY").rstrip("_")
    return f"{stem}_{what}" if stem else what


def load_scenarios(
    paths: list[Path],
    workspace: Workspace | None = None,
    ref_roots: Iterable[Path] = (),
    apis: dict[str, RestApi | WsApi] | None = None,
    left_out: list[str] | None = None,
) -> list[Scenario]:
    """Every workflow of the Arazzo documents at `paths` (folders are searched).

    A workflow that cannot be read (`validate` reports why) is left out, and said so in
    `left_out` when given.

    Pass the workspace the specs were loaded with to read no file twice, and the models
    already built from them (by document URI) to build none twice; `ref_roots` are the
    folders besides theirs that their source descriptions may read from.
    """
    from instamrkt_docs.load.discover import find_specs

    workspace = workspace or Workspace(roots=list(ref_roots))
    apis = dict(apis or {})
    scenarios = []
    for path, _ in find_specs(paths):
        try:
            document = workspace.load(path)
        except InstamrktDocsError:
            continue  # validate reports files that cannot be read
        if document.kind != "arazzo":
            continue
        sources: dict[str, RestApi | WsApi] = {}
        for index, source in enumerate(document.data.get("sourceDescriptions") or []):
            try:
                target = workspace.resolve(document, str(source.get("url"))).document
            except RefError as exc:
                pointer = f"/sourceDescriptions/{index}/url"
                (finding,) = workspace.place([document.finding(pointer, str(exc), "load")])
                raise SpecError(finding) from exc
            if target.uri not in apis:
                apis[target.uri] = build(workspace, target, bundle(workspace, target))
            sources[str(source.get("name"))] = apis[target.uri]
        info = document.data.get("info") or {}
        workflows = document.data.get("workflows") or []
        for workflow in workflows:
            key = slug(path.name.removesuffix(".arazzo.yaml").removesuffix(".yaml"))
            if len(workflows) > 1:
                key = f"{key}-{slug(str(workflow.get('workflowId')))}"
            try:
                scenario = _scenario(key, info, workflow, sources, document.display)
            except (ValueError, TypeError, AttributeError, KeyError, AssertionError) as exc:
                # a workflow the toolkit cannot read: `validate` says where; it has no page
                if left_out is not None:
                    left_out.append(f"{document.display}: {key}: left out ({exc})")
                continue
            order = info.get("x-order")
            scenario.order = order if isinstance(order, int) else 1000
            scenarios.append(scenario)
    return sorted(scenarios, key=lambda s: (s.order, s.key))


def _scenario(
    key: str, info: dict, workflow: dict, sources: dict[str, RestApi | WsApi], source: str
) -> Scenario:
    rest = next((a for a in sources.values() if isinstance(a, RestApi)), None)
    ws = next((a for a in sources.values() if isinstance(a, WsApi)), None)
    properties = ((workflow.get("inputs") or {}).get("properties")) or {}
    inputs = {
        name: (spec.get("default"), text(spec.get("description")))
        for name, spec in properties.items()
        if isinstance(spec, dict)
    }
    steps = [_step(raw, sources) for raw in workflow.get("steps") or []]
    scenario = Scenario(
        key=key,
        title=text(info.get("title")) or str(workflow.get("workflowId")),
        summary=text(workflow.get("summary")) or text(info.get("summary")),
        description=text(info.get("description")),
        when=text(workflow.get("description")),
        workflow_id=str(workflow.get("workflowId")),
        inputs=inputs,
        steps=steps,
        outputs={k: parse_value(v) for k, v in (workflow.get("outputs") or {}).items()},
        rest_base=rest.operations[0].base_url if rest and rest.operations else "",
        stream_url=ws.operations[0].url if ws and ws.operations else None,
        credential_variable=(rest or ws).credential_variable if (rest or ws) else "API_KEY",
        source=source,
    )
    _dry_run(scenario)
    return scenario


def _find(reference: str, sources: dict[str, RestApi | WsApi]) -> Operation | WsOperation:
    match = re.fullmatch(r"\$sourceDescriptions\.([^.]+)\.(.+)", reference)
    candidates = (
        [sources[match.group(1)]] if match and match.group(1) in sources else list(sources.values())
    )
    op_id = match.group(2) if match else reference
    for api in candidates:
        for operation in api.operations:
            if operation.operation_id == op_id:
                return operation
    raise UsageError(f"no operation {reference!r} (run validate)")


def _step(raw: dict, sources: dict[str, RestApi | WsApi]) -> Step:
    operation = _find(str(raw.get("operationId")), sources)
    kind = "rest" if isinstance(operation, Operation) else str(raw.get("action", "send"))
    body = raw.get("requestBody") or {}
    step = Step(
        id=str(raw.get("stepId")),
        description=text(raw.get("description")),
        kind=kind,
        operation=operation,
        parameters=[
            (str(p.get("name")), str(p.get("in", "query")), parse_value(p.get("value")))
            for p in raw.get("parameters") or []
            if isinstance(p, dict)
        ],
        body=parse_value(body.get("payload")) if "payload" in body else None,
        content_type=str(body.get("contentType", "application/json")),
        prefer=raw.get("x-prefer") if isinstance(raw.get("x-prefer"), str) else None,
        criteria=[
            parse_condition(str(c.get("condition")))
            for c in raw.get("successCriteria") or []
            if isinstance(c, dict) and c.get("type", "simple") == "simple"
        ],
        outputs={k: parse_value(v) for k, v in (raw.get("outputs") or {}).items()},
        timeout=float(raw.get("timeout", 10000)) / 1000,
    )
    for condition in step.criteria:
        if isinstance(condition.left, Expr) and condition.left.root == "statusCode":
            step.expected_status = int(condition.right)
    if kind == "receive":
        assert isinstance(operation, WsOperation)
        correlation = raw.get("correlationId")
        if correlation is not None:
            messages = operation.messages + operation.replies
            field_name = next((m.correlation_field for m in messages if m.correlation_field), "id")
            step.match = (field_name, correlation)
        else:
            received = operation.replies if operation.is_call else operation.messages
            step.match = next((m.discriminator for m in received if m.discriminator), None)
    return step


def _dry_run(scenario: Scenario) -> None:
    """Example replies and output values, from the specs' examples."""
    state = State(inputs={name: default for name, (default, _) in scenario.inputs.items()})
    for step in scenario.steps:
        used = expressions_in([step.parameters and [v for _, _, v in step.parameters], step.body])
        step.carried = [(e.text, state.value(e)) for e in used if e.root in ("steps", "inputs")]
        if step.kind == "send":
            continue
        if step.is_rest:
            assert isinstance(step.operation, Operation)
            state.status, state.body = _rest_example(step)
            step.example = state.body
        else:
            state.message = _message_example(step)
            step.example = state.message
        step.example_outputs = {name: state.resolve(expr) for name, expr in step.outputs.items()}
        state.outputs[step.id] = step.example_outputs


def _rest_example(step: Step) -> tuple[int | None, Any]:
    assert isinstance(step.operation, Operation)
    wanted_name = step.prefer.split("=", 1)[1] if step.prefer and "=" in step.prefer else None
    for response in step.operation.responses:
        if step.expected_status is not None and response.status != str(step.expected_status):
            continue
        if step.expected_status is None and not response.is_success:
            continue
        examples = response.body.examples if response.body else []
        chosen = next(
            (e for e in examples if e.name == wanted_name), examples[0] if examples else None
        )
        status = int(response.status) if response.status.isdigit() else None
        return status, copy.deepcopy(chosen.value) if chosen else None
    return step.expected_status, None


def _message_example(step: Step) -> Any:
    operation = step.operation
    assert isinstance(operation, WsOperation)
    received = operation.replies if operation.is_call else operation.messages
    for message in received:
        if (
            step.match
            and message.discriminator
            and step.match[0] != (message.correlation_field or "id")
        ) and message.discriminator != step.match:
            continue
        if message.examples:
            value = copy.deepcopy(message.examples[0].value)
            if step.match and isinstance(value, dict) and step.match[0] in value:
                value[step.match[0]] = step.match[1]
            return value
    return None
