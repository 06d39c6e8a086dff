"""Arazzo 1.1 scenarios: the official schema, and agreement with the specs they drive.

Beyond the JSON Schema: every source description is a readable spec of the declared type;
every step's operation exists there; every parameter a REST step sends is one its operation
takes (the `Authorization` header of a bearer or header API key scheme too); every runtime
expression names an input, or a step and output that exist earlier in the workflow;
`$response` is used by REST steps and `$message` by websocket steps only.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from jsonschema import Draft202012Validator

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, RefError, Target, Workspace, pointers
from instamrkt_docs.scenarios.expressions import parse_condition
from instamrkt_docs.validate import explain

if TYPE_CHECKING:
    from instamrkt_docs.validate import ResultCache

RULE_SCHEMA = "arazzo-schema"
RULE = "scenario"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_EXPRESSION = re.compile(r"\$(steps|inputs|outputs|response|message|statusCode|request)"
                         r"((?:\.[A-Za-z0-9_\-]+)*)")  # fmt: skip


@cache
def schema_validator() -> Draft202012Validator:
    """The validator of the vendored Arazzo 1.1 schema."""
    text = resources.files("instamrkt_docs.validate.schemas.arazzo").joinpath(
        "arazzo-1.1.schema.yaml"
    )
    schema = yaml.safe_load(text.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _strings(node: Any, where: str) -> list[tuple[str, str]]:
    """Every string inside a node, with its pointer."""
    found = []
    stack = [(node, where)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            found.append((at, value))
        elif isinstance(value, dict):
            stack += [(v, f"{at}/{pointers.escape(k)}") for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(v, f"{at}/{i}") for i, v in enumerate(value)]
    return found


class SpecIndex:
    """What scenarios need of each spec they drive, worked out once per validation run:
    its operations, and a checker of values against its schemas."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._operations: dict[str, dict[str, dict[str, Any]]] = {}
        self._checkers: dict[str, Any] = {}

    def operations(self, spec: Document) -> dict[str, dict[str, Any]]:
        if spec.uri not in self._operations:
            self._operations[spec.uri] = _operations(spec, self.workspace)
        return self._operations[spec.uri]

    def checker(self, spec: Document) -> Any:
        from instamrkt_docs.validate import examples

        if spec.uri not in self._checkers:  # its references are walked once
            self._checkers[spec.uri] = examples.checker_for(self.workspace, spec)
        return self._checkers[spec.uri]


class _Sources:
    """The operations each source description offers."""

    def __init__(self, index: SpecIndex, document: Document) -> None:
        workspace = self.workspace = index.workspace
        self.index = index
        self.kinds: dict[str, str] = {}
        self.operations: dict[str, dict[str, dict[str, Any]]] = {}
        self.findings: list[Finding] = []
        self.documents: dict[str, Document] = {}
        for number, source in enumerate(document.data.get("sourceDescriptions") or []):
            if not isinstance(source, dict):
                continue
            name, url = str(source.get("name")), str(source.get("url", ""))
            where = f"/sourceDescriptions/{number}/url"
            try:
                target = workspace.resolve(document, url)
            except RefError as exc:
                self.findings.append(document.finding(where, f"source {name!r}: {exc}", RULE))
                continue
            spec = target.document
            kind = source.get("type", spec.kind)
            if spec.kind != kind:
                self.findings.append(
                    document.finding(where, f"source {name!r} is not an {kind} document", RULE)
                )
                continue
            self.kinds[name] = kind
            self.operations[name] = index.operations(spec)
            self.documents[name] = spec

    def find(self, reference: str) -> tuple[str, str, dict[str, Any]] | None:
        """(source, kind, operation info) of an operationId, qualified or not."""
        match = re.fullmatch(r"\$sourceDescriptions\.([^.]+)\.(.+)", reference)
        if match:
            name, op_id = match.groups()
            found = self.operations.get(name, {}).get(op_id)
            return (name, self.kinds[name], found) if found is not None else None
        hits = [(n, ops[reference]) for n, ops in self.operations.items() if reference in ops]
        if len(hits) == 1:
            return hits[0][0], self.kinds[hits[0][0]], hits[0][1]
        return None


def _operations(spec: Document, workspace: Workspace) -> dict[str, dict[str, Any]]:
    data = spec.data if isinstance(spec.data, dict) else {}
    found: dict[str, dict[str, Any]] = {}
    if spec.kind == "openapi":
        header_auth = _header_auth(data)
        for path, item in (data.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            shared = _params(item.get("parameters"), data)
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, dict) and operation.get("operationId"):
                    params = shared | _params(operation.get("parameters"), data)
                    params |= {(h, "header") for h in header_auth}
                    where = f"/paths/{pointers.escape(path)}/{method}/requestBody"
                    body = _body_schema(workspace, spec, operation, where)
                    found[operation["operationId"]] = {"params": params, "body": body}
    elif spec.kind == "asyncapi":
        for op_id, operation in (data.get("operations") or {}).items():
            action = operation.get("action") if isinstance(operation, dict) else None
            payload = None
            messages = operation.get("messages") if isinstance(operation, dict) else None
            if isinstance(messages, list) and messages:
                at = f"/operations/{pointers.escape(str(op_id))}/messages/0"
                message = workspace.deref(Target(spec, at, messages[0]))
                if message is not None and isinstance(message.value, dict):
                    payload = Target(
                        message.document, message.pointer + "/payload", message.value.get("payload")
                    )
            found[str(op_id)] = {"action": action, "params": set(), "body": payload}
    return found


