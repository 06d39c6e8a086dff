"""Two versions of an OpenAPI document compared: operations, parameters, bodies,
responses, security and servers (schemas in `schemas.py`)."""

from __future__ import annotations

import datetime as dt
import re

from instamrkt_docs.diff.changes import Change, child
from instamrkt_docs.diff.documents import DocumentDiff, entries, top
from instamrkt_docs.load import Document, Target, Workspace, pointers

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# x-stability-level (and x-stability) from least to most stable
STABILITY = ("experimental", "alpha", "beta", "preview", "stable", "ga", "general-availability")


class OpenApiDiff(DocumentDiff):
    """Compares the old and new root documents of one OpenAPI spec."""

    def run(self) -> list[Change]:
        old_ops = self._operations(self.old_ws, self.old)
        new_ops = self._operations(self.new_ws, self.new)
        for key, (old_op, _, label, section) in old_ops.items():
            if key not in new_ops:
                self._removed(old_op, label, section)
        for key, (new_op, new_item, label, section) in new_ops.items():
            if key not in old_ops:
                rule = "webhook-added" if section == "webhooks" else "operation-added"
                self._add(rule, f"{label} is new", None, new_op, label)
                continue
            old_op, old_item = old_ops[key][:2]
            self._operation(old_op, new_op, label, section, (old_item, new_item))
        self._servers()
        self._schemes()
        self._named_schemas()
        return list(self.out.changes.values())

    # -- helpers -------------------------------------------------------------------------

    def _operations(
        self, ws: Workspace, root: Document
    ) -> dict[tuple, tuple[Target, Target, str, str]]:
        """(operation, its path item, label, section) by (section, path with its parameters
        unnamed, method)."""
        found = {}
        data = root.data if isinstance(root.data, dict) else {}
        for section in ("paths", "webhooks"):
            items = data.get(section)
            for path, raw in items.items() if isinstance(items, dict) else []:
                item = ws.deref(Target(root, f"/{section}/{pointers.escape(path)}", raw))
                if item is None or not isinstance(item.value, dict):
                    continue
                for method in METHODS:
                    if isinstance(item.value.get(method), dict):
                        operation = child(item, method)
                        shape = re.sub(r"\{[^}]*\}", "{}", str(path))
                        label = (
                            f"{method.upper()} {path}" if section == "paths" else f"webhook {path}"
                        )
                        found[(section, shape, method)] = (operation, item, label, section)
        return found

    def _removed(self, op: Target, label: str, section: str) -> None:
        if section == "webhooks":
            self._add("webhook-removed", f"{label} is gone", op, None, label)
            return
        value = op.value
        sunset = value.get("x-sunset")
        if value.get("deprecated") is True:
            if isinstance(sunset, (str, dt.date)) and str(sunset) > dt.date.today().isoformat():
                self._add(
                    "operation-removed-before-sunset",
                    f"{label} is gone before its sunset ({sunset})",
                    op,
                    None,
                    label,
                )
            else:
                self._add(
                    "operation-removed-after-deprecation",
                    f"{label} is gone (it was deprecated)",
                    op,
                    None,
                    label,
                )
        else:
            self._add(
                "operation-removed",
                f"{label} is gone, without being deprecated first",
                op,
                None,
                label,
            )

    def _operation(
        self, old: Target, new: Target, label: str, section: str, items: tuple[Target, Target]
    ) -> None:
        o, n = old.value, new.value
        if n.get("deprecated") is True and o.get("deprecated") is not True:
            self._add(
                "operation-deprecated",
                f"{label} is deprecated now",
                old,
                child(new, "deprecated"),
                label,
            )
        if o.get("deprecated") is True and n.get("deprecated") is not True:
            self._add(
                "operation-undeprecated",
                f"{label} is no longer deprecated",
                child(old, "deprecated"),
                new,
                label,
            )
        if (
            isinstance(o.get("operationId"), str)
            and isinstance(n.get("operationId"), str)
            and o["operationId"] != n["operationId"]
        ):
            self._add(
                "operation-id-changed",
                f"{label}: operationId {o['operationId']!r} → {n['operationId']!r}",
                child(old, "operationId"),
                child(new, "operationId"),
                label,
            )
        if "x-sunset" in n and "x-sunset" not in o:
            self._add(
                "operation-sunset-added",
                f"{label}: sunset {n['x-sunset']}",
                old,
                child(new, "x-sunset"),
                label,
            )
        before, after = _stability(o), _stability(n)
        if before is not None and after is not None and after < before:
            key = "x-stability-level" if "x-stability-level" in n else "x-stability"
            self._add(
                "operation-stability-decreased",
                f"{label}: stability {STABILITY[before]} → {STABILITY[after]}",
                child(old, key),
                child(new, key),
                label,
            )
        # a webhook's request is what the API sends: the client receives it
        sends = "response" if section == "webhooks" else "request"
        self._parameters(old, new, label, items)
        self._body(old, new, label, sends)
        self._responses(old, new, label, "request" if sends == "response" else "response")
        self._security(old, new, label)

    # -- parameters ------------------------------------------------------------------------

    def _params(self, ws: Workspace, item: Target, op: Target) -> dict[tuple[str, str], Target]:
        """An operation's parameters by (name, in): its path item's, then its own."""
        found: dict[tuple[str, str], Target] = {}
        for holder in (item, op):
            raw = (
                holder.value.get("parameters")
                if holder is not None and isinstance(holder.value, dict)
                else None
            )
            for index, value in enumerate(raw if isinstance(raw, list) else []):
                param = ws.deref(
                    Target(holder.document, f"{holder.pointer}/parameters/{index}", value)
                )
                if param is not None and isinstance(param.value, dict) and "name" in param.value:
                    found[(str(param.value["name"]), str(param.value.get("in")))] = param
        return found

    def _parameters(
        self, old: Target, new: Target, label: str, items: tuple[Target, Target]
    ) -> None:
        before = self._params(self.old_ws, items[0], old)
        after = self._params(self.new_ws, items[1], new)
        moved = set()
        for (name, where), param in before.items():
            if (name, where) in after:
                continue
            elsewhere = next((k for k in after if k[0] == name and k not in before), None)
            if elsewhere is not None:
                moved.add(elsewhere)
                self._add(
                    "request-parameter-location-changed",
                    f"{label}: parameter {name!r} moved from {where} to {elsewhere[1]}",
                    param,
                    after[elsewhere],
                    label,
                )
            else:
                self._add(
                    "request-parameter-removed",
                    f"{label}: {where} parameter {name!r} is gone",
                    param,
                    new,
                    label,
                )
        for (name, where), param in after.items():
            if (name, where) in before or (name, where) in moved:
                continue
            required = param.value.get("required") is True or where == "path"
            rule = "request-parameter-added-required" if required else "request-parameter-added"
            self._add(
                rule,
                f"{label}: {where} parameter {name!r} is new" + (", required" if required else ""),
                old,
                param,
                label,
            )
        for key in before.keys() & after.keys():
            b, a = before[key], after[key]
            name, where = key
            req_b = b.value.get("required") is True or where == "path"
            req_a = a.value.get("required") is True or where == "path"
            if req_a and not req_b:
                self._add(
                    "request-parameter-became-required",
                    f"{label}: {where} parameter {name!r} is required now",
                    b,
                    child(a, "required"),
                    label,
                )
            if req_b and not req_a:
                self._add(
                    "request-parameter-became-optional",
                    f"{label}: {where} parameter {name!r} is optional now",
                    b,
                    a,
                    label,
                )
            default_style = {"query": "form", "cookie": "form"}.get(where, "simple")
            style_b, style_a = (
                b.value.get("style", default_style),
                a.value.get("style", default_style),
            )
            if style_b != style_a:
                self._add(
                    "request-parameter-style-changed",
                    f"{label}: parameter {name!r} style {style_b} → {style_a}",
                    b,
                    a,
                    label,
                )
            explode_b = b.value.get("explode", style_b == "form")
            explode_a = a.value.get("explode", style_a == "form")
            if explode_b != explode_a:
                self._add(
                    "request-parameter-explode-changed",
                    f"{label}: parameter {name!r} explode {explode_b} → {explode_a}",
                    b,
                    a,
                    label,
                )
            if a.value.get("deprecated") is True and b.value.get("deprecated") is not True:
                self._add(
                    "request-parameter-deprecated",
                    f"{label}: parameter {name!r} is deprecated now",
                    b,
                    child(a, "deprecated"),
                    label,
                )
            self._schema(_schema_of(b), _schema_of(a), "request", label, f"parameter {name}")

    # -- bodies and responses ----------------------------------------------------------------

    def _schema(
        self, old: Target | None, new: Target | None, direction: str, reach: str, path: str = ""
    ) -> None:
        for change in self.schemas.compare(old, new, direction, path):
            self.out.add(Change(change.rule, change.message, change.old, change.new), reach)

    def _content(
        self,
        old: Target | None,
        new: Target | None,
        label: str,
        direction: str,
        what: str,
    ) -> None:
        """Media types added and removed, and each one's schema compared."""
        before = _media(self.old_ws, old)
        after = _media(self.new_ws, new)
        side = "request" if what == "request body" else "response"
        for media, target in before.items():
            if media not in after:
                self._add(
                    f"{side}-media-type-removed",
                    f"{label}: {what} in {media} is gone",
                    target,
                    new,
                    label,
                )
        for media, target in after.items():
            if media not in before:
                self._add(
                    f"{side}-media-type-added",
                    f"{label}: {what} in {media} is new",
                    old,
                    target,
                    label,
                )
            else:
                self._schema(
                    child(before[media], "schema"),
                    child(after[media], "schema"),
                    direction,
                    label,
                )

    def _body(self, old: Target, new: Target, label: str, direction: str) -> None:
        before = (
            self.old_ws.deref(child(old, "requestBody")) if "requestBody" in old.value else None
        )
        after = self.new_ws.deref(child(new, "requestBody")) if "requestBody" in new.value else None
        req_b = (
            before is not None
            and isinstance(before.value, dict)
            and before.value.get("required") is True
        )
        req_a = (
            after is not None
            and isinstance(after.value, dict)
            and after.value.get("required") is True
        )
        if before is None and after is not None:
            rule = "request-body-added-required" if req_a else "request-body-added"
            self._add(
                rule,
                f"{label}: a request body is new" + (", required" if req_a else ""),
                old,
                after,
                label,
            )
        elif before is not None and after is None:
            self._add(
                "request-body-removed", f"{label}: the request body is gone", before, new, label
            )
        elif before is not None and after is not None:
            if req_a and not req_b:
                self._add(
                    "request-body-became-required",
                    f"{label}: the request body is required now",
                    before,
                    after,
                    label,
                )
            if req_b and not req_a:
                self._add(
                    "request-body-became-optional",
                    f"{label}: the request body is optional now",
                    before,
                    after,
                    label,
                )
            self._content(before, after, label, direction, "request body")

    def _responses(self, old: Target, new: Target, label: str, direction: str) -> None:
        before = entries(self.old_ws, child(old, "responses"))
        after = entries(self.new_ws, child(new, "responses"))
        for status, target in before.items():
            if status not in after:
                success = status[:1] == "2"
                rule = "response-success-status-removed" if success else "response-status-removed"
                self._add(
                    rule,
                    f"{label}: response {status} is gone",
                    target,
                    child(new, "responses"),
                    label,
                )
        for status, target in after.items():
            if status not in before:
                success = status[:1] == "2"
                rule = (
                    "response-success-status-added"
                    if success and any(s[:1] == "2" for s in before)
                    else "response-status-added"
                )
                self._add(
                    rule,
                    f"{label}: response {status} is new",
                    child(old, "responses"),
                    target,
                    label,
                )
                continue
            b, a = before[status], target
            self._content(b, a, label, direction, f"response {status}")
            self._headers(b, a, f"{label} {status}", label)

    def _headers(self, old: Target, new: Target, label: str, reach: str) -> None:
        before = entries(self.old_ws, child(old, "headers"), lower=True)
        after = entries(self.new_ws, child(new, "headers"), lower=True)
        for name, target in before.items():
            if name not in after:
                self._add(
                    "response-header-removed", f"{label}: header {name} is gone", target, new, reach
                )
            elif (
                target.value.get("required") is True
                and after[name].value.get("required") is not True
            ):
                self._add(
                    "response-header-became-optional",
                    f"{label}: header {name} may be absent now",
                    target,
                    after[name],
                    reach,
                )
            else:
                self._schema(
                    _schema_of(target), _schema_of(after[name]), "response", reach, f"header {name}"
                )
        for name, target in after.items():
            if name not in before:
                self._add(
                    "response-header-added", f"{label}: header {name} is new", old, target, reach
                )

    # -- security and servers ------------------------------------------------------------

    def _requirements(
        self, op: Target, root: Document
    ) -> tuple[Target | None, list[dict[str, list[str]]]]:
        if "security" in op.value:
            holder = child(op, "security")
        else:
            data = root.data if isinstance(root.data, dict) else {}
            holder = Target(root, "/security", data.get("security"))
        raw = holder.value if isinstance(holder.value, list) else []
        found = []
        for requirement in raw:
            if isinstance(requirement, dict):
                found.append(
                    {
                        str(k): sorted(str(s) for s in v or []) if isinstance(v, list) else []
                        for k, v in requirement.items()
                    }
                )
        return holder, found

    def _security(self, old: Target, new: Target, label: str) -> None:
        old_at, before = self._requirements(old, self.old)
        new_at, after = self._requirements(new, self.new)
        if before == after:
            return
        anonymous_b = not before or {} in before
        anonymous_a = not after or {} in after
        names_b = {name for r in before for name in r}
        names_a = {name for r in after for name in r}
        if anonymous_b and not anonymous_a:
            self._add(
                "security-requirement-added",
                f"{label} needs a credential now",
                old_at,
                new_at,
                label,
            )
        elif anonymous_a and not anonymous_b:
            self._add(
                "security-requirement-removed", f"{label} is public now", old_at, new_at, label
            )
        else:
            for name in sorted(names_a - names_b):
                if all(name in r for r in after):
                    self._add(
                        "security-requirement-added",
                        f"{label} needs {name} now",
                        old_at,
                        new_at,
                        label,
                    )
            for name in sorted(names_b - names_a):
                self._add(
                    "security-requirement-removed",
                    f"{label} no longer takes {name}",
                    old_at,
                    new_at,
                    label,
                )
        for name in sorted(names_a & names_b):
            scopes_b = {s for r in before for s in r.get(name, [])}
            scopes_a = {s for r in after if name in r for s in r[name]}
            for scope in sorted(scopes_a - scopes_b):
                self._add(
                    "security-scope-added",
                    f"{label} needs the scope {scope!r} of {name}",
                    old_at,
                    new_at,
                    label,
                )
            for scope in sorted(scopes_b - scopes_a):
                self._add(
                    "security-scope-removed",
                    f"{label} no longer needs the scope {scope!r} of {name}",
                    old_at,
                    new_at,
                    label,
                )

    def _schemes(self) -> None:
        before = entries(self.old_ws, top(self.old, "components", "securitySchemes"))
        after = entries(self.new_ws, top(self.new, "components", "securitySchemes"))
        for name, target in before.items():
            if name not in after:
                self._add(
                    "security-scheme-removed",
                    f"security scheme {name!r} is gone",
                    target,
                    top(self.new, "components", "securitySchemes"),
                    "",
                )
            else:
                keys = ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl")
                b = {k: target.value.get(k) for k in keys}
                a = {k: after[name].value.get(k) for k in keys}
                if b != a:
                    what = ", ".join(f"{k} {b[k]!r} → {a[k]!r}" for k in keys if b[k] != a[k])
                    self._add(
                        "security-scheme-changed",
                        f"security scheme {name!r}: {what}",
                        target,
                        after[name],
                        "",
                    )
        for name, target in after.items():
            if name not in before:
                self._add(
                    "security-scheme-added",
                    f"security scheme {name!r} is new",
                    top(self.old, "components", "securitySchemes"),
                    target,
                    "",
                )

    def _named_schemas(self) -> None:
        before = top(self.old, "components", "schemas")
        after = top(self.new, "components", "schemas")
        old_names = before.value if isinstance(before.value, dict) else {}
        new_names = after.value if isinstance(after.value, dict) else {}
        for name in old_names:
            if name not in new_names:
                self._add(
                    "schema-removed", f"schema {name!r} is gone", child(before, name), after, ""
                )
        for name in new_names:
            if name not in old_names:
                self._add("schema-added", f"schema {name!r} is new", before, child(after, name), "")

    def _servers(self) -> None:
        old_data = self.old.data if isinstance(self.old.data, dict) else {}
        new_data = self.new.data if isinstance(self.new.data, dict) else {}
        before = {
            str(s.get("url")): i
            for i, s in enumerate(old_data.get("servers") or [])
            if isinstance(s, dict)
        }
        after = {
            str(s.get("url")): i
            for i, s in enumerate(new_data.get("servers") or [])
            if isinstance(s, dict)
        }
        for url, index in before.items():
            if url not in after:
                self._add(
                    "server-removed",
                    f"server {url} is gone",
                    Target(self.old, f"/servers/{index}", None),
                    Target(self.new, "/servers", None),
                    "",
                )
        for url, index in after.items():
            if url not in before:
                self._add(
                    "server-added",
                    f"server {url} is new",
                    Target(self.old, "/servers", None),
                    Target(self.new, f"/servers/{index}", None),
                    "",
                )


def _media(ws: Workspace, holder: Target | None) -> dict[str, Target]:
    if holder is None or not isinstance(holder.value, dict):
        return {}
    return entries(ws, child(holder, "content"))


def _schema_of(param: Target) -> Target | None:
    if "schema" in param.value:
        return child(param, "schema")
    content = param.value.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content))
        return child(param, "content", media, "schema")
    return None


def _stability(operation: dict) -> int | None:
    value = operation.get("x-stability-level", operation.get("x-stability"))
    if isinstance(value, str) and value.lower() in STABILITY:
        return STABILITY.index(value.lower())
    return None
