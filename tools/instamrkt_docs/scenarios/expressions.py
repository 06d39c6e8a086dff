"""Arazzo runtime expressions: parsing them, and evaluating them against a run's state.

Supported: `$inputs.name`, `$steps.id.outputs.name`, `$statusCode`,
`$response.body#/json/pointer`, `$response.header.Name`, `$message.payload#/json/pointer`,
strings with embedded `{$...}` expressions, and conditions `left OP right` (OP one of
==, !=, <, <=, >, >=) whose sides are expressions or literals ('text', 12, true, null).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from instamrkt_docs.load import pointers

_WHOLE = re.compile(
    r"^\$(?:inputs\.[A-Za-z0-9_\-]+|steps\.[A-Za-z0-9_\-]+\.outputs\.[A-Za-z0-9_\-]+|statusCode"
    r"|response\.body(?:#[^\s]*)?|response\.header\.[A-Za-z0-9_\-]+|message\.payload(?:#[^\s]*)?)$"
)
_EMBEDDED = re.compile(r"\{(\$[^{}]+)\}")
_CONDITION = re.compile(r"^\s*(\S+)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$")


@dataclass(frozen=True)
class Expr:
    """One runtime expression."""

    text: str

    @property
    def root(self) -> str:
        return self.text[1:].split(".", 1)[0].split("#", 1)[0]

    @property
    def parts(self) -> list[str]:
        return self.text[1:].split("#", 1)[0].split(".")

    @property
    def pointer(self) -> str:
        return self.text.split("#", 1)[1] if "#" in self.text else ""


@dataclass(frozen=True)
class Template:
    """A string with embedded expressions: literal text and Expr pieces."""

    pieces: tuple[str | Expr, ...]


@dataclass(frozen=True)
class Condition:
    """`left op right`."""

    left: Any
    op: str
    right: Any
    text: str


def parse_value(value: Any) -> Any:
    """A spec value with its expressions parsed: Expr, Template, or nested structures."""
    if isinstance(value, str):
        if _WHOLE.match(value.strip()):
            return Expr(value.strip())
        if _EMBEDDED.search(value):
            pieces: list[str | Expr] = []
            last = 0
            for match in _EMBEDDED.finditer(value):
                if match.start() > last:
                    pieces.append(value[last : match.start()])
                pieces.append(Expr(match.group(1)))
                last = match.end()
            if last < len(value):
                pieces.append(value[last:])
            return Template(tuple(pieces))
        return value
    if isinstance(value, dict):
        return {k: parse_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [parse_value(v) for v in value]
    return value


def parse_condition(text: str) -> Condition:
    """A condition of a success criterion."""
    match = _CONDITION.match(text)
    if not match:
        raise ValueError(f"cannot read the condition {text!r}")
    left, op, right = match.groups()
    if right[:1] in "=!<>":
        raise ValueError(f"cannot read the condition {text!r}: two operators")
    condition = Condition(_operand(left), op, _operand(right), text)
    status = isinstance(condition.left, Expr) and condition.left.root == "statusCode"
    if status and (not isinstance(condition.right, int) or isinstance(condition.right, bool)):
        raise ValueError(f"cannot read the condition {text!r}: a status is a number")
    return condition


def _operand(text: str) -> Any:
    text = text.strip()
    if text.startswith("$"):
        return Expr(text)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass
class State:
    """What a run knows: inputs, each step's outputs, and the last response or message."""

    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    message: Any = None

    def value(self, expr: Expr) -> Any:
        parts = expr.parts
        if expr.root == "inputs":
            return self.inputs.get(parts[1])
        if expr.root == "steps":
            return self.outputs.get(parts[1], {}).get(parts[3])
        if expr.root == "statusCode":
            return self.status
        if expr.root == "response" and parts[1] == "header":
            wanted = parts[2].lower()
            return next((v for k, v in self.headers.items() if k.lower() == wanted), None)
        document = self.body if expr.root == "response" else self.message
        return at(document, expr.pointer)

    def resolve(self, value: Any) -> Any:
        """A parsed value with every expression replaced by its value."""
        if isinstance(value, Expr):
            return self.value(value)
        if isinstance(value, Template):
            return "".join(p if isinstance(p, str) else str(self.value(p)) for p in value.pieces)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def holds(self, condition: Condition) -> tuple[bool, Any]:
        """Whether a condition holds, and the value of its left side."""
        left, right = self.resolve(condition.left), self.resolve(condition.right)
        try:
            result = {
                "==": left == right,
                "!=": left != right,
                "<": left < right,
                "<=": left <= right,
                ">": left > right,
                ">=": left >= right,
            }[condition.op]
        except TypeError:
            result = False
        return result, left


def at(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or None."""
    try:
        return pointers.walk(document, pointers.split(pointer))
    except (KeyError, ValueError):
        return None


def expressions_in(value: Any) -> list[Expr]:
    """Every expression inside a parsed value."""
    if isinstance(value, Expr):
        return [value]
    if isinstance(value, Template):
        return [p for p in value.pieces if isinstance(p, Expr)]
    if isinstance(value, dict):
        return [e for v in value.values() for e in expressions_in(v)]
    if isinstance(value, list):
        return [e for v in value for e in expressions_in(v)]
    return []
