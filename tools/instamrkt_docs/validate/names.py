"""Names that must be unique, and path templates that must agree with their parameters."""

from __future__ import annotations

import re
from typing import Any

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, Target, Workspace, pointers

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{([^{}]*)\}")


def _path_params(workspace: Workspace, holder: Target) -> dict[str, Target]:
    """Path parameters declared in a path item or operation: name -> where."""
    found: dict[str, Target] = {}
    params = holder.value.get("parameters")
    if not isinstance(params, list):
        return found
    for index, _ in enumerate(params):
        where = Target(holder.document, f"{holder.pointer}/parameters/{index}", params[index])
        param = workspace.deref(where)
        if param is not None and isinstance(param.value, dict) and param.value.get("in") == "path":
            found[str(param.value.get("name"))] = where
    return found


def check_openapi(workspace: Workspace, root: Document) -> list[Finding]:
    """Unique operationIds; path templates and path parameters agree; no twin paths."""
    findings: list[Finding] = []
    first_id: dict[str, Target] = {}
    shapes: dict[str, str] = {}
    data = root.data if isinstance(root.data, dict) else {}
    for section in ("paths", "webhooks"):
        items = data.get(section)
        if not isinstance(items, dict):
            continue
        for path, raw_item in items.items():
            item_where = Target(root, f"/{section}/{pointers.escape(path)}", raw_item)
            item = workspace.deref(item_where)
            if item is None or not isinstance(item.value, dict):
                continue
            names = _TEMPLATE.findall(path) if section == "paths" else []
            if section == "paths":
                for name in names:
                    if not name:
                        findings.append(
                            root.finding(item_where.pointer, "empty '{}' in path template", "path")
                        )
                shape = _TEMPLATE.sub("{}", path)
                if shape in shapes and shapes[shape] != path:
                    findings.append(
                        root.finding(
                            item_where.pointer,
                            f"path {path!r} is the same as {shapes[shape]!r} "
                            "(only the parameter names differ)",
                            "path",
                        )
                    )
                shapes.setdefault(shape, path)
                repeated = {n for n in names if names.count(n) > 1}
                for name in sorted(repeated):
                    findings.append(
                        root.finding(
                            item_where.pointer,
                            f"path template names {{{name}}} more than once",
                            "path",
                            level=Level.WARNING,
                        )
                    )
            item_params = _path_params(workspace, item)
            for method in _HTTP_METHODS:
                operation = item.value.get(method)
                if not isinstance(operation, dict):
                    continue
                op = Target(item.document, f"{item.pointer}/{method}", operation)
                findings += _operation_id(op, first_id)
                if section != "paths":
                    continue
                declared = {**item_params, **_path_params(workspace, op)}
                for name in dict.fromkeys(names):
                    if name and name not in declared:
                        findings.append(
                            op.document.finding(
                                op.pointer,
                                f"{method.upper()} {path}: path parameter {{{name}}} is in the "
                                "path template but not declared with 'in: path'",
                                "path",
                            )
                        )
                for name, where in declared.items():
                    if name not in names:
                        findings.append(
                            where.document.finding(
                                where.pointer,
                                f"{method.upper()} {path}: path parameter {name!r} is declared "
                                "but the path template has no {" + name + "}",
                                "path",
                            )
                        )
    return findings


def _operation_id(op: Target, first: dict[str, Target]) -> list[Finding]:
    op_id = op.value.get("operationId")
    if not isinstance(op_id, str):
        return []
    if op_id in first:
        other = first[op_id]
        line, column = other.document.position(other.pointer + "/operationId")
        return [
            op.document.finding(
                op.pointer + "/operationId",
                f"operationId {op_id!r} is not unique: also at "
                f"{other.document.display}:{line}:{column}",
                "unique",
            )
        ]
    first[op_id] = op
    return []


def check_asyncapi(workspace: Workspace, root: Document) -> list[Finding]:
    """Unique message names and operationIds; channel addresses agree with parameters."""
    findings: list[Finding] = []
    data = root.data if isinstance(root.data, dict) else {}
    first_name: dict[str, Target] = {}
    seen_messages: set[tuple[str, str]] = set()
    first_id: dict[str, Target] = {}

    def message(where: Target) -> None:
        target = workspace.deref(where)
        if target is None or not isinstance(target.value, dict):
            return
        if isinstance(target.value.get("oneOf"), list):
            for index, item in enumerate(target.value["oneOf"]):
                message(Target(target.document, f"{target.pointer}/oneOf/{index}", item))
            return
        key = (target.document.uri, target.pointer)
        if key in seen_messages:
            return
        seen_messages.add(key)
        name = target.value.get("name")
        if not isinstance(name, str):
            return
        if name in first_name:
            other = first_name[name]
            line, column = other.document.position(other.pointer + "/name")
            findings.append(
                target.document.finding(
                    target.pointer + "/name",
                    f"message name {name!r} is not unique: also at "
                    f"{other.document.display}:{line}:{column}",
                    "unique",
                )
            )
        else:
            first_name[name] = target

    components = data.get("components") if isinstance(data.get("components"), dict) else {}
    messages = components.get("messages")
    if isinstance(messages, dict):
        for name, value in messages.items():
            message(Target(root, f"/components/messages/{pointers.escape(name)}", value))
    channels = data.get("channels")
    if isinstance(channels, dict):
        for channel_name, raw in channels.items():
            where = Target(root, f"/channels/{pointers.escape(channel_name)}", raw)
            channel = workspace.deref(where)
            if channel is None or not isinstance(channel.value, dict):
                continue
            findings += _channel_parameters(channel, channel_name, root.version)
            if isinstance(channel.value.get("messages"), dict):
                for name, value in channel.value["messages"].items():
                    message(
                        Target(
                            channel.document,
                            f"{channel.pointer}/messages/{pointers.escape(name)}",
                            value,
                        )
                    )
            for action in ("publish", "subscribe"):
                operation = channel.value.get(action)
                if isinstance(operation, dict):
                    op = Target(channel.document, f"{channel.pointer}/{action}", operation)
                    findings += _operation_id(op, first_id)
                    if "message" in operation:
                        message(Target(op.document, f"{op.pointer}/message", operation["message"]))
    return findings


def _channel_parameters(channel: Target, name: str, version: str) -> list[Finding]:
    """Parameters named in a channel address (3.x) or channel name (2.x) are declared."""
    address: Any = name if version.startswith("2.") else channel.value.get("address")
    if not isinstance(address, str):
        return []
    names = _TEMPLATE.findall(address)
    declared = channel.value.get("parameters")
    declared = declared if isinstance(declared, dict) else {}
    findings = []
    for param in dict.fromkeys(names):
        if param not in declared:
            findings.append(
                channel.document.finding(
                    channel.pointer,
                    f"channel parameter {{{param}}} is in the address but not under 'parameters'",
                    "path",
                )
            )
    for param in declared:
        if param not in names:
            findings.append(
                channel.document.finding(
                    f"{channel.pointer}/parameters/{pointers.escape(param)}",
                    f"channel parameter {param!r} is declared but the address has no "
                    "{" + param + "}",
                    "path",
                )
            )
    return findings
