"""The spec versions the toolkit reads, in one place: every command refuses another alike.

A version outside these (OpenAPI 3.2, AsyncAPI 1.x) is refused by `validate` as a finding,
and by `render`, `build`, `mock`, `verify` and `diff` before they read anything of it, so
that no page is written from a half-understood spec (3.2's `query` operations, say).
"""

from __future__ import annotations

from instamrkt_docs.errors import SpecError
from instamrkt_docs.load.documents import Document

OPENAPI = ("3.0", "3.1")
ASYNCAPI = ("2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0")


def unsupported(document: Document) -> str:
    """Why the toolkit cannot read this root document's version, or "" when it can."""
    version = str(document.version)
    if document.kind == "openapi":
        if ".".join(version.split(".")[:2]) in OPENAPI:
            return ""
        return f"OpenAPI {version!r} is not supported (3.0.x and 3.1.x are)"
    if document.kind == "asyncapi" and version not in ASYNCAPI:
        return f"AsyncAPI {version!r} is not supported ({', '.join(ASYNCAPI)} are)"
    return ""


def refuse_unsupported(workspace: object, document: Document) -> None:
    """A located `SpecError` for a version the toolkit cannot read."""
    why = unsupported(document)
    if why:
        finding = document.finding(f"/{document.kind}", why, "load")
        raise SpecError(workspace.place([finding])[0])  # type: ignore[attr-defined]
