"""Every `$ref` resolves, locally and across files, and none loops back on itself."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from instamrkt_docs.findings import Finding, Level
from instamrkt_docs.load import Document, RefError, RemoteRefError, Workspace, pointers

RULE = "ref"
# Members whose values are data, not spec structure: a "$ref" inside them is just data.
_DATA_KEYS = frozenset({"example", "default", "const", "enum"})


def iter_refs(data: Any) -> Iterator[tuple[str, str]]:
    """(pointer of the `$ref` member, reference) for every `$ref` in a document's structure."""
    stack: list[tuple[Any, str, bool]] = [(data, "", False)]
    while stack:
        node, where, in_example_map = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield f"{where}/$ref", ref
            for key, value in node.items():
                if not isinstance(value, (dict, list)):
                    continue
                if key in _DATA_KEYS or key.startswith("x-") or (in_example_map and key == "value"):
                    continue
                if key == "examples" and isinstance(value, list):
                    continue  # schema examples, AsyncAPI message examples: data
                child = f"{where}/{pointers.escape(key)}"
                if key == "examples" and isinstance(value, dict):
                    for name, example in value.items():
                        stack.append((example, f"{child}/{pointers.escape(name)}", True))
                    continue
                stack.append((value, child, False))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                stack.append((item, f"{where}/{index}", False))


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