def _body_schema(
    workspace: Workspace, spec: Document, operation: dict, where: str
) -> Target | None:
    """The JSON schema of an operation's request body, where it stands."""
    body = operation.get("requestBody")
    if body is None:
        return None
    target = workspace.deref(Target(spec, where, body))
    if target is None or not isinstance(target.value, dict):
        return None
    for media_type, media in (target.value.get("content") or {}).items():
        if "json" in media_type and isinstance(media, dict) and "schema" in media:
            pointer = f"{target.pointer}/content/{pointers.escape(media_type)}/schema"
            return Target(target.document, pointer, media["schema"])
    return None


def _params(raw: Any, data: dict) -> set[tuple[str, str]]:
    params = set()
    for param in raw if isinstance(raw, list) else []:
        if isinstance(param, dict) and "$ref" in param:
            try:
                param = pointers.walk(data, pointers.split(param["$ref"][1:]))
            except (KeyError, ValueError):
                continue
        if isinstance(param, dict):
            params.add((str(param.get("name")), str(param.get("in"))))
    return params


def _header_auth(data: dict) -> set[str]:
    names = set()
    for scheme in ((data.get("components") or {}).get("securitySchemes") or {}).values():
        if isinstance(scheme, dict):
            if scheme.get("type") == "http":
                names.add("Authorization")
            elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                names.add(str(scheme.get("name")))
    return names


def check(
    workspace: Workspace,
    document: Document,
    index: SpecIndex | None = None,
    results: ResultCache | None = None,
) -> list[Finding]:
    """Findings for one Arazzo document.

    `index` is shared by the scenarios of one run; `results` keeps the findings of the
    official schema, which depend on the document alone, from one run to the next.
    """
    key = results.key(workspace, [document]) + " arazzo-schema" if results else ""
    findings = results.get(key) if results else None
    if findings is None:
        findings = [
            document.finding(pointers.join(explain.path_of(e)), explain.message(e), RULE_SCHEMA)
            for e in explain.explain_all(schema_validator().iter_errors(document.data))
        ]
        if results:
            results.put(key, findings)
    if findings or not isinstance(document.data, dict):
        return findings
    sources = _Sources(index or SpecIndex(workspace), document)
    findings += sources.findings
    for w, workflow in enumerate(document.data.get("workflows") or []):
        findings += _workflow(document, sources, workflow, f"/workflows/{w}")
    return findings


def _workflow(document: Document, sources: _Sources, workflow: dict, at: str) -> list[Finding]:
    findings = []
    properties = (workflow.get("inputs") or {}).get("properties") or {}
    inputs = set(properties)
    defaults = {
        k: v["default"] for k, v in properties.items() if isinstance(v, dict) and "default" in v
    }
    earlier: dict[str, set[str]] = {}
    step_ids = [str(s.get("stepId")) for s in workflow.get("steps") or [] if isinstance(s, dict)]
    for s, step in enumerate(workflow.get("steps") or []):
        where = f"{at}/steps/{s}"
        kind = None
        reference = step.get("operationId")
        if isinstance(reference, str):
            found = sources.find(reference)
            if found is None:
                findings.append(
                    document.finding(
                        f"{where}/operationId",
                        f"step {step.get('stepId')!r}: no operation {reference!r} in the "
                        "source descriptions",
                        RULE,
                    )
                )
            else:
                name, kind, operation = found
                findings += _parameters(document, step, where, kind, operation)
                findings += _body(document, sources, name, step, where, operation, defaults)
        findings += _criteria(document, step, where)
        for pointer, text in _strings(step, where):
            for problem in _expression_problems(text, inputs, earlier, step_ids, kind):
                findings.append(
                    document.finding(pointer, f"step {step.get('stepId')!r}: {problem}", RULE)
                )
        earlier[str(step.get("stepId"))] = set(step.get("outputs") or {})
    for pointer, text in _strings(workflow.get("outputs") or {}, f"{at}/outputs"):
        for problem in _expression_problems(text, inputs, earlier, step_ids, None):
            findings.append(document.finding(pointer, f"workflow output: {problem}", RULE))
    return findings


