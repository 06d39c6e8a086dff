"""Finding the `$ref`s of a document: in its structure, not in its example data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from instamrkt_docs.load import pointers

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
