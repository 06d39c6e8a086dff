"""Diff stage: what changed between two versions of the specs, and whom it breaks.

Specs are matched by their place in each side (or, one of a kind each, by their kind);
OpenAPI and AsyncAPI documents are compared rule by rule (`rules.py`), scenarios are
checked against the new specs. Each change has a stable rule id, a level, and its place on
both sides; a project's config may silence or re-level a rule.
"""

from __future__ import annotations

import re
from dataclasses import replace

from instamrkt_docs.diff import report
from instamrkt_docs.diff.asyncapi import AsyncApiDiff
from instamrkt_docs.diff.changes import Change, Place
from instamrkt_docs.diff.config import Config
from instamrkt_docs.diff.openapi import OpenApiDiff
from instamrkt_docs.diff.rules import LEVELS, RULES
from instamrkt_docs.diff.sides import Side, side
from instamrkt_docs.load import Document

__all__ = ["LEVELS", "RULES", "Change", "Config", "compare", "report", "side"]


def _pairs(old: Side, new: Side) -> tuple[list[tuple[Document, Document]], list[Change]]:
    """Matched documents, and the specs only one side has."""
    pairs, changes = [], []
    old_docs, new_docs = dict(old.documents), dict(new.documents)
    for key in list(old_docs):
        if key in new_docs:
            pairs.append((old_docs.pop(key), new_docs.pop(key)))
    for kind in ("openapi", "asyncapi"):  # renamed: one of a kind left on each side
        left = [k for k, d in old_docs.items() if d.kind == kind]
        right = [k for k, d in new_docs.items() if d.kind == kind]
        if len(left) == 1 and len(right) == 1:
            pairs.append((old_docs.pop(left[0]), new_docs.pop(right[0])))
    for key, document in old_docs.items():
        if document.kind != "arazzo":
            changes.append(
                Change("spec-removed", f"{key} is gone", Place(document.display, ""), None)
            )
    for key, document in new_docs.items():
        if document.kind != "arazzo":
            changes.append(Change("spec-added", f"{key} is new", None, Place(document.display, "")))
    return pairs, changes


def compare(old: Side, new: Side, config: Config | None = None) -> list[Change]:
    """Every change from `old` to `new`, breaking first, placed and shown as each side's
    files are named."""
    pairs, changes = _pairs(old, new)
    for before, after in pairs:
        found: list[Change] = []
        if before.kind == "openapi" and after.kind == "openapi":
            found = OpenApiDiff(old.workspace, before, new.workspace, after).run()
        elif before.kind == "asyncapi" and after.kind == "asyncapi":
            found = AsyncApiDiff(old.workspace, before, new.workspace, after).run()
        if before.kind in ("openapi", "asyncapi"):
            found += _version(before, after, found)
        changes += found
    changes += _scenarios(old, new) + _scenario_inputs(old, new)
    changes = _placed(old, new, changes)
    if config is not None:
        changes = config.apply(changes)
    return sorted(changes, key=lambda c: (-c.rank, c.reaches[:1], c.rule, str(c.new or c.old)))


def _info_version(document: Document) -> str:
    data = document.data if isinstance(document.data, dict) else {}
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    return str(info.get("version", ""))


def _version(before: Document, after: Document, found: list[Change]) -> list[Change]:
    old_version, new_version = _info_version(before), _info_version(after)
    at_old = Place(before.display, "/info/version")
    at_new = Place(after.display, "/info/version")
    if old_version != new_version:
        return [
            Change("version-changed", f"info.version {old_version} → {new_version}", at_old, at_new)
        ]
    if any(change.level == "breaking" for change in found):
        return [
            Change(
                "version-not-bumped",
                f"breaking changes, and info.version is still {new_version}",
                at_old,
                at_new,
            )
        ]
    return []


_SOURCE = re.compile(r"^\$sourceDescriptions\.[^.]+\.")


