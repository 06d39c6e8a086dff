"""Two versions of an AsyncAPI document (2.x or 3.0) compared: channels, operations,
their messages and replies, payloads and headers in the direction each message flows,
correlation ids, bindings and servers."""

from __future__ import annotations

import json
from typing import Any

from instamrkt_docs.diff.changes import Change, child
from instamrkt_docs.diff.documents import DocumentDiff, entries, top
from instamrkt_docs.load import Document, Target, Workspace, pointers


class AsyncApiDiff(DocumentDiff):
    """Compares the old and new root documents of one AsyncAPI spec."""

    def run(self) -> list[Change]:
        self._channels()
        before = self._operations(self.old_ws, self.old)
        after = self._operations(self.new_ws, self.new)
        for key, op in before.items():
            if key not in after:
                self._add(
                    "async-operation-removed", f"operation {key} is gone", op["at"], None, key
                )
        for key, op in after.items():
            if key not in before:
                self._add("async-operation-added", f"operation {key} is new", None, op["at"], key)
            else:
                self._operation(before[key], op, key)
        self._servers()
        return list(self.out.changes.values())

    # -- channels ------------------------------------------------------------------------

    def _channels(self) -> None:
        before = entries(self.old_ws, top(self.old, "channels"))
        after = entries(self.new_ws, top(self.new, "channels"))
        for key, channel in before.items():
            if key not in after:
                self._add("channel-removed", f"channel {key} is gone", channel, None, key)
                continue
            new = after[key]
            address_b, address_a = _address(key, channel.value), _address(key, new.value)
            if address_b != address_a:
                self._add(
                    "channel-address-changed",
                    f"channel {key}: address {address_b} → {address_a}",
                    child(channel, "address"),
                    child(new, "address"),
                    key,
                )
            params_b = set(_params(channel.value)) | set(_braces(address_b))
            params_a = set(_params(new.value)) | set(_braces(address_a))
            for name in sorted(params_a - params_b):
                self._add(
                    "channel-parameter-added",
                    f"channel {key}: parameter {name} is new",
                    channel,
                    new,
                    key,
                )
            for name in sorted(params_b - params_a):
                self._add(
                    "channel-parameter-removed",
                    f"channel {key}: parameter {name} is gone",
                    channel,
                    new,
                    key,
                )
            if _dump(channel.value.get("bindings")) != _dump(new.value.get("bindings")):
                self._add(
                    "channel-binding-changed",
                    f"channel {key}: its bindings changed",
                    child(channel, "bindings"),
                    child(new, "bindings"),
                    key,
                )
        for key, channel in after.items():
            if key not in before:
                self._add("channel-added", f"channel {key} is new", None, channel, key)

    # -- operations ------------------------------------------------------------------------

    def _operations(self, ws: Workspace, root: Document) -> dict[str, dict[str, Any]]:
        """Operations by id: where, action, channel, messages (name -> (target, direction)),
        replies likewise."""
        data = root.data if isinstance(root.data, dict) else {}
        found: dict[str, dict[str, Any]] = {}
        if str(data.get("asyncapi", "")).startswith("2"):
            for address, raw in (data.get("channels") or {}).items():
                channel = ws.deref(Target(root, f"/channels/{pointers.escape(address)}", raw))
                if channel is None or not isinstance(channel.value, dict):
                    continue
                for action, direction in (("publish", "request"), ("subscribe", "response")):
                    if not isinstance(channel.value.get(action), dict):
                        continue
                    op = child(channel, action)
                    key = str(op.value.get("operationId") or f"{action} {address}")
                    found[key] = {
                        "at": op,
                        "action": action,
                        "channel": str(address),
                        "messages": self._messages(ws, child(op, "message"), direction),
                        "replies": {},
                    }
            return found
        operations = data.get("operations")
        for key, raw in operations.items() if isinstance(operations, dict) else []:
            op = ws.deref(Target(root, f"/operations/{pointers.escape(key)}", raw))
            if op is None or not isinstance(op.value, dict):
                continue
            action = str(op.value.get("action"))
            direction = "request" if action == "receive" else "response"
            channel = op.value.get("channel")
            channel_ref = channel.get("$ref", "") if isinstance(channel, dict) else ""
            messages = {}
            listed = op.value.get("messages")
            if isinstance(listed, list) and listed:
                for index, _ in enumerate(listed):
                    messages.update(self._messages(ws, child(op, "messages", index), direction))
            else:
                resolved = ws.deref(child(op, "channel"))
                if resolved is not None and isinstance(resolved.value, dict):
                    for name in resolved.value.get("messages") or {}:
                        messages.update(
                            self._messages(
                                ws, child(resolved, "messages", name), direction, str(name)
                            )
                        )
            replies = {}
            reply = ws.deref(child(op, "reply")) if "reply" in op.value else None
            back = "response" if direction == "request" else "request"
            if reply is not None and isinstance(reply.value, dict):
                listed = reply.value.get("messages")
                for index, _ in enumerate(listed if isinstance(listed, list) else []):
                    replies.update(self._messages(ws, child(reply, "messages", index), back))
                if not replies:
                    reply_channel = ws.deref(child(reply, "channel"))
                    if reply_channel is not None and isinstance(reply_channel.value, dict):
                        for name in reply_channel.value.get("messages") or {}:
                            replies.update(
                                self._messages(
                                    ws, child(reply_channel, "messages", name), back, str(name)
                                )
                            )
                replies = replies or {"(reply)": (reply, back)}
            found[str(key)] = {
                "at": op,
                "action": action,
                "channel": channel_ref,
                "messages": messages,
                "replies": replies,
            }
        return found

    def _messages(
        self, ws: Workspace, holder: Target, direction: str, name: str = ""
    ) -> dict[str, tuple[Target, str]]:
        """A message (or a 2.x oneOf of messages) by name, with its direction."""
        message = ws.deref(holder)
        if message is None or not isinstance(message.value, dict):
            return {}
        if isinstance(message.value.get("oneOf"), list):
            found = {}
            for index, _ in enumerate(message.value["oneOf"]):
                found.update(self._messages(ws, child(message, "oneOf", index), direction))
            return found
        ref = holder.value.get("$ref") if isinstance(holder.value, dict) else None
        label = str(
            message.value.get("name")
            or name
            or (ref.rsplit("/", 1)[-1] if isinstance(ref, str) else holder.pointer)
        )
        return {label: (message, direction)}

    def _security(self, old: Target, new: Target, key: str) -> None:
        """Security an operation (AsyncAPI 3) requires, by scheme name."""
        before, after = _scheme_names(self.old_ws, old), _scheme_names(self.new_ws, new)
        for name in sorted(after - before):
            self._add("async-security-requirement-added", f"operation {key} needs {name} now",
                      old, child(new, "security"), key)  # fmt: skip
        for name in sorted(before - after):
            message = f"operation {key} no longer needs {name}"
            self._add(
                "async-security-requirement-removed", message, child(old, "security"), new, key
            )

    def _operation(self, old: dict[str, Any], new: dict[str, Any], key: str) -> None:
        self._security(old["at"], new["at"], key)
        if old["action"] != new["action"]:
            self._add(
                "async-operation-action-changed",
                f"operation {key}: {old['action']} → {new['action']}",
                child(old["at"], "action"),
                child(new["at"], "action"),
                key,
            )
        if old["channel"] and new["channel"] and old["channel"] != new["channel"]:
            self._add(
                "async-operation-channel-changed",
                f"operation {key}: channel {old['channel']} → {new['channel']}",
                child(old["at"], "channel"),
                child(new["at"], "channel"),
                key,
            )
        self._message_sets(old["messages"], new["messages"], old["at"], new["at"], key)
        if old["replies"] and not new["replies"]:
            self._add(
                "async-reply-removed",
                f"operation {key} no longer replies",
                child(old["at"], "reply"),
                new["at"],
                key,
            )
        elif new["replies"] and not old["replies"]:
            self._add(
                "async-reply-added",
                f"operation {key} replies now",
                old["at"],
                child(new["at"], "reply"),
                key,
            )
        else:
            self._message_sets(old["replies"], new["replies"], old["at"], new["at"], key)

    def _message_sets(
        self, before: dict, after: dict, old_at: Target, new_at: Target, key: str
    ) -> None:
        for name, (message, _) in before.items():
            if name not in after:
                self._add(
                    "message-removed",
                    f"operation {key}: message {name} is gone",
                    message,
                    new_at,
                    key,
                )
        for name, (message, direction) in after.items():
            if name not in before:
                rule = "message-added" if direction == "request" else "message-added-received"
                self._add(rule, f"operation {key}: message {name} is new", old_at, message, key)
                continue
            old_message = before[name][0]
            self._message(old_message, message, direction, f"{key} {name}", key)

    def _message(self, old: Target, new: Target, direction: str, label: str, reach: str) -> None:
        o, n = old.value, new.value
        for change in self.schemas.compare(
            child(old, "payload"), child(new, "payload"), direction, ""
        ):
            self.out.add(
                Change(change.rule, f"{label}: {change.message}", change.old, change.new), reach
            )
        for change in self.schemas.compare(
            child(old, "headers"), child(new, "headers"), direction, "headers"
        ):
            self.out.add(
                Change(change.rule, f"{label}: {change.message}", change.old, change.new), reach
            )
        cid_b = (
            self._location(self.old_ws, child(old, "correlationId"))
            if "correlationId" in o
            else None
        )
        cid_a = (
            self._location(self.new_ws, child(new, "correlationId"))
            if "correlationId" in n
            else None
        )
        if cid_b and not cid_a:
            self._add(
                "message-correlation-id-removed",
                f"{label}: no correlation id now",
                child(old, "correlationId"),
                new,
                reach,
            )
        elif cid_b and cid_a and cid_b != cid_a:
            self._add(
                "message-correlation-id-changed",
                f"{label}: correlation id {cid_b} → {cid_a}",
                child(old, "correlationId"),
                child(new, "correlationId"),
                reach,
            )
        if "contentType" in o and "contentType" in n and o["contentType"] != n["contentType"]:
            self._add(
                "message-content-type-changed",
                f"{label}: content type {o['contentType']} → {n['contentType']}",
                child(old, "contentType"),
                child(new, "contentType"),
                reach,
            )

    def _location(self, ws: Workspace, holder: Target) -> str | None:
        target = ws.deref(holder)
        if target is None or not isinstance(target.value, dict):
            return None
        location = target.value.get("location")
        return str(location) if isinstance(location, str) else None

    # -- servers ---------------------------------------------------------------------------

    def _servers(self) -> None:
        before = entries(self.old_ws, top(self.old, "servers"))
        after = entries(self.new_ws, top(self.new, "servers"))
        for name, server in before.items():
            if name not in after:
                self._add("async-server-removed", f"server {name} is gone", server, None, "")
            elif str(server.value.get("protocol")) != str(after[name].value.get("protocol")):
                self._add(
                    "async-server-protocol-changed",
                    f"server {name}: {server.value.get('protocol')} → "
                    f"{after[name].value.get('protocol')}",
                    child(server, "protocol"),
                    child(after[name], "protocol"),
                    "",
                )
        for name, server in after.items():
            if name not in before:
                self._add("async-server-added", f"server {name} is new", None, server, "")


def _scheme_names(ws: Workspace, operation: Target) -> set[str]:
    """The names of the security schemes an operation lists (by `$ref` or, 2.x, by key)."""
    found = set()
    listed = operation.value.get("security") if isinstance(operation.value, dict) else None
    for index, item in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(item, dict) and isinstance(item.get("$ref"), str):
            found.add(item["$ref"].rsplit("/", 1)[-1])
        elif isinstance(item, dict):
            found |= {str(k) for k in item}
        else:
            target = ws.deref(child(operation, "security", index))
            if target is not None and isinstance(target.value, dict):
                found.add(str(target.value.get("type", index)))
    return found


def _address(key: str, channel: dict) -> str:
    address = channel.get("address")
    return str(address) if isinstance(address, str) else key


def _params(channel: dict) -> list[str]:
    params = channel.get("parameters")
    return [str(k) for k in params] if isinstance(params, dict) else []


def _braces(address: str) -> list[str]:
    import re

    return re.findall(r"\{([^{}]+)\}", address)


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
