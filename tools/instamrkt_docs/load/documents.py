"""Spec documents on disk: reading them, telling their kind, and following `$ref`s.

A `Workspace` reads each file once, whether it was named on the command line or reached
through a `$ref`, and answers where any JSON pointer of any file stands (line, column).
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from instamrkt_docs.errors import InstamrktDocsError, SpecError
from instamrkt_docs.findings import Finding
from instamrkt_docs.load import pointers
from instamrkt_docs.load.source import ParseError, Source, SourceCache, parse

KINDS = ("openapi", "asyncapi", "arazzo")


@dataclass
class Document:
    """One parsed file."""

    path: Path
    uri: str
    source: Source
    display: str

    @property
    def data(self) -> Any:
        """The document's plain data (dicts, lists, scalars)."""
        return self.source.data

    @property
    def kind(self) -> str | None:
        """ "openapi", "asyncapi" or "arazzo" for a spec's root file; None for a fragment."""
        if isinstance(self.data, dict):
            for kind in KINDS:
                if kind in self.data:
                    return kind
        return None

    @property
    def version(self) -> str:
        """The spec version the document declares, as text ("3.1.0")."""
        kind = self.kind
        return str(self.data.get(kind, "")) if kind else ""

    def position(self, pointer: str) -> tuple[int, int]:
        """Line and column (1-based) of a pointer's target."""
        return self.source.position(pointer)

    def finding(self, pointer: str, message: str, rule: str, **kwargs: Any) -> Finding:
        """A finding at `pointer` in this document, its line and column still to be placed.

        `Workspace.place` gives findings their positions, all of a file's in one pass.
        """
        return Finding(self.display, 0, 0, pointer, message, rule, **kwargs)


