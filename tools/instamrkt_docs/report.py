"""Print findings for people (grouped by file) and for machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

from instamrkt_docs.escaping import terminal
from instamrkt_docs.findings import Finding, Level


def summary(findings: Sequence[Finding], checked: Sequence[str]) -> str:
    """One line: how many errors and warnings in how many files."""
    errors = sum(f.level is Level.ERROR for f in findings)
    warnings = len(findings) - errors
    files = len({f.file for f in findings})
    specs = f"{len(checked)} spec{'s' if len(checked) != 1 else ''}"
    if not findings:
        return f"{specs} checked: no problems found"
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''} ({specs} checked)"


def as_text(findings: Sequence[Finding], checked: Sequence[str]) -> str:
    """`file:line:column  json-pointer  message`, grouped by file, then the summary."""
    blocks = []
    for _file, group in groupby(findings, key=lambda f: f.file):
        lines = []
        for f in group:
            level = "" if f.level is Level.ERROR else f"{f.level}: "
            line = f"{f.location()}  {f.pointer or '/'}  {level}{f.message}"
            lines.append(terminal(line))  # a spec's names may hold escapes and line breaks
        blocks.append("\n".join(lines))
    blocks.append(summary(findings, checked))
    return "\n\n".join(blocks) + "\n"


def as_json(findings: Sequence[Finding], checked: Sequence[str]) -> str:
    """Every finding as JSON, with the summary."""
    errors = sum(f.level is Level.ERROR for f in findings)
    document = {
        "checked": list(checked),
        "findings": [f.as_dict() for f in findings],
        "errors": errors,
        "warnings": len(findings) - errors,
        "summary": summary(findings, checked),
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"  # no raw control text
