"""What the reference pages need of a MkDocs configuration, added by the plugin itself.

The pages are written for these Markdown extensions (with these options) and for
mkdocs-material with linked content tabs; the plugin adds whichever a project's mkdocs.yml
leaves out, so that a minimal configuration builds the same site as this project's. An
option the project sets otherwise is a `PluginError` that names it: the pages would be
broken by it.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError

EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "pymdownx.details": {},
    "pymdownx.highlight": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
}
# Options the pages cannot do without (the others above are defaults a project may change).
REQUIRED_OPTIONS = {("pymdownx.tabbed", "alternate_style")}
THEME = "material"
FEATURES = ["content.tabs.link"]  # one choice of language for the whole site


def complete(config: Any) -> None:
    """Add to `config` the extensions, options and theme features the pages need."""
    if config.theme.name != THEME:
        raise PluginError(
            f"instamrkt-docs: the reference is made for the theme {THEME!r} "
            f"(mkdocs-material); mkdocs.yml has {config.theme.name!r}"
        )
    extensions = config.markdown_extensions
    options = config.mdx_configs
    for name, wanted in EXTENSIONS.items():
        if name not in extensions:
            extensions.append(name)
            if wanted:
                options[name] = {**wanted, **options.get(name, {})}
            continue
        current = options.setdefault(name, {})
        for key, value in wanted.items():
            if key not in current:
                current[key] = value
            elif (name, key) in REQUIRED_OPTIONS and current[key] != value:
                raise PluginError(
                    f"instamrkt-docs: the reference needs {name} with {key}: "
                    f"{str(value).lower()} (mkdocs.yml sets {current[key]!r})"
                )
    features = config.theme["features"]
    features.extend(f for f in FEATURES if f not in features)
