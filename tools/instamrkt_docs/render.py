"""`render`: specs to Markdown pages, samples and downloads, in one output folder.

Everything is made in memory first; only then are files written (those whose content
changed) and stale ones removed, so a failure leaves the previous output as it was.

Output layout (`docs/reference/` by default):

    nav.yml                 the pages, for the site's navigation
    rest/index.md           one folder per spec: an overview...
    rest/<group>.md         ...and a page per tag or channel group, or for a big group
    rest/<group>/index.md   an index page (in the navigation) and a page per part of it
    rest/<group>/<part>.md  (reached from the index, left out of the navigation)
    websocket/...
    _error-codes.md         the table of every error code, for the Errors page
    scenarios/              a page per Arazzo scenario, and its scripts in scenarios/scripts/
    specs/                  the specs as written, and bundled into single JSON files
    assets/mermaid.min.js   the diagram library, when node_modules has it
    assets/instamrkt-docs.{js,css}  the site's script and its Slate layout
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from instamrkt_docs.errors import OutputError, UsageError
from instamrkt_docs.escaping import file_name, md_title, terminal
from instamrkt_docs.load import Document, Workspace
from instamrkt_docs.load.discover import SPEC_SUFFIXES, find_specs
from instamrkt_docs.load.source import SourceCache
from instamrkt_docs.load.versions import refuse_unsupported
from instamrkt_docs.model import build, bundle
from instamrkt_docs.model.types import Operation, RestApi, WsApi
from instamrkt_docs.node_packages import node_modules
from instamrkt_docs.pages import Pages, SpecPages
from instamrkt_docs.scenarios.model import load_scenarios
from instamrkt_docs.site.theme import SITE_SCRIPT, SITE_STYLE

MERMAID = Path("mermaid") / "dist" / "mermaid.min.js"  # inside node_modules


@dataclass
class Rendered:
    """What a render produced."""

    specs: list[SpecPages] = field(default_factory=list)
    files: dict[str, str | bytes] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class RenderCache:
    """Specs rendered by earlier runs in one process (`serve`): a spec whose bundled content,
    downloads and templates did not change is not modelled and rendered again."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[str, RestApi | WsApi, SpecPages]] = {}

    @staticmethod
    def digest(bundled: Any, downloads: list[tuple[str, str]], templates: str) -> str | None:
        """What a spec's pages are made from, as one digest (None: it cannot be cached)."""
        try:
            data = orjson.dumps(bundled, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # e.g. an integer beyond 64 bits
            return None
        extra = orjson.dumps([downloads, templates])
        return hashlib.sha256(data + b"\0" + extra).hexdigest()

    def get(self, uri: str, folder: str, digest: str | None) -> tuple[Any, SpecPages] | None:
        kept = self._kept.get((uri, folder))
        if digest is None or kept is None or kept[0] != digest:
            return None
        return kept[1], kept[2]

    def put(self, uri: str, folder: str, digest: str | None, api: Any, pages: SpecPages) -> None:
        if digest is not None:
            self._kept[(uri, folder)] = (digest, api, pages)


def _templates_digest(templates: Path | None) -> str:
    """The names and contents of a user's template overrides."""
    digest = hashlib.sha256()
    if templates is not None and templates.is_dir():
        for file in sorted(p for p in templates.rglob("*") if p.is_file()):
            digest.update(str(file).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def spec_folder(kind: str, stem: str, alone: bool) -> str:
    """The folder of a spec's pages: `rest` or `websocket`, and the file's stem when more
    specs of its kind are rendered together (`rest-payments`)."""
    folder = "rest" if kind == "openapi" else "websocket"
    return folder if alone else f"{folder}-{file_name(stem)}"


def load_specs(
    paths: list[Path], ref_roots: Iterable[Path] = (), sources: SourceCache | None = None
) -> tuple[Workspace, list[Document]]:
    """The OpenAPI and AsyncAPI root documents at `paths` (folders are searched).

    `$ref`s may reach files in the folders of the specs named and in `ref_roots`; files
    already parsed are taken from `sources` when given.
    """
    workspace = Workspace(roots=list(ref_roots), sources=sources)
    documents = []
    for path, explicit in find_specs(paths):
        document = workspace.load(path)  # a file that cannot be read fails the render
        if document.kind in ("openapi", "asyncapi"):
            refuse_unsupported(workspace, document)
            documents.append(document)
        elif explicit:
            raise UsageError(f"{path}: not an OpenAPI or AsyncAPI document")
    if not documents:
        raise UsageError("no OpenAPI or AsyncAPI document found in " + ", ".join(map(str, paths)))
    return workspace, documents


def render(
    paths: list[Path],
    out: Path,
    templates: Path | None = None,
    progress: Callable[[str], None] | None = None,
    write: bool = True,
    ref_roots: Iterable[Path] = (),
    sources: SourceCache | None = None,
    cache: RenderCache | None = None,
    changelog: Changelog | None = None,
) -> Rendered:
    """Render the specs at `paths` into `out`; with `write=False`, in memory only.

    A rendering kept in memory is written later with `write_rendered`. With `sources` and
    `cache` (kept by a long-lived process), unchanged files are not parsed again and
    unchanged specs not rendered again.
    """
    workspace, documents = load_specs(paths, ref_roots, sources)
    pages = Pages(templates)
    result = Rendered()
    kinds = [d.kind for d in documents]
    nav: dict[str, list[dict[str, str]]] = {}
    codes = []
    apis: dict[str, RestApi | WsApi] = {}
    templates_state = _templates_digest(templates) if cache else ""
    for document in documents:
        if progress:
            progress(f"rendering {document.display}")
        bundled = bundle(workspace, document)
        alone = kinds.count(document.kind) == 1
        folder = spec_folder(str(document.kind), document.path.stem, alone)
        downloads = _downloads(workspace, document, bundled, result.files)
        digest = cache.digest(bundled, downloads, templates_state) if cache else None
        kept = cache.get(document.uri, folder, digest) if cache else None
        if kept is not None:
            api, spec_pages = kept
        else:
            api = build(workspace, document, bundled)
            spec_pages = pages.for_api(api, folder, downloads)
            if cache:
                cache.put(document.uri, folder, digest, api, spec_pages)
        apis[document.uri] = api
        result.specs.append(spec_pages)
        for page in spec_pages.pages:
            result.files[page.path] = page.text
        nav[folder] = [{str(md_title(p.title)): p.path} for p in spec_pages.pages if p.in_nav]
        codes = codes or api.error_codes
    left_out: list[str] = []
    scenarios = load_scenarios(paths, workspace, apis=apis, left_out=left_out)
    for reason in left_out:
        if progress:
            progress(f"scenario {reason}")
    if scenarios:
        scenario_files = pages.scenarios(scenarios)
        result.files.update(scenario_files)
        nav["scenarios"] = [{"Sample scenarios": "scenarios/index.md"}] + [
            {str(md_title(s.title)): f"scenarios/{s.key}.md"} for s in scenarios
        ]
        for path, _ in find_specs(paths):
            if path.name.endswith(".arazzo.yaml"):
                result.files[f"specs/scenarios/{path.name}"] = path.read_text()
    if changelog is not None:
        from instamrkt_docs.diff.history import versions

        folder = next((p for p in paths if p.is_dir()), paths[0].parent)
        notes = changelog.notes if changelog.notes is not None else folder / "releases"
        found = versions(folder, changelog.cache, changelog.releases, notes)
        result.files["changelog.md"] = pages.changelog(found, _links(result.specs))
    result.files["_error-codes.md"] = pages.error_codes(codes) if codes else ""
    result.files["nav.yml"] = yaml.safe_dump(nav, sort_keys=False, allow_unicode=True)
    packages = node_modules("mermaid")
    if packages is not None and (packages / MERMAID).is_file():
        result.files["assets/mermaid.min.js"] = (packages / MERMAID).read_bytes()
    result.files[f"assets/{SITE_SCRIPT.name}"] = SITE_SCRIPT.read_bytes()
    result.files[f"assets/{SITE_STYLE.name}"] = SITE_STYLE.read_bytes()
    if write:
        write_rendered(out, result)
    return result


@dataclass
class Changelog:
    """A changelog page from the git history of the specs (see `diff.history`): where each
    commit's changes are kept, the versions to head as releases, their release notes."""

    cache: Path
    releases: list[str] = field(default_factory=list)
    notes: Path | None = None  # release notes, <version>.md each (default: releases/ of the specs)


def _links(specs: list[SpecPages]) -> dict[str, str]:
    """Each operation's label in diffs (`POST /pools`, `webhook x`, a websocket operation's
    id) and the page and anchor that describe it."""
    links = {}
    for spec in specs:
        paths = {page.path for page in spec.pages}
        for group in spec.api.groups:
            page = f"{spec.folder}/{group.key}.md"
            page = page if page in paths else f"{spec.folder}/{group.key}/index.md"
            for op in group.operations:
                if isinstance(op, Operation):
                    label = f"webhook {op.path}" if op.webhook else f"{op.method} {op.path}"
                else:
                    label = op.operation_id
                links.setdefault(label, f"{page}#{op.key}")
    return links


def write_rendered(out: Path, result: Rendered) -> None:
    """Write a rendering's files into `out` (only those that changed), remove stale ones."""
    result.written, result.removed = _write(out, result.files)


def _downloads(
    workspace: Workspace, document: Document, bundled: dict, files: dict[str, str | bytes]
) -> list[tuple[str, str]]:
    """Copies of the spec's files, and one bundled JSON file; (label, path) of each.

    A spec that is already one JSON file gets no bundled copy: it would be the same. Only
    files named as specs are (`.yaml`, `.yml`, `.json`) are copied as they are: a `$ref`
    to `page.html` would otherwise publish a page of the spec author's on the site; its
    content is in the bundled copy.
    """
    root_dir = document.path.resolve().parent
    reached = [document]
    for other in workspace.documents.values():
        if other is not document and other.path.resolve().is_relative_to(root_dir):
            reached.append(other)
    links = []
    copied = 0
    for other in reached:
        if other.path.suffix.lower() not in SPEC_SUFFIXES:
            continue
        relative = other.path.resolve().relative_to(root_dir).as_posix()
        files[f"specs/{relative}"] = other.source.text
        copied += 1
    if document.path.suffix.lower() in SPEC_SUFFIXES:
        links.append((document.path.name, f"specs/{document.path.name}"))
    if len(reached) == 1 and copied == 1 and document.source.is_json:
        return links
    name = f"specs/{file_name(document.path.stem)}.bundled.json"
    files[name] = orjson.dumps(bundled, option=orjson.OPT_INDENT_2)
    links.append((Path(name).name, name))
    return links


MANIFEST = ".instamrkt-docs-manifest.json"


def _write(out: Path, files: dict[str, str | bytes]) -> tuple[list[str], list[str]]:
    """Write files whose content changed; remove files an earlier render wrote that are gone.

    The output folder keeps a manifest of the files render wrote there: nothing else in the
    folder is ever overwritten or removed, whoever put it there. A file to write that
    exists and is not in the manifest, or a path (to write or in the manifest) that leaves
    the folder or passes through a link, is an `OutputError`, raised before anything is
    written.
    """
    written = []
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    before = _manifest(out, manifest)
    for relative in files:
        target = _inside(out, relative, "render would write")
        if relative not in before and (target.exists() or target.is_symlink()):
            raise OutputError(
                f"{terminal(str(target))} is not a file render wrote (it is not in "
                f"{MANIFEST}): move it away, or render into another folder"
            )
    for relative, content in files.items():
        target = out / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".render-", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        written.append(relative)
    removed = []
    for relative in sorted(before - set(files)):
        target = out / relative
        if target.is_symlink() or not target.is_file():
            continue  # a link put in its place is not ours to remove
        target.unlink()
        removed.append(relative)
        folder = target.parent
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # a folder render made, now empty
            folder = folder.parent
    manifest.write_bytes(orjson.dumps({"files": sorted(files)}, option=orjson.OPT_INDENT_2))
    return written, removed


def _manifest(out: Path, manifest: Path) -> set[str]:
    """The files an earlier render wrote, each checked to lie inside `out`."""
    if manifest.is_symlink():
        raise OutputError(f"{terminal(str(manifest))} is a link: render does not follow it")
    try:
        listed = orjson.loads(manifest.read_bytes()).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        raise OutputError(f"{terminal(str(manifest))} is not a manifest render wrote")
    for relative in listed:
        _inside(out, relative, f"{MANIFEST} names")
    return set(listed)


def _inside(out: Path, relative: str, what: str) -> Path:
    """`out / relative`, if it stays inside `out` through no link; else `OutputError`."""
    parts = Path(relative).parts
    if not relative or Path(relative).is_absolute() or any(p in ("..", ".") for p in parts):
        raise OutputError(f"{what} {terminal(relative)!r}, outside {terminal(str(out))}: refused")
    folder = out
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise OutputError(
                f"{what} {terminal(relative)!r} through {terminal(str(folder))}, which is not "
                "a folder render made: refused"
            )
    return out / relative
