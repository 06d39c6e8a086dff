"""What no HTTP client can send as the spec writes it: headers and cookies whose name is not
a token, or whose example has a line break or another control character (a sample would
send a header of its own, or fail); path parameters whose example is a dot segment; a path
with a `#` (a fragment, never sent) or `?`; and a body on GET or HEAD (warnings)."""

from __future__ import annotations

from typing import Any

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.http_fields import DOT_SEGMENT, unsendable
from instamrkt_docs.load import Document, Target, Workspace, pointers

RULE = "header"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def check_openapi(workspace: Workspace, root: Document) -> list[Finding]:
    """Findings for header and cookie parameters and apiKey schemes of one OpenAPI spec."""
    findings: list[Finding] = []
    data = root.data if isinstance(root.data, dict) else {}
    paths = data.get("paths")
    for path, raw in paths.items() if isinstance(paths, dict) else []:
        item = workspace.deref(Target(root, f"/paths/{pointers.escape(path)}", raw))
        if item is None or not isinstance(item.value, dict):
            continue
        if "#" in str(path) or "?" in str(path):
            mark = "#" if "#" in str(path) else "?"
            reached = str(path).split(mark)[0]
            findings.append(
                root.finding(
                    f"/paths/{pointers.escape(path)}",
                    f"the path {path!r} has a {mark!r}: what follows it is "
                    f"{'a fragment, which clients never send' if mark == '#' else 'the query'}"
                    f", so its requests reach {reached!r}",
                    RULE,
                    level=Level.WARNING,
                )
            )
        for method in ("get", "head"):
            operation = item.value.get(method)
            if isinstance(operation, dict) and "requestBody" in operation:
                findings.append(
                    item.document.finding(
                        f"{item.pointer}/{method}/requestBody",
                        f"a {method.upper()} request with a body: HTTP gives it no meaning "
                        "(RFC 9110) and fetch cannot send it; the JavaScript sample leaves "
                        "it out",
                        RULE,
                        level=Level.WARNING,
                    )
                )
        holders = [item] + [
            Target(item.document, f"{item.pointer}/{method}", item.value[method])
            for method in _METHODS
            if isinstance(item.value.get(method), dict)
        ]
        for holder in holders:
            params = holder.value.get("parameters")
            for index, value in enumerate(params if isinstance(params, list) else []):
                where = Target(holder.document, f"{holder.pointer}/parameters/{index}", value)
                param = workspace.deref(where)
                if param is not None and isinstance(param.value, dict):
                    findings += _parameter(param)
    schemes = (data.get("components") or {}).get("securitySchemes")
    for name, raw in schemes.items() if isinstance(schemes, dict) else []:
        where = Target(root, f"/components/securitySchemes/{pointers.escape(name)}", raw)
        scheme = workspace.deref(where)
        if scheme is None or not isinstance(scheme.value, dict):
            continue
        value = scheme.value
        if value.get("type") == "apiKey" and value.get("in") in ("header", "cookie"):
            problem = unsendable(str(value.get("name", "")), "")
            if problem:
                findings.append(_finding(scheme, "/name", f"the API key's {value['in']}", problem))
    return findings


def _parameter(param: Target) -> list[Finding]:
    value = param.value
    if value.get("in") == "path":
        what = f"path {str(value.get('name', ''))!r}"
        return [
            _finding(param, pointer, what, DOT_SEGMENT)
            for pointer, example in _examples(value)
            if example in (".", "..")
        ]
    if value.get("in") not in ("header", "cookie"):
        return []
    name = str(value.get("name", ""))
    what = f"{value['in']} {name!r}"
    problem = unsendable(name, "")
    if problem:
        return [_finding(param, "/name", what, problem)]
    found = []
    for pointer, example in _examples(value):
        problem = unsendable(name, example if isinstance(example, str) else "")
        if problem:
            found.append(_finding(param, pointer, what, problem))
    return found


def _examples(value: dict) -> list[tuple[str, Any]]:
    found = []
    if "example" in value:
        found.append(("/example", value["example"]))
    examples = value.get("examples")
    for key, example in examples.items() if isinstance(examples, dict) else []:
        if isinstance(example, dict) and "value" in example:
            found.append((f"/examples/{pointers.escape(key)}/value", example["value"]))
    schema = value.get("schema")
    if isinstance(schema, dict) and "example" in schema:
        found.append(("/schema/example", schema["example"]))
    return found


def _finding(target: Target, suffix: str, what: str, problem: str) -> Finding:
    message = f"{what} cannot be sent by any HTTP client: {problem}"
    return target.document.finding(target.pointer + suffix, message, RULE)
