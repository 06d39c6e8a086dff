"""A diff's changes written out: text (grouped by operation, breaking first), JSON (its
schema is `output.schema.json`), Markdown, JUnit XML, GitHub workflow annotations."""

from __future__ import annotations

import json
from collections import Counter
from xml.sax.saxutils import escape, quoteattr

from instamrkt_docs.diff.changes import Change
from instamrkt_docs.diff.rules import LEVELS, RULES
from instamrkt_docs.escaping import ci_log, ci_property, table_cell, terminal, xml_text

FORMATS = ("text", "json", "markdown", "junit", "github")


def summary(changes: list[Change]) -> dict[str, int]:
    counts = Counter(change.level for change in changes)
    return {level: counts.get(level, 0) for level in reversed(LEVELS)}


def _summary_line(changes: list[Change]) -> str:
    parts = [
        f"{n} {level}{'s' if level == 'warning' and n != 1 else ''}"
        for level, n in summary(changes).items()
    ]
    return ", ".join(parts) + (" change" if len(changes) == 1 else " changes")


def _group(change: Change) -> str:
    return change.reaches[0] if change.reaches else "the document"


def _groups(changes: list[Change]) -> dict[str, list[Change]]:
    found: dict[str, list[Change]] = {}
    for change in sorted(changes, key=lambda c: -c.rank):
        found.setdefault(_group(change), []).append(change)
    return dict(sorted(found.items(), key=lambda item: -max(c.rank for c in item[1])))


def short(change: Change) -> str:
    """A change's message without the operation it begins with, under that operation."""
    group = _group(change)
    return change.message.removeprefix(f"{group}: ") if change.reaches else change.message


def text(changes: list[Change]) -> str:
    if not changes:
        return "no changes\n"
    lines = []
    for group, members in _groups(changes).items():
        lines.append(group)
        for change in members:
            lines.append(f"  {change.level:<8}  {change.rule}: {short(change)}")
            if change.old:
                lines.append(f"            old: {change.old}")
            if change.new:
                lines.append(f"            new: {change.new}")
            if len(change.reaches) > 1:
                lines.append(f"            also: {', '.join(change.reaches[1:])}")
            if change.reason:
                lines.append(f"            ({change.reason})")
        lines.append("")
    lines.append(_summary_line(changes))
    return "\n".join(terminal(line) for line in lines) + "\n"  # spec text: no escapes


def as_json(changes: list[Change]) -> str:
    return (
        json.dumps(
            {"summary": summary(changes), "changes": [change.as_json() for change in changes]},
            indent=2,
            ensure_ascii=True,
        )
        + "\n"
    )


def _cell(value: str) -> str:
    return str(table_cell(value))


def markdown(changes: list[Change]) -> str:
    if not changes:
        return "No changes.\n"
    lines = [f"**{_summary_line(changes)}**", ""]
    for group, members in _groups(changes).items():
        lines += [f"### {_cell(group)}", "", "| Level | Rule | Change |", "|---|---|---|"]
        for change in members:
            lines.append(f"| {change.level} | `{change.rule}` | {_cell(short(change))} |")  # ours
        lines.append("")
    return "\n".join(lines)


def junit(changes: list[Change], fail_on: str) -> str:
    threshold = LEVELS.index(fail_on)
    failures = [c for c in changes if c.rank >= threshold]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="instamrkt-docs diff" tests="{len(changes)}" failures="{len(failures)}">',
    ]
    for change in changes:
        name = quoteattr(xml_text(f"{change.rule}: {change.message}"))
        lines.append(f"  <testcase classname={quoteattr(xml_text(_group(change)))} name={name}>")
        where = xml_text(
            "\n".join(
                f"{side}: {place}"
                for side, place in (("old", change.old), ("new", change.new))
                if place
            )
        )
        if change.rank >= threshold:
            kind = quoteattr(change.level)
            lines.append(f"    <failure type={kind} message={name}>{escape(where)}</failure>")
        else:
            lines.append(f"    <system-out>{escape(change.level + chr(10) + where)}</system-out>")
        lines.append("  </testcase>")
    lines.append("</testsuite>")
    return "\n".join(lines) + "\n"


_annotation_value = ci_log
_annotation_property = ci_property


def github(changes: list[Change]) -> str:
    """Workflow commands: an annotation on the new line of each change (the old one when
    the thing is gone)."""
    command = {"breaking": "error", "warning": "warning", "info": "notice"}
    lines = []
    for change in changes:
        place = change.new or change.old
        where = ""
        if place is not None and ":" not in place.file.split("/", 1)[0]:
            where = (
                f" file={_annotation_property(place.file)},line={place.line},col={place.column},"
            )
        title = f"title={_annotation_property(change.rule)}"
        lines.append(
            f"::{command[change.level]}{where or ' '}{title}::{_annotation_value(change.message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def rules_list() -> str:
    """Every rule: id, level, what it means, an example."""
    width = max(len(rule_id) for rule_id in RULES)
    lines = [
        f"{rule.id:<{width}}  {rule.level:<8}  {rule.summary}"
        + (f" (e.g. {rule.example})" if rule.example else "")
        for rule in sorted(RULES.values(), key=lambda r: r.id)
    ]
    return "\n".join(lines) + f"\n{len(RULES)} rules\n"
