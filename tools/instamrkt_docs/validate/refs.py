"""Every `$ref` resolves, locally and across files, and none loops back on itself."""

from __future__ import annotations

from collections import deque
from typing import Any

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, RefError, RemoteRefError, Workspace
from instamrkt_docs.load.refs import iter_refs

RULE = "ref"


def check(workspace: Workspace, root: Document) -> tuple[list[Finding], list[Document]]:
    """Findings for unresolvable and circular `$ref`s reachable from `root`.

    Returns the findings and every document reached (the root first).
    """
    findings: list[Finding] = []
    reached: dict[str, Document] = {root.uri: root}
    queue: deque[Document] = deque([root])
    while queue:
        document = queue.popleft()
        for where, ref in iter_refs(document.data):
            try:
                target = workspace.resolve(document, ref)
            except RemoteRefError as exc:
                findings.append(document.finding(where, str(exc), RULE, level=Level.WARNING))
                continue
            except RefError as exc:
                findings.append(document.finding(where, str(exc), RULE))
                continue
            if target.document.uri not in reached:
                reached[target.document.uri] = target.document
                queue.append(target.document)
            loop = _loop(workspace, document, where[: -len("/$ref")], target)
            if loop:
                findings.append(document.finding(where, f"circular $ref: {loop}", RULE))
    return findings, list(reached.values())


def _loop(workspace: Workspace, document: Document, start: str, target: Any) -> str:
    """The chain, as text, when a `$ref` leads only through other `$ref`s back to itself."""
    origin = (document.uri, start)
    chain = [f"#{start}"]
    seen = {origin}
    while True:
        here = (target.document.uri, target.pointer)
        prefix = "" if target.document.uri == document.uri else target.document.display
        chain.append(f"{prefix}#{target.pointer}")
        if here == origin:
            return " -> ".join(chain)
        if here in seen:
            return ""  # a loop that does not pass through the start: reported at its own refs
        seen.add(here)
        value = target.value
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return ""
        try:
            target = workspace.resolve(target.document, value["$ref"])
        except RefError:
            return ""
