"""Build the site safely, and serve it with live reload.

`build` validates the specs, renders them, and builds the site into a fresh folder beside
the target; only when everything succeeded does that folder replace the previous site.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from instamrkt_docs.errors import InstamrktDocsError, OutputError
from instamrkt_docs.escaping import terminal, terminal_lines
from instamrkt_docs.findings import Finding, has_errors
from instamrkt_docs.progress import Progress
from instamrkt_docs.site import folders
from instamrkt_docs.site.plugin import BUILD_STATE, RENDERED_ENV

PLUGIN = "instamrkt-docs"


class BuildError(InstamrktDocsError):
    """The site could not be built; the previous site is left as it was."""


class InvalidSpecs(BuildError):
    """The specs have errors; `findings` lists them all."""

    def __init__(self, findings: list[Finding], checked: list[str]) -> None:
        super().__init__(f"the specs have {sum(1 for _ in findings)} problems")
        self.findings = findings
        self.checked = checked


@dataclass
class Built:
    """A finished build."""

    site_dir: Path
    pages: int


def _load_config(config_file: Path, **overrides: Any) -> Any:
    from instamrkt_docs.site.mkdocs_config import load

    return load(config_file, **overrides)


def _plugin_options(
    config: Any, config_file: Path
) -> tuple[list[Path], Path, Path | None, list[Path]]:
    """(specs, output folder, templates, ref roots) as the plugin's options give them."""
    root = config_file.resolve().parent
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return [root / "spec"], Path(config.docs_dir) / "reference", None, []
    options = plugin.config
    templates = root / options.templates if options.templates else None
    roots = [root / p for p in options.ref_roots]
    return [root / p for p in options.specs], Path(config.docs_dir) / options.out, templates, roots


def _changelog(config: Any, config_file: Path) -> Any:
    """The changelog the plugin's options ask for (see `render.Changelog`), or None."""
    from instamrkt_docs.site.plugin import changelog_asked

    plugin = config.plugins.get(PLUGIN)
    return changelog_asked(
        plugin.config if plugin is not None else None, config_file.resolve().parent
    )


class _StderrHandler(logging.Handler):
    """MkDocs warnings and errors on stderr, so a failed build says why."""

    def emit(self, record: logging.LogRecord) -> None:
        level = "error" if record.levelno >= logging.ERROR else "warning"
        print(f"{level}: mkdocs: {terminal_lines(record.getMessage())}", file=sys.stderr)


@contextmanager
def _mkdocs_logging() -> Any:
    logger = logging.getLogger("mkdocs")
    handler = _StderrHandler(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


@contextmanager
def _rendered() -> Any:
    previous = os.environ.get(RENDERED_ENV)
    os.environ[RENDERED_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(RENDERED_ENV, None)
        else:
            os.environ[RENDERED_ENV] = previous


def build_site(
    config_file: Path = Path("mkdocs.yml"),
    site_dir: Path | None = None,
    strict: bool = True,
    progress: Callable[[str], None] | None = None,
    check_specs: bool = True,
    allow_findings: bool = False,
) -> Built:
    """Validate, render and build; replace the site only if all of it succeeded. With
    `allow_findings` (or the plugin's option of that name) specs with findings are built
    all the same, their findings printed on stderr.

    The build runs from the config file's folder, as `mkdocs build` does when run there.
    """
    config_file = config_file.resolve()
    site_dir = site_dir.resolve() if site_dir else None  # from where the user is
    with _working_folder(config_file.parent):  # MkDocs reads some paths from there
        # read first as the build will: a mistake in it stops all before anything is made
        config = _load_config(config_file, quiet=True, strict=strict)
        target = site_dir or Path(config.site_dir).resolve()
        _refuse_foreign(target)
        with folders.site_lock(target):  # one build of a site at a time
            folders.remove_stale_staging(target)
            return _build(config_file, target, strict, progress, check_specs, allow_findings)


def _refuse_foreign(target: Path) -> None:
    """A build replaces the whole site folder: never one that holds something else."""
    if not target.exists():
        return
    if target.is_symlink() or not target.is_dir():
        raise OutputError(f"{terminal(str(target))} is not a site folder: build into another")
    if not any(target.iterdir()):
        return
    ours = (target / BUILD_STATE).is_file()
    a_site = (target / "404.html").is_file() and (target / "sitemap.xml").is_file()
    if not (ours or a_site):
        raise OutputError(
            f"{terminal(str(target))} holds files that are not a built site: the build would "
            "replace them; build into another folder (--site-dir) or move them away"
        )


@contextmanager
def _working_folder(folder: Path) -> Any:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _build(
    config_file: Path,
    target: Path,
    strict: bool,
    progress: Callable[[str], None] | None,
    check_specs: bool,
    allow_findings: bool,
) -> Built:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from instamrkt_docs.render import render
    from instamrkt_docs.validate import validate

    config = _load_config(config_file, quiet=True)  # its warnings come with the build's
    specs, out, templates, roots = _plugin_options(config, config_file)
    say = progress or (lambda message: None)
    if check_specs:
        say("validating " + ", ".join(map(str, specs)))
        result = validate(specs, ref_roots=roots)
        plugin = config.plugins.get(PLUGIN)
        allowed = allow_findings or (plugin is not None and plugin.config.allow_findings)
        if has_errors(result.findings) and not allowed:
            raise InvalidSpecs(result.findings, result.checked)
        if result.findings:
            from instamrkt_docs import report

            text = report.as_text(result.findings, result.checked).rstrip()
            print(f"warning: the specs have findings; built all the same:\n{text}", file=sys.stderr)
    say(f"rendering into {out}")
    render(specs, out, templates, ref_roots=roots, changelog=_changelog(config, config_file))
    staging = folders.new_staging(target)
    try:
        say(f"building the site into {staging}")
        with _rendered(), _mkdocs_logging():
            config = _load_config(config_file, site_dir=str(staging), strict=strict)
            plugin = config.plugins.get(PLUGIN)
            if plugin is not None and progress is not None:
                plugin.progress = Progress("building pages")
            try:
                build(config)
            except (MkDocsException, SystemExit) as exc:
                raise BuildError(f"mkdocs build failed: {exc}") from exc
            finally:
                if plugin is not None and plugin.progress is not None:
                    plugin.progress.close()
                    plugin.progress = None
        pages = sum(1 for _ in staging.rglob("index.html"))
        folders.swap_in(target, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Built(target, pages)
