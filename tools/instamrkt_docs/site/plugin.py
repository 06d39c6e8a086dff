"""The MkDocs plugin: validates and renders the specs before each build, adds their pages.

In mkdocs.yml:

    plugins:
      - search
      - instamrkt-docs:
          specs: [spec]          # spec files or folders (relative to mkdocs.yml)
          out: reference         # generated folder, inside docs_dir
          templates: templates   # optional: a folder of template overrides
          validate_specs: true   # refuse specs with findings (default)
          allow_findings: false  # true: build with them all the same, printing them
          ref_roots: []          # more folders $refs may read from (default: the specs')
          llms_txt: true         # llms.txt, and a Markdown copy beside each page (default)
          changelog: true        # a Changelog page from the specs' git history (default)
          releases: []           # versions to head as released (tagged ones are too)
          release_notes: spec/releases  # <version>.md: a note for each release (default:
                                        # releases/ in the first specs folder)

The nav names the place of each spec's generated pages with the first page of a section:
a section whose first entry is `reference/rest/index.md` gets the REST pages after it.

Under `serve`, each change is one build: the specs are validated and rendered again only
when one of their files changed, a spec with findings has them logged and the last good
pages stay, pages are rebuilt only when their Markdown changed (a full build when the
navigation or the configuration changed), and the search index keeps every page's entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger

from instamrkt_docs.escaping import terminal
from instamrkt_docs.load.source import SourceCache
from instamrkt_docs.site.rollback import Rollback
from instamrkt_docs.site.search import (
    bound_index,
    for_search,
    merge_search_entries,
    name_sections,
    rank_models_below_operations,
)
from instamrkt_docs.site.theme import SITE_SCRIPT, SITE_STYLE, search_on_first_use
from instamrkt_docs.templating import MemoryBytecodeCache

log = get_plugin_logger(__name__)
# `instamrkt-docs build` validates and renders before it builds: the plugin then only
# wires the nav.
RENDERED_ENV = "INSTAMRKT_DOCS_RENDERED"
# Beside the served site: what the pages there were built with (see `_full_build_needed`).
BUILD_STATE = ".instamrkt-docs-build.json"
# Highlighted whitespace and punctuation (Pygments' `w` and `p` tokens).
_PLAIN_TOKENS = re.compile(r'<span class="[wp]">([^<]*)</span>')
_EMPTY_CODE = re.compile(
    r'<div class="im-code" data-md-color-scheme="slate" data-search-exclude>\s*</div>'
)


class InstamrktDocsConfig(Config):
    """The plugin's options."""

    specs = config_options.ListOfItems(config_options.Type(str), default=["spec"])
    out = config_options.Type(str, default="reference")
    templates = config_options.Optional(config_options.Type(str))
    validate_specs = config_options.Type(bool, default=True)
    # build with specs that have findings (they are still printed, as warnings)
    allow_findings = config_options.Type(bool, default=False)
    ref_roots = config_options.ListOfItems(config_options.Type(str), default=[])
    llms_txt = config_options.Type(bool, default=True)
    # a Changelog page from the git history of the specs; the versions named are releases
    changelog = config_options.Type(bool, default=True)
    releases = config_options.ListOfItems(config_options.Type(str), default=[])
    # a folder of release notes, <version>.md each (default: releases/ in the specs' folder)
    release_notes = config_options.Optional(config_options.Type(str))