def display_path(path: Path) -> str:
    """A path as a user wants to read it: relative to the working folder where it can be."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:  # outside the working folder
        return str(absolute)


def path_to_uri(path: Path) -> str:
    """The file URI of a path."""
    return path.resolve().as_uri()


def uri_to_path(uri: str) -> Path:
    """The path of a file URI."""
    return Path(unquote(urlsplit(uri).path))


class RefError(InstamrktDocsError):
    """A `$ref` that cannot be followed."""


class RemoteRefError(RefError):
    """A `$ref` to another host: never fetched (the toolkit works offline)."""


@dataclass
class Target:
    """Where a `$ref` leads: a document and a pointer inside it, and the value there."""

    document: Document
    pointer: str
    value: Any


MAX_BYTES = 64 * 1024 * 1024  # the largest spec file read (the GitHub REST spec is 12 MB)


@dataclass
class Workspace:
    """The files of one run, each read once, with `$ref` resolution across them.

    Reading is confined and bounded: a `$ref` is followed only to a regular file inside an
    allowed folder (the folder of every file the run was asked to read, and `roots`, with
    symlinks resolved first), of at most `max_bytes`.
    """

    documents: dict[str, Document] = field(default_factory=dict)
    failures: dict[str, SpecError] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)
    max_bytes: int = MAX_BYTES
    sources: SourceCache | None = None  # parsed files kept across runs (serve)

    def __post_init__(self) -> None:
        self.roots = [Path(root).resolve() for root in self.roots]

    def allow(self, folder: Path) -> None:
        """Let `$ref`s reach files inside `folder`."""
        resolved = folder.resolve()
        if resolved not in self.roots:
            self.roots.append(resolved)

    def outside(self, path: Path) -> bool:
        """Whether a file lies outside every allowed folder (symlinks resolved)."""
        resolved = path.resolve()
        return not any(resolved.is_relative_to(root) for root in self.roots)

    def load(self, path: Path) -> Document:
        """Read and parse a file the run was asked for (once); its folder becomes allowed.

        Raises SpecError located in that file.
        """
        self.allow(path.parent)
        return self._load(path)

    def _load(self, path: Path) -> Document:
        uri = path_to_uri(path)
        if uri in self.documents:
            return self.documents[uri]
        if uri in self.failures:
            raise self.failures[uri]
        try:
            document = self._read(path, uri)
        except SpecError as exc:
            self.failures[uri] = exc
            raise
        self.documents[uri] = document
        return document

    def _read(self, path: Path, uri: str) -> Document:
        display = display_path(path)

        def fail(message: str, line: int = 1, column: int = 1) -> SpecError:
            return SpecError(Finding(display, line, column, "", message, "load"))

        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):
                raise fail("is a folder, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise fail("is not a regular file (a device, a pipe or a socket): not read")
            if info.st_size > self.max_bytes:
                raise fail(
                    f"is {info.st_size // 2**20} MB, over the {self.max_bytes // 2**20} MB limit"
                )
            with path.open("rb") as file:
                raw = file.read(self.max_bytes + 1)
            if len(raw) > self.max_bytes:
                raise fail(f"is over the {self.max_bytes // 2**20} MB limit")
        except FileNotFoundError as exc:
            raise fail("no such file") from exc
        except IsADirectoryError as exc:
            raise fail("is a folder, not a file") from exc
        except OSError as exc:
            raise fail(f"cannot read: {exc.strerror}") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise fail("not UTF-8 text", line, column) from exc
        if not text.strip():
            raise fail("the file is empty")
        try:
            as_json = path.suffix.lower() == ".json"
            source = (
                self.sources.parse(text, as_json=as_json)
                if self.sources
                else parse(text, as_json=as_json)
            )
        except ParseError as exc:
            raise fail(exc.message, exc.line, exc.column) from exc
        return Document(path=path, uri=uri, source=source, display=display)

    def place(self, findings: list[Finding]) -> list[Finding]:
        """The findings with their line and column, each file's placed in one batch."""
        by_display = {d.display: d for d in self.documents.values()}
        unplaced: dict[str, set[str]] = {}
        for finding in findings:
            if finding.line == 0 and finding.file in by_display:
                unplaced.setdefault(finding.file, set()).add(finding.pointer)
        places = {
            file: by_display[file].source.positions(sorted(wanted))
            for file, wanted in unplaced.items()
        }
        placed = []
        for finding in findings:
            if finding.line == 0:
                line, column = places.get(finding.file, {}).get(finding.pointer, (1, 1))
                finding = replace(finding, line=line, column=column)
            placed.append(finding)
        return placed

    def read_reached(self, uri: str) -> Document:
        """A file a `$ref` reached, read only if it lies inside an allowed folder.

        For other readers of `$ref`s (the official validators): raises RefError otherwise.
        """
        path = uri_to_path(uri)
        if self.outside(path):
            raise RefError(f"{display_path(path)!r} is outside the folders specs may read")
        try:
            return self._load(path)
        except SpecError as exc:
            raise RefError(f"cannot read {display_path(path)!r}: {exc.finding.message}") from exc

    def resolve(self, base: Document, ref: str) -> Target:
        """Follow one `$ref` written in `base`; raises RefError saying why it cannot."""
        try:
            target_uri, fragment = urldefrag(urljoin(base.uri, ref))
            scheme = urlsplit(target_uri).scheme
        except ValueError as exc:  # `http://[x`: no URI at all
            raise RefError(f"{ref!r} is not a reference that can be followed ({exc})") from exc
        if scheme not in ("file", ""):
            raise RemoteRefError(
                f"remote reference {ref!r} not followed (the toolkit works offline)"
            )
        if target_uri == base.uri or not target_uri:
            document = base
        else:
            target_path = uri_to_path(target_uri)
            if self.outside(target_path):
                allowed = ", ".join(display_path(root) for root in self.roots) or "none"
                raise RefError(
                    f"{ref!r} leads outside the folders specs may read ({allowed}): not read; "
                    "name its folder with --ref-root to allow it"
                )
            try:
                document = self._load(target_path)
            except SpecError as exc:
                raise RefError(
                    f"cannot read {display_path(uri_to_path(target_uri))!r}: "
                    f"{exc.finding.message}"
                    + (
                        f" (at {exc.finding.line}:{exc.finding.column})"
                        if exc.finding.message.startswith("invalid")
                        else ""
                    )
                ) from exc
        pointer = pointers.from_fragment(fragment)
        if pointer and not pointer.startswith("/"):
            raise RefError(f"{ref!r}: the fragment is not a JSON pointer")
        try:
            value = pointers.walk(document.data, pointers.split(pointer))
        except KeyError as exc:
            raise RefError(
                f"{ref!r} does not resolve: {document.display} has nothing at "
                f"'{pointer}' (no {str(exc.args[0])!r})"
            ) from exc
        return Target(document, pointer, value)

    def deref(self, target: Target) -> Target | None:
        """Follow `$ref`s until a value that is not one; None for a broken or looping ref."""
        seen: set[tuple[str, str]] = set()
        while isinstance(target.value, dict) and isinstance(target.value.get("$ref"), str):
            key = (target.document.uri, target.pointer)
            if key in seen:
                return None
            seen.add(key)
            try:
                target = self.resolve(target.document, target.value["$ref"])
            except RefError:
                return None  # the reference check reports it
        return target

    def follow(self, document: Document, pointer: str) -> Target:
        """The physical place of a logical path that may pass through `$ref`s.

        Validators report paths such as `/paths/~1a/get/responses/200/content/x/schema/
        properties/id`, where `schema` is a `$ref`: this walks the path, following each
        `$ref` it meets, and returns the file and pointer where the value really is.
        """
        current = Target(document, "", document.data)
        for part in pointers.split(pointer):
            seen: set[tuple[str, str]] = set()
            while (
                isinstance(current.value, dict)
                and isinstance(current.value.get("$ref"), str)
                and part not in current.value
            ):
                key = (current.document.uri, current.pointer)
                if key in seen:
                    return current
                seen.add(key)
                try:
                    current = self.resolve(current.document, current.value["$ref"])
                except RefError:
                    return current
            value = current.value
            if isinstance(value, dict) and part in value:
                child = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                child = value[int(part)]
            else:
                return current
            current = Target(current.document, current.pointer + "/" + pointers.escape(part), child)
        return current
