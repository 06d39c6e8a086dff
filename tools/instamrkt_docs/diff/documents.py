"""What comparing two root documents needs, whatever their kind: both sides' workspaces,
the schema comparer, the changes said so far, and maps of a document read entry by entry."""

from __future__ import annotations

from instamrkt_docs.diff.changes import Change, place_of
from instamrkt_docs.diff.schemas import Collector, SchemaDiff
from instamrkt_docs.load import Document, Target, Workspace, pointers


class DocumentDiff:
    """Compares the old and new root documents of one spec (`run` in each kind's class)."""

    def __init__(self, old_ws: Workspace, old: Document, new_ws: Workspace, new: Document) -> None:
        self.old_ws, self.new_ws = old_ws, new_ws
        self.old, self.new = old, new
        self.schemas = SchemaDiff(old_ws, new_ws)
        self.out = Collector()

    def _add(
        self, rule: str, message: str, old: Target | None, new: Target | None, reach: str
    ) -> None:
        self.out.add(Change(rule, message, place_of(old), place_of(new)), reach)


def entries(ws: Workspace, holder: Target | None, lower: bool = False) -> dict[str, Target]:
    """The entries of a map (responses, headers, channels, servers...), each resolved;
    with `lower`, by their names in lower case (HTTP headers)."""
    if holder is None or not isinstance(holder.value, dict):
        return {}
    found = {}
    for key, value in holder.value.items():
        target = ws.deref(
            Target(holder.document, f"{holder.pointer}/{pointers.escape(key)}", value)
        )
        if target is not None and isinstance(target.value, dict):
            found[str(key).lower() if lower else str(key)] = target
    return found


def top(root: Document, *keys: str) -> Target:
    """A member of a root document (`top(root, "components", "schemas")`), None if absent."""
    value = root.data
    pointer = ""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
        pointer += "/" + pointers.escape(key)
    return Target(root, pointer, value)