class InstamrktDocsPlugin(BasePlugin[InstamrktDocsConfig]):
    """Renders the specs into docs_dir and splices their pages into the navigation."""

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self._specs_state: str | None = None
        self._built_pages: set[str] = set()
        self._sections: dict[str, str] = {}  # page URL -> the nav section it is in
        self._full_content: dict[str, str] = {}  # pages' HTML while search reads it without code
        self._copies: dict[Path, str] = {}  # Markdown copies of the pages being built
        self._nav: Any = None
        self._full = True
        self._nav_signature = ""
        self._bytecode = MemoryBytecodeCache()
        self._sources = SourceCache()  # files parsed by earlier builds (serve)
        self._rendered: Any = None  # a RenderCache: specs rendered by earlier builds
        self._checker: Any = None
        self.progress: Any = None  # a Progress told of each page built, when set
        self._checking: Any = None
        self._rollback: Rollback | None = None
        self._lane: Any = None  # a fast_markdown.Lane, when the configuration allows one

    def _root(self, config: Any) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        if self.serving and self._checker is None and not os.environ.get(RENDERED_ENV):
            from instamrkt_docs.site.checker import BackgroundChecker

            self._checker = BackgroundChecker()

    def on_config(self, config: Any) -> Any:
        from instamrkt_docs.site.fast_markdown import lane
        from instamrkt_docs.site.needs import complete

        complete(config)  # the Markdown extensions and theme features the pages need
        root = self._root(config)
        self._lane = lane(config)
        out = Path(config.docs_dir) / self.config.out
        script = f"{self.config.out.strip('/')}/assets/{SITE_SCRIPT.name}"
        if script not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(script)
        style = f"{self.config.out.strip('/')}/assets/{SITE_STYLE.name}"
        if style not in [str(s) for s in config.extra_css]:
            config.extra_css.insert(0, style)  # first: the project's own may override it
        if not os.environ.get(RENDERED_ENV):
            self._validate_and_render(config, root, out)
        nav_file = out / "nav.yml"
        if config.nav and nav_file.exists():
            generated = yaml.safe_load(nav_file.read_text()) or {}
            prefix = self.config.out.strip("/")
            entries = {
                f"{prefix}/{folder}/index.md": [
                    {title: f"{prefix}/{path}"} for item in pages for title, path in item.items()
                ]
                for folder, pages in generated.items()
            }
            config.nav = _splice(config.nav, entries)
        return config

    def _validate_and_render(self, config: Any, root: Path, out: Path) -> None:
        from instamrkt_docs.errors import InstamrktDocsError
        from instamrkt_docs.render import RenderCache, render, write_rendered
        from instamrkt_docs.validate import validate

        specs = [root / p for p in self.config.specs]
        roots = [root / p for p in self.config.ref_roots]
        templates = root / self.config.templates if self.config.templates else None
        state = _files_state([*specs, *([templates] if templates else [])])
        if state == self._specs_state:
            return  # nothing the pages are made from changed: keep them
        keep = self.serving and out.exists()  # a failure keeps the last good pages
        self._rendered = self._rendered or RenderCache()
        changelog = changelog_asked(self.config, root)
        cwd = os.getcwd()
        os.chdir(root)
        try:
            if keep and self.config.validate_specs and self._checker is not None:
                # Validate in the worker while this build goes on; on_post_build waits for
                # it and puts the last good pages back if the specs have findings.
                self._checking = self._checker.submit(specs, root, roots)
                rendered = render(
                    specs,
                    out,
                    templates,
                    write=False,
                    ref_roots=roots,
                    sources=self._sources,
                    cache=self._rendered,
                    changelog=changelog,
                )
                self._rollback = Rollback.of_folder(out)
                write_rendered(out, rendered)
            else:
                if self.config.validate_specs:
                    result = validate(specs, ref_roots=roots, sources=self._sources)
                    self._refuse(result.findings, result.checked, keep)
                rendered = render(
                    specs,
                    out,
                    templates,
                    ref_roots=roots,
                    sources=self._sources,
                    changelog=changelog,
                )
        except _Refused:
            return
        except InstamrktDocsError as exc:
            if not keep:
                raise PluginError(f"instamrkt-docs: {terminal(str(exc))}") from exc
            log.error(f"{terminal(str(exc))}; the last good pages stay")
            return
        finally:
            os.chdir(cwd)
        self._specs_state = state
        if rendered.written or rendered.removed:
            log.info(
                f"rendered {len(rendered.written)} changed and removed {len(rendered.removed)} "
                f"files in {out}"
            )

    def _refuse(self, findings: list, checked: list[str], keep: bool) -> None:
        """Raise when the findings have errors: a build error, or under serve a log entry."""
        from instamrkt_docs import report
        from instamrkt_docs.findings import has_errors

        if not has_errors(findings):
            return
        text = report.as_text(findings, checked).rstrip()
        if self.config.allow_findings:
            log.warning(f"the specs have findings; built all the same (allow_findings):\n{text}")
            return
        if not keep:
            raise PluginError(
                f"instamrkt-docs: the specs have findings:\n{text}\n(--allow-findings, or the "
                "plugin's option allow_findings: true, builds with them all the same)"
            )
        log.error(f"the specs have findings; the last good pages stay:\n{text}")
        raise _Refused

    def on_shutdown(self) -> None:
        if self._checker is not None:
            self._checker.close()
            self._checker = None

    def on_files(self, files: Any, *, config: Any) -> Any:
        """Partials that render writes (`_error-codes.md`, for pages to include) are not
        pages: they are neither built nor searched; nor is the nav it wrote published."""
        out = self.config.out.strip("/")
        for file in list(files):
            partial = file.src_uri.startswith(f"{out}/_") and file.is_documentation_page()
            if partial or file.src_uri == f"{out}/nav.yml":
                files.remove(file)
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        """Under a dirty build, rebuild every page when what all pages show has changed."""
        self._built_pages = set()
        self._nav_signature = _nav_signature(config, nav)
        self._nav = nav
        self._full = not self.dirty or _saved_signature(config) != self._nav_signature
        if self._full:
            for file in files:
                file.is_modified = _always  # type: ignore[method-assign]
        if self._rollback is not None:
            self._rollback.keep_outputs(files, Path(config.site_dir))
        if self.progress is not None:
            self.progress.total = sum(1 for _ in files.documentation_pages())
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Compile the theme's templates once per process, not once per build (in memory
        under serve; on disk, shared between builds, otherwise)."""
        from instamrkt_docs.templating import disk_bytecode_cache

        env.bytecode_cache = self._bytecode if self.serving else disk_bytecode_cache()
        return env

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        """Keep the page's Markdown, made plain, for its copy beside the HTML; a generated
        page's tables and code are made HTML here (`fast_markdown`)."""
        if self.config.llms_txt:
            from instamrkt_docs.site.llms import plain_markdown

            path = Path(page.file.abs_dest_path).with_suffix(".md")
            self._copies[path] = plain_markdown(markdown, Path(config.docs_dir))
        if self._lane is not None and page.file.src_uri.startswith(
            self.config.out.strip("/") + "/"
        ):
            return str(self._lane.prepare(markdown))
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        """A page with samples starts with the row of languages, at the top of its code
        column; a page without has none."""
        from instamrkt_docs.samples import LANGUAGES
        from instamrkt_docs.site.theme import language_row, linked_sets

        if self._lane is not None:
            html = self._lane.restore(html)
        # Whitespace and punctuation keep the code's own colour without a span each: the
        # pages have a third of the elements, and load and check that much faster.
        html = _PLAIN_TOKENS.sub(r"\1", html)
        # Search indexes what a reader reads: not tab labels, not samples and examples.
        html = html.replace(
            '<div class="tabbed-labels">', '<div class="tabbed-labels" data-search-exclude>'
        )
        html = html.replace('<div class="im-code"', '<div class="im-code" data-search-exclude')
        # A section with nothing to show in the code column has none (a dark box, or a gap).
        html = _EMPTY_CODE.sub("", html)
        labels = [lang.label for lang in LANGUAGES]
        if not any(f">{label}</label>" in html for label in labels):
            return html  # no sample in a language: no row of languages to choose from
        return language_row(labels) + linked_sets(html, labels)

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        if '<div class="im-code"' in (page.content or "") and "<pre" in (page.content or ""):
            # a page with code has the dark column (a class, cheaper for the browser than :has)
            output = output.replace(
                '<div class="md-content" data-md-component="content">',
                '<div class="md-content im-with-code" data-md-component="content">',
                1,
            )
        return search_on_first_use(_name_search_dialog(output))

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        return search_on_first_use(_name_search_dialog(output_content))  # 404.html

    @event_priority(100)  # before the search plugin reads the page
    def _hide_code_from_search(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        """The search plugin gets the page without its code column, which it leaves out
        of the index anyway, and its tables as text (`search.for_search`)."""
        if page.content and ('<div class="im-code"' in page.content or "<table" in page.content):
            self._full_content[page.url] = page.content
            page.content = for_search(page.content)
        return context

    @event_priority(-100)  # after every other plugin read the page
    def _page_seen(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        content = self._full_content.pop(page.url, None)
        if content is not None:
            page.content = content  # the page itself keeps its code
        self._built_pages.add(page.url)
        if page.parent is not None and page.parent.title:
            self._sections[page.url] = str(page.parent.title)
        if self.progress is not None:
            self.progress.step(page.url or "/")
        return context

    on_page_context = CombinedEvent(_hide_code_from_search, _page_seen)

    @event_priority(50)  # before the search plugin writes its index
    def _merge_search(self, *, config: Any) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            name_sections(search, _with_parts(self._sections, self._built_pages))
            rank_models_below_operations(search)
        if not self.dirty:
            if search is not None:
                bound_index(search)
            return
        if search is not None:
            merge_search_entries(search, Path(config.site_dir), self._built_pages, self._full)
            bound_index(search)
        state = Path(config.site_dir) / BUILD_STATE
        state.write_text(json.dumps({"nav": self._nav_signature}))

    @event_priority(-100)  # after every other plugin wrote its files
    def _check_build(self, *, config: Any) -> None:
        """Wait for the validation of this build's specs; undo the build if it failed."""
        checking, rollback = self._checking, self._rollback
        self._checking = self._rollback = None
        if checking is None or rollback is None:
            return
        findings, checked = checking.result()
        try:
            self._refuse(findings, checked, keep=True)
        except _Refused:
            rollback.restore()
            self._specs_state = None  # check again on the next change
            search = config.plugins.get("material/search") or config.plugins.get("search")
            if search is not None:
                search.search_index_prev = None  # the next build reads the restored index

    @event_priority(0)
    def _widen(self, *, config: Any) -> None:
        """Three columns from 960 px: the theme's wide layout starts there."""
        from instamrkt_docs.site.theme import widen

        widen(Path(config.site_dir))

    @event_priority(0)
    def _write_llms(self, *, config: Any) -> None:
        """llms.txt, and the Markdown copy of each page built."""
        if not self.config.llms_txt or self._nav is None:
            return
        from instamrkt_docs.site.llms import index

        for path, text in self._copies.items():
            path.write_text(text, encoding="utf-8")
        self._copies = {}
        text = index(config.site_name, config.site_description or "", _llms_sections(self._nav))
        (Path(config.site_dir) / "llms.txt").write_text(text, encoding="utf-8")

    on_post_build = CombinedEvent(_merge_search, _widen, _write_llms, _check_build)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        root = self._root(config)
        for spec in self.config.specs:
            path = root / spec
            if path.exists():
                server.watch(str(path))
        # What render writes into docs_dir must not start a second build: watch the rest
        # of docs_dir only.
        docs = Path(config.docs_dir).resolve()
        out = (docs / self.config.out).resolve()
        if out.is_relative_to(docs) and out != docs:
            server.unwatch(str(docs))
            _watch_around(server, docs, out)
        return server


def changelog_asked(options: Any, root: Path) -> Any:
    """The Changelog the plugin's options ask for (a `render.Changelog`), or None; `root`
    is the folder of mkdocs.yml. Options None: the plugin's defaults."""
    from instamrkt_docs.render import Changelog

    if options is not None and not options.changelog:
        return None
    cache = root / ".cache" / "instamrkt-docs" / "changelog"
    if options is None:
        return Changelog(cache)
    notes = root / options.release_notes if options.release_notes else None
    return Changelog(cache, list(options.releases), notes)


def _llms_sections(nav: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The nav as llms.txt lists it: top-level pages, then each section's pages."""
    sections: list[tuple[str, list[tuple[str, str]]]] = [("Pages", [])]

    def pages(items: list[Any]) -> list[tuple[str, str]]:
        found = []
        for item in items:
            if item.is_page:
                link = Path(item.file.dest_uri).with_suffix(".md").as_posix()
                found.append((str(item.title or link), link))
            elif item.is_section:
                found += pages(item.children)
        return found

    for item in nav.items:
        if item.is_section:
            sections.append((str(item.title), pages(item.children)))
        elif item.is_page:
            sections[0][1].extend(pages([item]))
    return sections


def _with_parts(sections: dict[str, str], urls: set[str]) -> dict[str, str]:
    """Sections of pages, with the parts of a split group (left out of the nav) in the
    section of the group's index page, the folder they are in."""
    found = dict(sections)
    for url in urls:
        folder = url.rstrip("/").rpartition("/")[0] + "/"
        if url not in found and folder in sections:
            found[url] = sections[folder]
    return found


def _name_search_dialog(html: str) -> str:
    """The theme leaves its search dialog unnamed: name it."""
    return html.replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        1,
    )


class _Refused(Exception):
    """The specs have findings; under serve they were logged and the last pages stay."""


def _always() -> bool:
    return True


def _watch_around(server: Any, folder: Path, out: Path) -> None:
    """Watch `folder` and everything below it except `out`."""
    server.watch(str(folder), recursive=False)
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child == out:
            continue
        if out.is_relative_to(child):
            _watch_around(server, child, out)
        else:
            server.watch(str(child))


def _files_state(paths: list[Path]) -> str:
    """A digest of the names and contents of every file at `paths` (folders searched)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file).encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"\1unreadable")
    return digest.hexdigest()


def _nav_signature(config: Any, nav: Any) -> str:
    """What every page shows besides its own content: the nav, the configuration, the theme."""
    from importlib.metadata import version

    pages = [(page.title, page.url) for page in nav.pages]
    raw = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    tools = [version(name) for name in ("mkdocs", "mkdocs-material", "pymdown-extensions")]
    blob = json.dumps([pages, tools], default=str).encode() + hashlib.sha256(raw).digest()
    return hashlib.sha256(blob).hexdigest()


def _saved_signature(config: Any) -> str | None:
    """The nav signature the pages in site_dir were built with, if they were."""
    try:
        return json.loads((Path(config.site_dir) / BUILD_STATE).read_text()).get("nav")
    except (OSError, ValueError, AttributeError):
        return None


def _splice(nav: list, entries: dict[str, list[dict[str, str]]]) -> list:
    """The nav with each section that starts with a generated index given its pages."""
    result = []
    for item in nav:
        if isinstance(item, dict):
            spliced = {}
            for title, value in item.items():
                if isinstance(value, list):
                    first = value[0] if value else None
                    first_path = next(iter(first.values())) if isinstance(first, dict) else first
                    if isinstance(first_path, str) and first_path in entries:
                        value = [*value[:1], *entries[first_path][1:], *_splice(value[1:], entries)]
                    else:
                        value = _splice(value, entries)
                spliced[title] = value
            result.append(spliced)
        else:
            result.append(item)
    return result
