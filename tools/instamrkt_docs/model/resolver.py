"""Following local `$ref`s in a bundled document."""

from __future__ import annotations

from typing import Any

from instamrkt_docs.load import pointers


class Resolver:
    """Dereferences `#/...` refs within one (bundled) document."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.cache: dict[tuple[str, int], Any] = {}

    def deref(self, node: Any) -> Any:
        """The value a node stands for, following refs (a loop or dangling ref gives {})."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#"):
                return {}
            seen.add(ref)
            try:
                target = pointers.walk(self.data, pointers.split(pointers.from_fragment(ref[1:])))
            except (KeyError, ValueError):
                return {}
            if len(node) > 1 and isinstance(target, dict):  # 3.1: siblings override
                target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            node = target
        return node

    @staticmethod
    def name(node: Any) -> str | None:
        """The name a `$ref` gives (its last segment), if the node is one."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            last = node["$ref"].rsplit("/", 1)[-1]
            return last.replace("~1", "/").replace("~0", "~") or None
        return None