def _criteria(document: Document, step: dict, where: str) -> list[Finding]:
    """Success criteria the scripts cannot check: simple conditions that do not read as
    `<expression> <operator> <value>`, and criteria of other types (left unchecked)."""
    findings = []
    criteria = step.get("successCriteria")
    for index, criterion in enumerate(criteria if isinstance(criteria, list) else []):
        if not isinstance(criterion, dict) or not isinstance(criterion.get("condition"), str):
            continue  # the Arazzo schema says so
        at = f"{where}/successCriteria/{index}"
        kind = criterion.get("type", "simple")
        if kind != "simple":
            findings.append(document.finding(
                f"{at}/type", f"step {step.get('stepId')!r}: a criterion of type "
                f"{str(kind)[:40]!r} is not checked by the scenario scripts (simple ones are)",
                RULE, level=Level.WARNING))  # fmt: skip
            continue
        try:
            parse_condition(criterion["condition"])
        except ValueError:
            findings.append(document.finding(
                f"{at}/condition", f"step {step.get('stepId')!r}: the condition cannot be read: "
                "write it as `<expression> <operator> <value>` (==, !=, <, <=, >, >=)",
                RULE))  # fmt: skip
    return findings


def _body(
    document: Document,
    sources: _Sources,
    name: str,
    step: dict,
    where: str,
    operation: dict,
    defaults: dict[str, Any],
) -> list[Finding]:
    """The step's request body or message against its schema, with inputs' defaults in it."""
    payload = (
        (step.get("requestBody") or {}).get("payload")
        if isinstance(step.get("requestBody"), dict)
        else None
    )
    schema = operation.get("body")
    if payload is None or schema is None:
        return []
    value = _with_defaults(payload, defaults)
    if value is _UNKNOWN:
        return []  # it depends on earlier steps: verify checks it when the scenario runs
    checker = sources.index.checker(sources.documents[name])
    if checker is None:
        return []
    checker.findings = []
    checker.check_value(
        schema, Target(document, f"{where}/requestBody/payload", value), "write", "the payload"
    )
    return [
        Finding(
            f.file, f.line, f.column, f.pointer, f"step {step.get('stepId')!r}: {f.message}", RULE
        )
        for f in checker.findings
    ]


_UNKNOWN = object()


def _with_defaults(value: Any, defaults: dict[str, Any]) -> Any:
    """A payload with `$inputs.x` replaced by defaults; _UNKNOWN if anything else is needed."""
    if isinstance(value, str) and "$" in value:
        match = re.fullmatch(r"\$inputs\.([A-Za-z0-9_\-]+)", value.strip())
        if match and match.group(1) in defaults:
            return defaults[match.group(1)]
        embedded = re.sub(
            r"\{\$inputs\.([A-Za-z0-9_\-]+)\}",
            lambda m: str(defaults.get(m.group(1), m.group(0))),
            value,
        )
        return _UNKNOWN if "$" in embedded else embedded
    if isinstance(value, dict):
        items = {k: _with_defaults(v, defaults) for k, v in value.items()}
        return _UNKNOWN if any(v is _UNKNOWN for v in items.values()) else items
    if isinstance(value, list):
        entries = [_with_defaults(v, defaults) for v in value]
        return _UNKNOWN if any(v is _UNKNOWN for v in entries) else entries
    return value


def _parameters(
    document: Document, step: dict, where: str, kind: str, operation: dict
) -> list[Finding]:
    findings = []
    if kind == "asyncapi":
        if step.get("action") not in ("send", "receive"):
            findings.append(
                document.finding(where, "an AsyncAPI step needs `action: send` or `receive`", RULE)
            )
        return findings
    for p, param in enumerate(step.get("parameters") or []):
        if not isinstance(param, dict) or "reference" in param:
            continue
        key = (str(param.get("name")), str(param.get("in")))
        if key not in operation["params"]:
            findings.append(
                document.finding(
                    f"{where}/parameters/{p}",
                    f"step {step.get('stepId')!r}: the operation takes no {key[1]} parameter "
                    f"{key[0]!r}",
                    RULE,
                )
            )
    return findings


def _expression_problems(
    text: str,
    inputs: set[str],
    earlier: dict[str, set[str]],
    step_ids: list[str],
    kind: str | None,
) -> list[str]:
    problems = []
    for match in _EXPRESSION.finditer(text):
        root, rest = match.group(1), match.group(2).lstrip(".").split(".") if match.group(2) else []
        if root == "inputs" and rest and rest[0] not in inputs:
            problems.append(f"$inputs.{rest[0]} is not an input of the workflow")
        elif root == "steps":
            step = rest[0] if rest else ""
            if step not in earlier:
                later = " (it comes later)" if step in step_ids else ""
                problems.append(f"$steps.{step} names no earlier step{later}")
            elif len(rest) >= 3 and rest[1] == "outputs" and rest[2] not in earlier[step]:
                problems.append(f"step {step!r} has no output {rest[2]!r}")
        elif root in ("response", "statusCode") and kind == "asyncapi":
            problems.append(f"${root} in a websocket step (use $message)")
        elif root == "message" and kind == "openapi":
            problems.append("$message in a REST step (use $response)")
    return problems
