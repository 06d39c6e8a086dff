"""Runtime expressions and values as code, one set of filters per script language.

Scripts keep workflow inputs in `inputs`, step outputs in `outputs` (Python, JavaScript) or
in variables `input_<name>` and `<step>_<output>` (shell); the last REST response is
`response`/`body` and the last websocket message `message`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from instamrkt_docs.escaping import escaper, js_template_piece, string_literal
from instamrkt_docs.samples.filters import js_literal, py_literal, shell_quote
from instamrkt_docs.samples.serialise import path_literal, text
from instamrkt_docs.scenarios.expressions import Condition, Expr, Template

_WORD = re.compile(r"[^A-Za-z0-9_]")


def var(name: str) -> str:
    """A shell variable name."""
    return _WORD.sub("_", name)


# Python -------------------------------------------------------------------------------


def _expr(expr: Expr, status: str) -> str:
    """An expression as Python or JavaScript code (they differ only in `status`)."""
    parts = expr.parts
    if expr.root == "inputs":
        return f"inputs[{string_literal(parts[1])}]"
    if expr.root == "steps":
        return f"outputs[{string_literal(parts[1])}][{string_literal(parts[3])}]"
    if expr.root == "statusCode":
        return f"response.{status}"
    if expr.root == "response" and parts[1] == "header":
        return f"response.headers.get({string_literal(parts[2])})"
    document = "body" if expr.root == "response" else "message"
    return f"at({document}, {string_literal(expr.pointer)})"


def py_expr(expr: Expr) -> str:
    return _expr(expr, "status_code")


def _structure(value: Any, indent: int, step: int, leaf: Any) -> str | None:
    """A dict or list laid out one entry a line, its leaves written by `leaf`."""
    pad = " " * (indent + step)
    if isinstance(value, dict) and value:
        items = [f"{pad}{string_literal(k)}: {leaf(v, indent + step)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + ",\n" + " " * indent + "}"
    if isinstance(value, list) and value:
        items = [f"{pad}{leaf(v, indent + step)}" for v in value]
        return "[\n" + ",\n".join(items) + ",\n" + " " * indent + "]"
    return None


def py_value(value: Any, indent: int = 0) -> str:
    """Python code for a parsed value (literals, expressions, templates, structures)."""
    if isinstance(value, Expr):
        return py_expr(value)
    if isinstance(value, Template):
        return " + ".join(
            string_literal(p) if isinstance(p, str) else f"str({py_expr(p)})" for p in value.pieces
        )
    nested = _structure(value, indent, 4, py_value)
    return nested if nested is not None else py_literal(value, indent)


def py_condition(condition: Condition) -> str:
    return f"{py_value(condition.left)} {condition.op} {py_value(condition.right)}"


# JavaScript ---------------------------------------------------------------------------


def js_expr(expr: Expr) -> str:
    return _expr(expr, "status")


def js_value(value: Any, indent: int = 0) -> str:
    """JavaScript code for a parsed value."""
    if isinstance(value, Expr):
        return js_expr(value)
    if isinstance(value, Template):
        pieces = []
        for piece in value.pieces:
            if isinstance(piece, str):
                pieces.append(js_template_piece(piece))
            else:
                pieces.append("${" + js_expr(piece) + "}")
        return "`" + "".join(pieces) + "`"
    nested = _structure(value, indent, 2, js_value)
    return nested if nested is not None else js_literal(value, indent)


def js_condition(condition: Condition) -> str:
    op = {"==": "===", "!=": "!=="}.get(condition.op, condition.op)
    return f"{js_value(condition.left)} {op} {js_value(condition.right)}"


# Shell --------------------------------------------------------------------------------


def jq_path(pointer: str) -> str:
    """A jq path for a JSON pointer: /data/0/id -> .data[0].id"""
    if not pointer or pointer == "/":
        return "."
    path = ""
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if token.isdigit():
            path += f"[{token}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token):
            path += f".{token}"
        else:
            path += f"[{string_literal(token)}]"
    return path if path.startswith(".") else "." + path


def sh_expr(expr: Expr) -> str:
    """A shell word (double-quoted) with the expression's value."""
    parts = expr.parts
    if expr.root == "inputs":
        return f'"${{input_{var(parts[1])}}}"'
    if expr.root == "steps":
        return f'"${{{var(parts[1])}_{var(parts[3])}}}"'
    if expr.root == "statusCode":
        return '"$status"'
    document = "body" if expr.root == "response" else "message"
    return f'"$(jq -r {shell_quote(jq_path(expr.pointer))} <<<"${document}")"'


