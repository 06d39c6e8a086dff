"""Model stage: a language-neutral model of a spec, which samples and pages are made from.

`build(workspace, document)` bundles the spec's files into one document, then returns a
`RestApi` (OpenAPI) or a `WsApi` (AsyncAPI). Nothing downstream reads the raw spec.
"""

from __future__ import annotations

from typing import Any

from instamrkt_docs.errors import UsageError
from instamrkt_docs.load import Document, Workspace
from instamrkt_docs.model import asyncapi, openapi
from instamrkt_docs.model.bundle import bundle
from instamrkt_docs.model.types import (
    Body,
    CodeSample,
    ErrorCase,
    ErrorCode,
    Example,
    Field,
    Group,
    Message,
    Model,
    Operation,
    Parameter,
    Response,
    RestApi,
    Security,
    Server,
    WsApi,
    WsOperation,
)

__all__ = [
    "Body",
    "CodeSample",
    "ErrorCase",
    "ErrorCode",
    "Example",
    "Field",
    "Group",
    "Message",
    "Model",
    "Operation",
    "Parameter",
    "Response",
    "RestApi",
    "Security",
    "Server",
    "WsApi",
    "WsOperation",
    "build",
    "bundle",
]


def build(
    workspace: Workspace, document: Document, bundled: dict[str, Any] | None = None
) -> RestApi | WsApi:
    """The model of one spec (its root document and the files it refers to).

    `bundled` is the spec already bundled into one document, if the caller has it.
    """
    data = bundled if bundled is not None else bundle(workspace, document)
    if document.kind == "openapi":
        return openapi.build(data, document.display)
    if document.kind == "asyncapi":
        return asyncapi.build(data, document.display)
    raise UsageError(f"{document.display}: not an OpenAPI or AsyncAPI document")
