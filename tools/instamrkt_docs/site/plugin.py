"""The MkDocs plugin: renders the specs before each build and adds their pages to the nav.

In mkdocs.yml:

    plugins:
      - search
      - instamrkt-docs:
          specs: [spec]          # spec files or folders (relative to mkdocs.yml)
          out: reference         # generated folder, inside docs_dir
          templates: templates   # optional: a folder of template overrides

The nav names the place of each spec's generated pages with the first page of a section:
a section whose first entry is `reference/rest/index.md` gets the REST pages after it.
With `mkdocs serve`, a change in a spec renders the pages again and reloads the browser.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

log = get_plugin_logger(__name__)
# `instamrkt-docs build` renders before it builds: the plugin then only wires the nav.
RENDERED_ENV = "INSTAMRKT_DOCS_RENDERED"


class InstamrktDocsConfig(Config):
    """The plugin's options."""

    specs = config_options.ListOfItems(config_options.Type(str), default=["spec"])
    out = config_options.Type(str, default="reference")
    templates = config_options.Optional(config_options.Type(str))


class InstamrktDocsPlugin(BasePlugin[InstamrktDocsConfig]):
    """Renders the specs into docs_dir and splices their pages into the navigation."""

    def _root(self, config: Any) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: Any) -> Any:
        from instamrkt_docs.errors import InstamrktDocsError
        from instamrkt_docs.render import render

        root = self._root(config)
        out = Path(config.docs_dir) / self.config.out
        if not os.environ.get(RENDERED_ENV):
            specs = [root / p for p in self.config.specs]
            templates = root / self.config.templates if self.config.templates else None
            cwd = os.getcwd()
            os.chdir(root)
            try:
                result = render(specs, out, templates)
            except InstamrktDocsError as exc:
                raise PluginError(f"instamrkt-docs: {exc}") from exc
            finally:
                os.chdir(cwd)
            if result.written or result.removed:
                log.info(
                    f"rendered {len(result.written)} changed and removed {len(result.removed)} "
                    f"files in {out}"
                )
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

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        root = self._root(config)
        for spec in self.config.specs:
            path = root / spec
            if path.exists():
                server.watch(str(path))
        return server


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
