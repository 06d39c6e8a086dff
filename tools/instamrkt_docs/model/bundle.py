"""Bundle a multi-file spec into one document whose `$ref`s are all local.

External targets are copied under `x-bundled` (one entry per distinct target, so recursive
structures stay recursive) and the refs that pointed at them are rewritten. Refs inside the
copies, which were relative to their own file, are rewritten the same way.
"""

from __future__ import annotations

import copy
from typing import Any

from instamrkt_docs.load import Document, RefError, Workspace, pointers
from instamrkt_docs.load.refs import iter_refs

BUNDLE_KEY = "x-bundled"


def bundle(workspace: Workspace, root: Document) -> dict[str, Any]:
    """`root`'s data with every external `$ref` made local (a copy only if one is external).

    The result is shared with the document when nothing needed rewriting: read it, never
    change it.
    """
    if not any(not ref.startswith("#") for _, ref in iter_refs(root.data)):
        return root.data
    data = copy.deepcopy(root.data)
    bundled: dict[str, Any] = {}
    names: dict[tuple[str, str], str] = {}

    def local_name(target_document: Document, pointer: str) -> str:
        key = (target_document.uri, pointer)
        if key not in names:
            base = pointer.rsplit("/", 1)[-1] or target_document.path.stem
            name = base.replace("~1", "/").replace("~0", "~")
            candidate, number = name, 2
            while candidate in bundled or candidate in names.values():
                candidate, number = f"{name}{number}", number + 1
            names[key] = candidate
            bundled[candidate] = None  # reserve before recursing
            value = pointers.walk(target_document.data, pointers.split(pointer))
            bundled[candidate] = rewrite(copy.deepcopy(value), target_document)
        return names[key]

    def rewrite(node: Any, document: Document) -> Any:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str):
                    current["$ref"] = target_ref(ref, document)
                stack.extend(v for k, v in current.items() if k != "$ref")
            elif isinstance(current, list):
                stack.extend(current)
        return node

    def target_ref(ref: str, document: Document) -> str:
        if ref.startswith("#") and document is root:
            return ref
        try:
            target = workspace.resolve(document, ref)
        except RefError:
            return ref  # reported by validate; left as it is
        if target.document is root:
            return "#" + target.pointer
        return f"#/{BUNDLE_KEY}/{pointers.escape(local_name(target.document, target.pointer))}"

    rewrite(data, root)
    if bundled and isinstance(data, dict):
        data[BUNDLE_KEY] = bundled
    return data
