"""Arazzo expressions and conditions said in words, for scenario pages.

`$message.payload#/pool/status == 'blocked'` reads "the message's `pool.status` is
`blocked`". Every value that comes from the scenario is HTML (inline code, escaped by the
`code` filter); the rest is our own text.
"""

from __future__ import annotations

from typing import Any

from instamrkt_docs.escaping import Escaped, md_text
from instamrkt_docs.load import pointers
from instamrkt_docs.pages.filters import code
from instamrkt_docs.scenarios.expressions import Condition, Expr

OPERATORS = {
    "==": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
}


def expression(value: Any) -> Escaped:
    """An expression, or a literal value, in words (HTML)."""
    return Escaped(_expression(value))


def _expression(value: Any) -> str:
    if not isinstance(value, Expr):
        return code(value)
    parts = value.parts
    field = _field(value.pointer)
    if value.root == "statusCode":
        return "the status"
    if value.root == "inputs" and len(parts) == 2:
        return f"the input {code(parts[1])}"
    if value.root == "steps" and len(parts) == 4:
        return f"the output {code(parts[3])} of step {code(parts[1])}"
    if value.root == "response" and len(parts) >= 3 and parts[1] == "header":
        return f"the answer's header {code('.'.join(parts[2:]))}"
    if value.root == "response":
        return f"the answer's {code(field)}" if field else "the answer's body"
    if value.root == "message":
        return f"the message's {code(field)}" if field else "the message"
    return code(value.text)


def condition(item: Condition) -> Escaped:
    """A success criterion in words (HTML)."""
    verb = OPERATORS.get(item.op) or md_text(item.op)
    return Escaped(f"{expression(item.left)} {verb} {expression(item.right)}")


def _field(pointer: str) -> str:
    """`/pool/status` as `pool.status`, `/outcomes/0/id` as `outcomes[0].id`."""
    if not pointer.strip("/"):
        return ""
    try:
        tokens = pointers.split(pointers.from_fragment(pointer))
    except ValueError:
        return pointer
    out = ""
    for token in tokens:
        out += f"[{token}]" if token.isdigit() else (f".{token}" if out else token)
    return out
