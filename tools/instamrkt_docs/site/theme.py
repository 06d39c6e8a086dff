"""Adjustments to the built theme's assets: three columns from a narrower width.

mkdocs-material shows its navigation beside the page from 76.25em (1220 px); Slate keeps its
three columns down to about 930 px. The theme's stylesheet and script name that width in
media queries; after a build they are made to name `WIDE_FROM` instead, so that every
rule the theme has for wide screens (a fixed sidebar, no drawer) starts there.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

THEME_WIDE = "76.25em"
THEME_NARROW = "76.234375em"  # the theme's max-width just under THEME_WIDE
WIDE_FROM = "60em"  # 960 px at the theme's root size
NARROW_UNTIL = "59.984375em"
# The site's own script (diagrams on demand, reachable tables): render copies it beside
# the generated pages, the plugin loads it on every page.
SITE_SCRIPT = Path(__file__).parent / "assets" / "instamrkt-docs.js"
# The Slate layout: the plugin puts it first among the site's stylesheets, so that a
# project's own (extra_css) can override any of it.
SITE_STYLE = Path(__file__).parent / "assets" / "instamrkt-docs.css"


def widen(site_dir: Path) -> list[Path]:
    """Rewrite the theme's media queries in `site_dir`; the files changed."""
    changed = []
    patterns = ["assets/stylesheets/main.*.min.css", "assets/javascripts/bundle.*.min.js"]
    for pattern in patterns:
        for path in site_dir.glob(pattern):
            text = path.read_text(encoding="utf-8")
            new = text.replace(f"max-width:{THEME_NARROW}", f"max-width:{NARROW_UNTIL}")
            new = new.replace(f"min-width:{THEME_WIDE}", f"min-width:{WIDE_FROM}")
            new = new.replace(f"(min-width: {THEME_WIDE})", f"(min-width: {WIDE_FROM})")
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(path)
    return changed


def language_row(labels: list[str]) -> str:
    """A row of language tabs for the top of a page's code column.

    It is a tab set like every sample's, with empty panels: the theme's linked tabs keep
    it and every sample on the site on the same language, and remember the choice. Search
    leaves its labels out, as it does every sample's.
    """
    inputs = "".join(
        f'<input{" checked" if i == 0 else ""} id="__tabbed_0_{i + 1}" name="__tabbed_0" '
        'type="radio">'
        for i in range(len(labels))
    )
    tabs = "".join(
        f'<label for="__tabbed_0_{i + 1}">{label}</label>' for i, label in enumerate(labels)
    )
    blocks = '<div class="tabbed-block"></div>' * len(labels)
    return (
        f'<div class="im-languages tabbed-set tabbed-alternate" data-tabs="0:{len(labels)}" '
        'data-md-color-scheme="slate" '
        f'role="group" aria-label="Language of the code samples">{inputs}'
        f'<div class="tabbed-labels" data-search-exclude>{tabs}</div>'
        f'<div class="tabbed-content">{blocks}</div></div>'
    )


def linked_sets(html: str, labels: list[str]) -> str:
    """`html` with each tab set whose labels are exactly `labels` marked `im-linked`: the
    language row switches it, and it shows no labels of its own (one row per page). A set
    in other languages (a spec's own samples) keeps its labels."""
    return _linked_pattern(tuple(labels)).sub(
        r'<div class="tabbed-set tabbed-alternate im-linked"\1', html
    )


@functools.cache
def _linked_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    row = "".join(f'<label for="[^"<>]+">{re.escape(label)}</label>' for label in labels)
    return re.compile(
        r'<div class="tabbed-set tabbed-alternate"( data-tabs="\d+:\d+">(?:<input [^<>]*>)+'
        rf'<div class="tabbed-labels"[^<>]*>{row}</div>)'
    )


# Loaded before the theme's script: its request for the search index waits until the
# reader first turns to search (a click or focus on it, a key that opens it, `?q=` in the
# address). A page is usable without downloading the index of every page of the site
# (24 MB for a 452-operation spec). The theme's worker builds the index once it arrives.
SEARCH_ON_FIRST_USE = """<script>(() => {
  let release;
  const wanted = new Promise((resolve) => { release = resolve; });
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.__imSearchIndex = /(^|\\/)search\\/search_index\\.json([?#]|$)/.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (!this.__imSearchIndex) return send.apply(this, body);
    wanted.then(() => send.apply(this, body));
  };
  const use = () => release();
  if (new URLSearchParams(location.search).has("q")) use();
  const near = (event) => event.target.closest?.('.md-search, label[for="__search"]');
  addEventListener("pointerdown", (event) => near(event) && use(), true);
  addEventListener("focusin", (event) => near(event) && use(), true);
  const keys = ["/", "s", "S", "f", "F"]; // the theme's keys that open search
  addEventListener("keydown", (event) => keys.includes(event.key) && use(), true);
  addEventListener("change", (event) => event.target.id === "__search" && use(), true);
})();</script>"""


def search_on_first_use(html: str) -> str:
    """A page that has the theme's search, with the index loaded on first use."""
    if 'data-md-component="search"' not in html or "</head>" not in html:
        return html
    return html.replace("</head>", SEARCH_ON_FIRST_USE + "</head>", 1)
