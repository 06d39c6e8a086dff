"""Validate stage: specs against their official schemas, plus what those schemas miss.

`validate(paths)` reads every spec named (folders are searched for spec files), and returns
every finding at once: official schema errors, unresolvable or circular `$ref`s, examples that
do not match their schemas, names that are not unique, path templates that disagree with
their parameters, and files that cannot be read at all.
"""

from __future__ import annotations

import hashlib
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from instamrkt_docs.errors import SpecError
from instamrkt_docs.escaping import terminal
from instamrkt_docs.findings import Finding, Level, sort_findings
from instamrkt_docs.load import Document, Workspace
from instamrkt_docs.load.discover import find_specs, links_outside
from instamrkt_docs.load.source import SourceCache
from instamrkt_docs.validate import (
    arazzo,
    asyncapi_schema,
    beside,
    dialect,
    examples,
    extensions,
    headers,
    names,
    openapi_schema,
    refs,
    satisfiable,
)

__all__ = ["BESIDE_BYTES", "Result", "ResultCache", "find_specs", "validate"]

# From this size of spec text, the official-schema pass runs in a child process beside the
# other checks (see `beside`): below it, starting the child costs more than it saves.
BESIDE_BYTES = 1_000_000


class ResultCache:
    """The findings of each spec from earlier runs in one process (`serve`), by the text of
    every file the spec reached: a spec none of whose files changed is not checked again."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._kept: OrderedDict[str, list[Finding]] = OrderedDict()

    @staticmethod
    def key(workspace: Workspace, reached: list[Document]) -> str:
        digest = hashlib.sha256(repr(sorted(map(str, workspace.roots))).encode())
        for document in reached:
            digest.update(b"\0" + document.uri.encode() + b"\0" + document.source.text.encode())
        return digest.hexdigest()

    def get(self, key: str) -> list[Finding] | None:
        if key in self._kept:
            self._kept.move_to_end(key)
            return list(self._kept[key])
        return None

    def put(self, key: str, findings: list[Finding]) -> None:
        self._kept[key] = list(findings)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)


@dataclass
class Result:
    """What a validation run found, and which documents it checked."""

    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    workspace: Workspace = field(default_factory=Workspace)


def validate(
    paths: Iterable[Path],
    progress: Callable[[str], None] | None = None,
    ref_roots: Iterable[Path] = (),
    sources: SourceCache | None = None,
    results: ResultCache | None = None,
) -> Result:
    """Validate the specs at `paths` and return every finding.

    `$ref`s may reach files in the folders of the specs named and in `ref_roots`; files
    already parsed are taken from `sources`, and the findings of specs whose files did not
    change from `results`, when given.
    """
    result = Result(workspace=Workspace(roots=list(ref_roots), sources=sources))
    workspace = result.workspace
    roots: list[Document] = []
    for link in links_outside(paths):
        result.findings.append(
            Finding(
                terminal(str(link)), 1, 1, "",
                "a link to a file outside the specs' folder, or not a regular file: "
                "not read, not published",
                "load", Level.WARNING,
            )
        )  # fmt: skip
    for path, explicit in find_specs(paths):
        try:
            document = workspace.load(path)
        except SpecError as exc:
            result.findings.append(exc.finding)
            continue
        if document.kind is None:
            if explicit or not isinstance(document.data, dict):
                result.findings.append(
                    document.finding(
                        "",
                        "not an OpenAPI, AsyncAPI or Arazzo document: no 'openapi', "
                        "'asyncapi' or 'arazzo' member at the top level",
                        "load",
                    )
                )
            continue  # a fragment in a spec folder: checked where it is referenced
        roots.append(document)

    reached_all: dict[str, Document] = {}
    index = arazzo.SpecIndex(workspace)
    for document in roots:
        if progress:
            progress(f"validating {document.display}")
        result.checked.append(document.display)
        say = (lambda stage, d=document.display: progress(f"{d}: {stage}")) if progress else None
        result.findings += _check_root(
            workspace, document, reached_all, say or _silent, index, results
        )
    for document in reached_all.values():
        for pointer, line, column in document.source.duplicate_keys():
            key = pointer.rsplit("/", 1)[-1]
            message = f"key {key!r} appears twice in one mapping: the second one replaces the first"
            result.findings.append(
                Finding(document.display, line, column, pointer, message, "yaml")
            )
    result.findings = sort_findings(workspace.place(_said_once(result.findings)))
    return result


def _said_once(findings: list[Finding]) -> list[Finding]:
    """The findings without a dialect finding where the official validator said it too."""
    official = {(f.file, f.pointer) for f in findings if f.rule != dialect.RULE}
    return [f for f in findings if f.rule != dialect.RULE or (f.file, f.pointer) not in official]


def _silent(stage: str) -> None:
    pass


def _check_root(
    workspace: Workspace,
    document: Document,
    reached_all: dict[str, Document],
    say: Callable[[str], None] = _silent,
    index: arazzo.SpecIndex | None = None,
    results: ResultCache | None = None,
) -> list[Finding]:
    if "swagger" in document.data if isinstance(document.data, dict) else False:
        return [document.finding("/swagger", "Swagger 2.0 is not supported", "load")]
    say("references")
    findings, reached = refs.check(workspace, document)
    for other in reached:
        reached_all.setdefault(other.uri, other)
    if results is None or document.kind == "arazzo":  # a scenario reads other specs too
        return _check_reached(workspace, document, reached, findings, say, index, results)
    key = results.key(workspace, reached)
    kept = results.get(key)
    if kept is None:
        kept = _check_reached(workspace, document, reached, findings, say, index)
        results.put(key, kept)
    return kept


def _check_reached(
    workspace: Workspace,
    document: Document,
    reached: list[Document],
    findings: list[Finding],
    say: Callable[[str], None],
    index: arazzo.SpecIndex | None,
    results: ResultCache | None = None,
) -> list[Finding]:
    if document.kind == "openapi":
        circular = any(f.message.startswith("circular $ref") for f in findings)
        say("the official schema")
        official = None
        if len(document.source.text) >= BESIDE_BYTES:  # a big spec: beside the checks below
            official = beside.start(openapi_schema.check, workspace, document, circular)
        else:
            findings += openapi_schema.check(workspace, document, circular)
        say("names and parameters")
        findings += names.check_openapi(workspace, document)
        findings += dialect.check(document)
        findings += extensions.check(document)
        findings += headers.check_openapi(workspace, document)
        findings += satisfiable.check(workspace, document)
        if official is not None:
            say("examples")
            findings += examples.check(workspace, document, reached)
            say("the official schema")
            return findings + official()
    elif document.kind == "asyncapi":
        say("the official schema")
        findings += asyncapi_schema.check(document)
        say("names and parameters")
        findings += names.check_asyncapi(workspace, document)
        findings += extensions.check(document)
        findings += satisfiable.check(workspace, document)
    else:
        say("the Arazzo schema and the specs it drives")
        return findings + arazzo.check(workspace, document, index, results)
    say("examples")
    findings += examples.check(workspace, document, reached)
    return findings


def _stderr_progress(message: str) -> None:  # pragma: no cover - terminal only
    print(message, file=sys.stderr, flush=True)
