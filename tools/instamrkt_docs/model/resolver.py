"""Following local `$ref`s in a bundled document."""

from __future__ import annotations

from typing import Any

from instamrkt_docs.load import pointers

# Where named schemas live: a `$ref` to one of these (one segment after) names a model.
NAMED = ("#/components/schemas/", "#/x-bundled/", "#/$defs/", "#/definitions/")


class Resolver:
    """Dereferences `#/...` refs within one (bundled) document."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.cache: dict[tuple[str, int], Any] = {}
        self.model_keys: dict[str, str] = {}  # a named schema's ref -> its anchor
        self.model_refs: dict[str, str] = {}  # and back
        self._anchors: set[str] = set()

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

    @staticmethod
    def named_ref(node: Any) -> str:
        """The ref of the named schema a node is a `$ref` to ('' when it is not one)."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            for prefix in NAMED:
                rest = ref[len(prefix) :]
                if ref.startswith(prefix) and rest and "/" not in rest:
                    return ref
        return ""

    def model_key(self, ref: str) -> str:
        """The anchor of a named schema's description: `model-<name>`, unique in the spec."""
        key = self.model_keys.get(ref)
        if key is None:
            from instamrkt_docs.model.common import slug, unique_key  # common imports this

            key = unique_key("model-" + slug(self.name({"$ref": ref}) or ""), self._anchors)
            self.model_keys[ref] = key
            self.model_refs[key] = ref
        return key