def _ids(documents: dict[str, Document]) -> set[str]:
    """The operationIds of the OpenAPI and AsyncAPI documents of a side."""
    found: set[str] = set()
    for document in documents.values():
        data = document.data if isinstance(document.data, dict) else {}
        if document.kind == "openapi":
            for item in (data.get("paths") or {}).values():
                for operation in item.values() if isinstance(item, dict) else []:
                    if isinstance(operation, dict) and isinstance(
                        operation.get("operationId"), str
                    ):
                        found.add(operation["operationId"])
        elif document.kind == "asyncapi":
            found |= {str(k) for k in data.get("operations") or {}}
            for channel in (data.get("channels") or {}).values():
                for action in ("publish", "subscribe"):
                    op = channel.get(action) if isinstance(channel, dict) else None
                    if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                        found.add(op["operationId"])
    return found


def _scenarios(old: Side, new: Side) -> list[Change]:
    """Scenario steps that call what the new specs no longer have (but the old had)."""
    before, after = _ids(old.documents), _ids(new.documents)
    changes = []
    for document in new.documents.values():
        if document.kind != "arazzo":
            continue
        data = document.data if isinstance(document.data, dict) else {}
        for w, workflow in enumerate(data.get("workflows") or []):
            for s, step in enumerate(
                workflow.get("steps") or [] if isinstance(workflow, dict) else []
            ):
                if not isinstance(step, dict) or not isinstance(step.get("operationId"), str):
                    continue
                operation = _SOURCE.sub("", step["operationId"])
                if operation in before and operation not in after:
                    name = workflow.get("workflowId", w)
                    pointer = f"/workflows/{w}/steps/{s}/operationId"
                    changes.append(
                        Change(
                            "scenario-step-operation-missing",
                            f"scenario {name}, step {step.get('stepId', s)}: {operation} "
                            "no longer exists",
                            None,
                            Place(document.display, pointer),
                            [f"scenario {name}"],
                        )
                    )
    return changes


def _scenario_inputs(old: Side, new: Side) -> list[Change]:
    """Scenario steps whose request body the new specs refuse (the old took it)."""
    from instamrkt_docs.validate import arazzo, validate

    def refused(side: Side, keys: list[str]) -> dict[tuple[str, str, str], tuple[int, int]]:
        """(file, pointer, message) -> (line, column) of each refused body, every scenario
        of a side checked in one run."""
        documents = {side.documents[k].display: k for k in keys}
        if not documents:
            return {}
        paths = [side.documents[k].path for k in keys]
        found = validate(paths, ref_roots=[side.root]).findings
        return {
            (documents[f.file], f.pointer, f.message): (f.line, f.column)
            for f in found
            if f.rule == arazzo.RULE
            and "does not match its schema" in f.message
            and f.file in documents
        }

    new_keys = [k for k, d in new.documents.items() if d.kind == "arazzo"]
    if not new_keys:
        return []
    old_keys = [k for k in new_keys if k in old.documents and old.documents[k].kind == "arazzo"]
    known = refused(old, old_keys)
    changes = []
    for (key, pointer, message), (line, column) in refused(new, new_keys).items():
        if (key, pointer, message) not in known:
            place = Place(new.documents[key].display, pointer, line, column)
            changes.append(Change("scenario-step-inputs-invalid", message, None, place))
    return changes


def _placed(old: Side, new: Side, changes: list[Change]) -> list[Change]:
    """Changes with each place's line and column, and each file as its side shows it."""
    by_display = {}
    for current in (old, new):
        for document in current.workspace.documents.values():
            by_display[(id(current), document.display)] = document
    wanted: dict[tuple[int, str], set[str]] = {}
    for change in changes:
        for current, where in ((old, change.old), (new, change.new)):
            if where is not None:
                wanted.setdefault((id(current), where.file), set()).add(where.pointer)
    positions = {}
    for key, found in wanted.items():
        document = by_display.get(key)
        if document is not None:
            positions[key] = document.source.positions(sorted(found))
    placed = []
    for change in changes:
        updates = {}
        for name, current in (("old", old), ("new", new)):
            where = getattr(change, name)
            if where is None:
                continue
            line, column = positions.get((id(current), where.file), {}).get(where.pointer, (1, 1))
            updates[name] = replace(where, line=line, column=column, file=current.show(where.file))
        placed.append(replace(change, **updates))
    return placed
