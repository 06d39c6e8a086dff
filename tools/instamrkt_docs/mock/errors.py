"""Error bodies in the spec's own error model, for errors the mock makes itself.

The model is taken from the spec: the first documented error example that has an
`error.code` (or a top-level `code`) is the template, and the mock's errors copy its shape.
Without one, errors are RFC 9457 problem details.
"""

from __future__ import annotations

import copy
import secrets
import string
from typing import Any

_ALPHABET = string.ascii_letters + string.digits


def request_id() -> str:
    """A fresh request id in Instamrkt's format."""
    return "req_" + "".join(secrets.choice(_ALPHABET) for _ in range(16))


class ErrorModel:
    """Makes error bodies shaped like the spec's documented errors."""

    def __init__(self, template: Any) -> None:
        self.template = template

    @classmethod
    def from_examples(cls, examples: list[Any]) -> ErrorModel:
        """The model of the first example that looks like an error."""
        for value in examples:
            error = value.get("error") if isinstance(value, dict) else None
            if isinstance(error, dict) and "code" in error:
                return cls(value)
            if isinstance(value, dict) and isinstance(value.get("code"), str):
                return cls(value)
        return cls(None)

    def body(
        self, status: int, code: str, message: str, details: list[dict[str, str]] | None = None
    ) -> Any:
        """An error body with this code and message."""
        if self.template is None:  # RFC 9457 problem details, what is wrong as `errors`
            problem = {"title": message, "status": status, "detail": message, "code": code}
            return {**problem, "errors": details} if details else problem
        body = copy.deepcopy(self.template)
        inner = body["error"] if isinstance(body.get("error"), dict) else body
        inner["code"] = code
        inner["message"] = message
        if "requestId" in inner:
            inner["requestId"] = request_id()
        if "details" in inner:
            inner["details"] = details or []
        return body
