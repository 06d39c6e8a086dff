"""Two versions of a schema compared, in the direction its values flow.

`request` schemas describe what a client sends (narrowing them breaks clients), `response`
schemas what it receives (widening them does). A named schema shared by many operations
is compared once per direction; each change is then said once, with every operation it
reaches (`Collector`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from instamrkt_docs.diff.changes import Change, Place, child, place_of
from instamrkt_docs.load import Target, Workspace, pointers
from instamrkt_docs.schema_types import declared_types, widened

MAX_DEPTH = 24
Deref = Callable[[Target], Target | None]
# (rule suffix, keyword, "up" when a larger value is the narrower, for requests)
_BOUNDS = [
    ("max-length", "maxLength", "down"),
    ("min-length", "minLength", "up"),
    ("maximum", "maximum", "down"),
    ("minimum", "minimum", "up"),
    ("max-items", "maxItems", "down"),
    ("min-items", "minItems", "up"),
]


@dataclass
class Collector:
    """Changes said once each, with every operation or message they reach."""

    changes: dict[tuple, Change] = field(default_factory=dict)

    def add(self, change: Change, reach: str = "") -> None:
        key = (change.rule, change.old, change.new)  # one change, however it is reached
        kept = self.changes.setdefault(key, change)
        if reach and reach not in kept.reaches:
            kept.reaches.append(reach)


@dataclass
class SchemaDiff:
    """Compares schemas of an old and a new workspace."""

    old_ws: Workspace
    new_ws: Workspace
    memo: dict[tuple, list[Change]] = field(default_factory=dict)
    # the pairs of schemas being compared, further up: a schema that contains itself
    # (`Node.next` is a Node) is compared once, not again at each depth
    active: set[tuple] = field(default_factory=set)

    def compare(
        self, old: Target | None, new: Target | None, direction: str, path: str = ""
    ) -> list[Change]:
        """The changes between two schemas (None: absent), for values flowing `direction`."""
        old = self.old_ws.deref(old) if old is not None else None
        new = self.new_ws.deref(new) if new is not None else None
        if old is None or new is None:
            return []
        pair = (old.document.uri, old.pointer, new.document.uri, new.pointer, direction)
        key = (*pair, path)
        if key in self.memo:
            return self.memo[key]
        if pair in self.active or len(self.active) > MAX_DEPTH:
            return []
        self.active.add(pair)
        found: list[Change] = []
        try:
            self._compare(old, new, direction, path, found, 0)
        finally:
            self.active.discard(pair)
        self.memo[key] = found
        return found

    # -- the parts of one comparison --------------------------------------------------------

    def _compare(
        self, old: Target, new: Target, direction: str, path: str, found: list[Change], depth: int
    ) -> None:
        if depth > MAX_DEPTH or not isinstance(old.value, dict) or not isinstance(new.value, dict):
            return
        here = path or "the value"
        o, n = old.value, new.value

        def add(
            suffix: str, message: str, old_at: str | Target = "", new_at: str | Target = ""
        ) -> None:
            """A change; each place a suffix of the schema's pointer, or a node itself."""
            found.append(
                Change(
                    f"{direction}-{suffix}",
                    message,
                    place_of(old_at) if isinstance(old_at, Target) else _at(old, old_at),
                    place_of(new_at) if isinstance(new_at, Target) else _at(new, new_at),
                )
            )

        self._types(o, n, add, here)
        self._enums(o, n, add, here)
        for suffix, keyword, narrower in _BOUNDS:
            before, after = o.get(keyword), n.get(keyword)
            if _number(before) and _number(after) and before != after:
                up = after > before
                word = "increased" if up else "decreased"
                add(
                    f"{suffix}-{word}",
                    f"{here}: {keyword} {before} → {after}",
                    f"/{keyword}",
                    f"/{keyword}",
                )
            elif _number(after) and before is None:
                add(
                    f"{suffix}-{'increased' if narrower == 'up' else 'decreased'}",
                    f"{here}: {keyword} {after} now",
                    "",
                    f"/{keyword}",
                )
            elif _number(before) and after is None:
                add(
                    f"{suffix}-{'decreased' if narrower == 'up' else 'increased'}",
                    f"{here}: {keyword} {before} no more",
                    f"/{keyword}",
                    "",
                )
        if o.get("multipleOf") != n.get("multipleOf") and _number(n.get("multipleOf")):
            add(
                "multiple-of-changed",
                f"{here}: multipleOf {o.get('multipleOf')} → {n.get('multipleOf')}",
                "",
                "/multipleOf",
            )
        self._strings(o, n, add, here)
        if "default" in o and "default" in n and o["default"] != n["default"]:
            add(
                "default-changed",
                f"{here}: default {_show(o['default'])} → {_show(n['default'])}",
                "/default",
                "/default",
            )
        if n.get("additionalProperties") is False and o.get("additionalProperties") is not False:
            add(
                "additional-properties-forbidden",
                f"{here}: other properties are refused now",
                "",
                "/additionalProperties",
            )
        if o.get("additionalProperties") is False and n.get("additionalProperties") is not False:
            add(
                "additional-properties-allowed",
                f"{here}: other properties are allowed now",
                "/additionalProperties",
                "",
            )
        self._branches(old, new, add, here, direction, path, found, depth)
        self._properties(old, new, add, direction, path, found, depth)
        if isinstance(o.get("items"), dict) and isinstance(n.get("items"), dict):
            found += self.compare(child(old, "items"), child(new, "items"), direction, f"{path}[]")

    def _types(self, o: dict, n: dict, add: Callable, here: str) -> None:
        before, after = declared_types(o), declared_types(n)
        if "const" in o and "const" in n and o["const"] != n["const"]:
            add(
                "const-changed",
                f"{here}: {_show(o['const'])} → {_show(n['const'])}",
                "/const",
                "/const",
            )
        if before is None or after is None:
            return
        if "null" in after and "null" not in before:
            add("became-nullable", f"{here} may be null now", "", "/type" if "type" in n else "")
        if "null" in before and "null" not in after:
            add("became-not-nullable", f"{here} may not be null now", "/type", "/type")
        b, a = widened(before - {"null"}), widened(after - {"null"})
        if not b or not a or b == a:
            return
        words = f"{here}: {' or '.join(sorted(before - {'null'}))} → " + " or ".join(
            sorted(after - {"null"})
        )
        if b < a:
            add("type-widened", words, "/type", "/type")
        elif a < b:
            add("type-narrowed", words, "/type", "/type")
        else:
            add("type-changed", words, "/type", "/type")

    def _enums(self, o: dict, n: dict, add: Callable, here: str) -> None:
        before, after = o.get("enum"), n.get("enum")
        if isinstance(before, list) and isinstance(after, list):
            old_values = {_key(v): v for v in before}
            new_values = {_key(v): v for v in after}
            for key, value in old_values.items():
                if key not in new_values:
                    index = before.index(value)
                    add(
                        "enum-value-removed",
                        f"{here}: {_show(value)} is no longer allowed",
                        f"/enum/{index}",
                        "/enum",
                    )
            for key, value in new_values.items():
                if key not in old_values:
                    index = after.index(value)
                    add(
                        "enum-value-added",
                        f"{here}: {_show(value)} is a new value",
                        "/enum",
                        f"/enum/{index}",
                    )
        elif isinstance(after, list):
            add("enum-added", f"{here}: one of {len(after)} values now", "", "/enum")
        elif isinstance(before, list):
            add("enum-removed", f"{here}: no longer limited to {len(before)} values", "/enum", "")

    def _strings(self, o: dict, n: dict, add: Callable, here: str) -> None:
        for keyword, rule in (("pattern", "pattern"), ("format", "format")):
            before, after = o.get(keyword), n.get(keyword)
            if before == after:
                continue
            if isinstance(after, str) and before is None:
                add(f"{rule}-added", f"{here}: {keyword} {after!r} now", "", f"/{keyword}")
            elif isinstance(before, str) and after is None:
                add(f"{rule}-removed", f"{here}: {keyword} {before!r} no more", f"/{keyword}", "")
            elif isinstance(before, str) and isinstance(after, str):
                add(
                    f"{rule}-changed",
                    f"{here}: {keyword} {before!r} → {after!r}",
                    f"/{keyword}",
                    f"/{keyword}",
                )

    def _branches(
        self,
        old: Target,
        new: Target,
        add: Callable,
        here: str,
        direction: str,
        path: str,
        found: list[Change],
        depth: int,
    ) -> None:
        for keyword, rule in (
            ("oneOf", "one-of-branch"),
            ("anyOf", "any-of-branch"),
            ("allOf", "all-of-part"),
        ):
            before, after = old.value.get(keyword), new.value.get(keyword)
            if not isinstance(before, list) and not isinstance(after, list):
                continue
            before = before if isinstance(before, list) else []
            after = after if isinstance(after, list) else []
            old_keys = [_branch_key(b, i) for i, b in enumerate(before)]
            new_keys = [_branch_key(b, i) for i, b in enumerate(after)]
            word = "part" if keyword == "allOf" else "branch"
            for index, key in enumerate(old_keys):
                if key not in new_keys:
                    add(
                        f"{rule}-removed",
                        f"{here}: {keyword} {word} {_name(before[index], index)} is gone",
                        f"/{keyword}/{index}",
                        f"/{keyword}" if after else "",
                    )
            for index, key in enumerate(new_keys):
                if key not in old_keys:
                    add(
                        f"{rule}-added",
                        f"{here}: {keyword} {word} {_name(after[index], index)} is new",
                        f"/{keyword}" if before else "",
                        f"/{keyword}/{index}",
                    )
                elif keyword != "allOf":
                    index_old = old_keys.index(key)
                    found += self.compare(
                        child(old, keyword, index_old),
                        child(new, keyword, index),
                        direction,
                        path,
                    )

    def _properties(
        self,
        old: Target,
        new: Target,
        add: Callable,
        direction: str,
        path: str,
        found: list[Change],
        depth: int,
    ) -> None:
        old_props, old_required = self._object(old, self.old_ws, 0)
        new_props, new_required = self._object(new, self.new_ws, 0)
        for name, before in old_props.items():
            field_path = f"{path}.{name}" if path else name
            after = new_props.get(name)
            if after is None:
                resolved = self.old_ws.deref(before)
                deprecated = (
                    resolved is not None
                    and isinstance(resolved.value, dict)
                    and (resolved.value.get("deprecated") is True)
                )
                rule = "property-removed-after-deprecation" if deprecated else "property-removed"
                add(
                    rule,
                    f"{field_path} is gone" + (" (it was deprecated)" if deprecated else ""),
                    before,
                    "",
                )
                continue
            required_before, required_after = name in old_required, name in new_required
            if required_after and not required_before:
                add(
                    "property-became-required",
                    f"{field_path} is required now",
                    before,
                    after,
                )
            if required_before and not required_after:
                add(
                    "property-became-optional",
                    f"{field_path} is optional now",
                    before,
                    after,
                )
            b, a = self.old_ws.deref(before), self.new_ws.deref(after)
            if (
                b is not None
                and a is not None
                and isinstance(b.value, dict)
                and isinstance(a.value, dict)
            ):
                for flag, rule in (("readOnly", "read-only"), ("writeOnly", "write-only")):
                    if a.value.get(flag) is True and b.value.get(flag) is not True:
                        add(
                            f"property-became-{rule}",
                            f"{field_path} is {flag} now",
                            before,
                            after,
                        )
            found += self.compare(before, after, direction, field_path)
        for name, after in new_props.items():
            if name in old_props:
                continue
            field_path = f"{path}.{name}" if path else name
            resolved = self.new_ws.deref(after)
            read_only = (
                isinstance(resolved.value, dict) and resolved.value.get("readOnly") is True
                if resolved
                else False
            )
            if name in new_required and not (direction == "request" and read_only):
                add(
                    "property-added-required",
                    f"{field_path} is new and required",
                    "",
                    after,
                )
            else:
                add("property-added", f"{field_path} is new", "", after)

    def _object(
        self, target: Target, workspace: Workspace, depth: int
    ) -> tuple[dict[str, Target], set[str]]:
        """The properties of a schema and of its allOf parts, and the names required."""
        target = workspace.deref(target)
        if target is None or not isinstance(target.value, dict) or depth > MAX_DEPTH:
            return {}, set()
        properties: dict[str, Target] = {}
        required = {r for r in target.value.get("required") or [] if isinstance(r, str)}
        declared = target.value.get("properties")
        for name, value in declared.items() if isinstance(declared, dict) else []:
            properties[str(name)] = Target(
                target.document, f"{target.pointer}/properties/{pointers.escape(name)}", value
            )
        parts = target.value.get("allOf")
        for index, _ in enumerate(parts if isinstance(parts, list) else []):
            more, also = self._object(child(target, "allOf", index), workspace, depth + 1)
            for name, value in more.items():
                properties.setdefault(name, value)
            required |= also
        return properties, required


def _at(target: Target, suffix: str) -> Place | None:
    if suffix is None:
        return None
    return place_of(Target(target.document, target.pointer + suffix, None))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return f"`{text if len(text) <= 60 else text[:57] + '...'}`"


def _branch_key(branch: Any, index: int) -> str:
    if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
        return branch["$ref"].rsplit("/", 1)[-1]
    if isinstance(branch, dict) and isinstance(branch.get("title"), str):
        return "title:" + branch["title"]
    return f"#{index}"  # an inline branch without a name: by its place


def _name(branch: Any, index: int) -> str:
    if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
        return f"`{branch['$ref'].rsplit('/', 1)[-1]}`"
    if isinstance(branch, dict) and isinstance(branch.get("title"), str):
        return f"`{branch['title']}`"
    return f"{index + 1}"
