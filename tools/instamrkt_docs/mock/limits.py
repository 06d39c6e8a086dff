"""What the mock accepts from a client, whoever it is: bounded bodies, strict JSON (no NaN,
no Infinity, no number too large for a double), bounded nesting, and bounded echoes of what
was wrong. The mock runs on a user's machine: no client may make it allocate without end."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_BODY = 1024 * 1024  # bytes of a request body (`mock --max-body`)
MAX_DEPTH = 64  # nesting levels of a JSON body or message
MAX_ECHO = 200  # characters of a client's value repeated in an error message
MAX_DETAILS = 50  # problems listed in one error answer (or checked of one value)


class RejectedJson(ValueError):
    """The text is not strict JSON of bounded depth; the message says why."""


def _no_constant(name: str) -> Any:
    raise RejectedJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise RejectedJson(f"{text[:40]} is too large a number")
    return value


def strict_json(text: str | bytes) -> Any:
    """JSON as RFC 8259 has it, nested at most MAX_DEPTH deep; RejectedJson otherwise."""
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError as exc:
        raise RejectedJson(f"nested more than {MAX_DEPTH} levels deep") from exc
    except RejectedJson:
        raise
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise RejectedJson(f"not valid JSON: {str(exc)[:MAX_ECHO]}") from exc
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RejectedJson(f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return value


def echo(text: str) -> str:
    """A client's text as an error message may repeat it: at most MAX_ECHO characters."""
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "… (cut)"