def sh_value(value: Any) -> str:
    """A shell word for a scalar parsed value."""
    if isinstance(value, Expr):
        return sh_expr(value)
    if isinstance(value, Template):  # quoted words side by side make one word
        return (
            "".join(
                shell_quote(piece) if isinstance(piece, str) else sh_expr(piece)
                for piece in value.pieces
            )
            or "''"
        )
    if isinstance(value, str):
        return shell_quote(value)
    return shell_quote(json.dumps(value))


def sh_json(value: Any) -> str:
    """A `jq -nc ...` command that prints a parsed JSON value with its expressions filled."""
    arguments: list[str] = []

    def program(node: Any) -> str:
        if isinstance(node, (Expr, Template)):
            name = f"v{len(arguments) // 3 + 1}"
            arguments.extend(["--arg", name, sh_value(node)])
            return f"${name}"
        if isinstance(node, dict):
            return (
                "{" + ", ".join(f"{string_literal(k)}: {program(v)}" for k, v in node.items()) + "}"
            )
        if isinstance(node, list):
            return "[" + ", ".join(program(v) for v in node) + "]"
        return json.dumps(node, ensure_ascii=False)

    text = program(value)
    return " ".join(["jq -nc", *arguments, shell_quote(text)])


def sh_condition(condition: Condition) -> str:
    """A shell test for a condition."""
    left, right = sh_value(condition.left), sh_value(condition.right)
    if condition.op in ("==", "!="):
        op = "=" if condition.op == "==" else "!="
        return f"[ {left} {op} {right} ]"
    op = {"<": "-lt", "<=": "-le", ">": "-gt", ">=": "-ge"}[condition.op]
    return f"[ {left} {op} {right} ]"


# Requests -----------------------------------------------------------------------------


def request_parts(step: Any) -> dict[str, Any]:
    """A REST step's method, path pieces, query, headers and whether it sends the key."""
    operation = step.operation
    path_values = {n: v for n, loc, v in step.parameters if loc == "path"}
    pieces: list[Any] = []
    for index, part in enumerate(re.split(r"(\{[^{}]+\})", operation.path)):
        if index % 2:
            value = path_values.get(part[1:-1], part)
            literal = not isinstance(value, (Expr, Template))
            pieces.append(quote(text(value), safe="") if literal else value)
        elif part:
            pieces.append(path_literal(part))
    headers = [(n, v) for n, loc, v in step.parameters if loc == "header"]
    if step.prefer:
        headers.append(("Prefer", step.prefer))
    secured = bool(operation.security) and all(operation.security)
    overridden = {n.lower() for n, _ in headers}
    credential = operation.security[0][0] if secured else None
    return {
        "method": operation.method,
        "pieces": pieces,
        "query": [(n, v) for n, loc, v in step.parameters if loc == "query"],
        "headers": headers,
        "credential": credential
        if credential and credential.name.lower() not in overridden
        else None,
    }


def py_path(pieces: list[Any]) -> str:
    code = []
    for piece in pieces:
        if isinstance(piece, str):
            code.append(string_literal(piece))
        else:
            code.append(f'quote(str({py_value(piece)}), safe="")')
    return " + ".join(["BASE_URL", *code])


def js_path(pieces: list[Any]) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(js_template_piece(piece))
        else:
            out.append("${encodeURIComponent(" + js_value(piece) + ")}")
    return "`${BASE_URL}" + "".join(out) + "`"


def sh_path(pieces: list[Any]) -> str:
    out = ['"${BASE_URL}"']
    for piece in pieces:
        if isinstance(piece, str):
            out.append(shell_quote(piece))
        else:
            out.append(f'"$(uri {sh_value(piece)})"')
    return "".join(out)


def sh_header(name: str, value: Any) -> str:
    """One shell word `Name: value`, the value's expressions filled in."""
    return shell_quote(f"{name}: ") + sh_value(value)


FILTERS = {
    name: escaper(function)
    for name, function in {
        "js_condition": js_condition,
        "js_path": js_path,
        "js_value": js_value,
        "py_condition": py_condition,
        "py_path": py_path,
        "py_value": py_value,
        "sh_condition": sh_condition,
        "sh_header": sh_header,
        "sh_json": sh_json,
        "sh_path": sh_path,
        "sh_value": sh_value,
        "var": var,
    }.items()
}


def needs_key(scenario: Any) -> bool:
    """Whether a scenario's script sends the API key from the environment anywhere."""
    if scenario.uses_websocket:
        return True
    return any(
        request_parts(step)["credential"] is not None for step in scenario.steps if step.is_rest
    )
