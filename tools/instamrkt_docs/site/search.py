"""The search index under dirty builds: every page's entries, the rebuilt ones renewed.

Material's search plugin indexes only the pages a build renders. Under a dirty build that is
the changed pages, and its own merge keeps the earlier entries of all pages but one. This
merge replaces the earlier entries of exactly the pages rebuilt, and starts from the index
already in the site when the process has none yet (a second `serve` of the same site).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def merge_search_entries(search: Any, site_dir: Path, rebuilt: set[str], full: bool) -> None:
    """Give the search plugin's index every page's entries; run before it writes them."""
    index = getattr(search, "search_index", None)
    if index is None or not hasattr(index, "entries"):
        return
    if full:
        earlier: list[dict] = []
    elif search.search_index_prev is not None:
        earlier = list(search.search_index_prev.entries)
    else:
        earlier = _entries_on_disk(site_dir)
    kept = [entry for entry in earlier if _page_of(entry.get("location", "")) not in rebuilt]
    index.entries = kept + list(index.entries)
    search.search_index_prev = None  # the merge is done: the plugin's own must not run


def _entries_on_disk(site_dir: Path) -> list[dict]:
    try:
        data = json.loads((site_dir / "search" / "search_index.json").read_text())
    except (OSError, ValueError):
        return []
    docs = data.get("docs") if isinstance(data, dict) else None
    return [d for d in docs if isinstance(d, dict)] if isinstance(docs, list) else []


def name_sections(search: Any, sections: dict[str, str]) -> None:
    """Title each page's own entry with its section too ("REST calls · Pools"), so that
    results from pages of the same name say which one they are from."""
    index = getattr(search, "search_index", None)
    for entry in getattr(index, "entries", None) or []:
        section = sections.get(entry.get("location", ""))
        title = entry.get("title", "")
        if section and title and not title.startswith(f"{section} · "):
            entry["title"] = f"{section} · {title}"


_CODE_COLUMN = '<div class="im-code"'
_DIV = re.compile(r"<div\b|</div>")


_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_TAG_BUT_CODE = re.compile(r"<(?!/?code\b)[^>]*>")


def for_search(html: str) -> str:
    """A page's HTML as the search plugin reads it: without its code columns, and its
    tables as their text (code kept), a space between cells. The plugin indexes the same
    words, parsing a tenth of the tags."""
    return _TABLE.sub(lambda m: _TAG_BUT_CODE.sub(" ", m.group(0)), without_code(html))


def without_code(html: str) -> str:
    """A page's HTML without its code columns (each `im-code` element, whole)."""
    kept = []
    start = 0
    while (found := html.find(_CODE_COLUMN, start)) != -1:
        kept.append(html[start:found])
        depth = 0
        for tag in _DIV.finditer(html, found):
            depth += 1 if tag.group() == "<div" else -1
            if depth == 0:
                start = tag.end()
                break
        else:
            return "".join(kept)  # unclosed: the rest is code
    kept.append(html[start:])
    return "".join(kept)


MODEL_WEIGHT = 0.5  # a model's section against an operation's of the same page


def rank_models_below_operations(search: Any) -> None:
    """A model's section ranks under the operations of its page: a reader who types
    "settle" wants "Settle a pool" before the Settlement model it answers with."""
    index = getattr(search, "search_index", None)
    for entry in getattr(index, "entries", None) or []:
        if "#model-" in entry.get("location", ""):
            entry["boost"] = round(float(entry.get("boost") or 1) * MODEL_WEIGHT, 3)


# The text of every entry together, in characters: what a reader's browser downloads and
# indexes at the first search, whatever the size of the specs.
SEARCH_TEXT_BUDGET = 4_000_000


def bound_index(search: Any, budget: int = SEARCH_TEXT_BUDGET) -> None:
    """Cut the longest entries' texts (never a title or a location) until all of them fit
    in the budget: each is cut at the same length, the largest that fits, at a word."""
    index = getattr(search, "search_index", None)
    entries = [e for e in getattr(index, "entries", None) or [] if isinstance(e.get("text"), str)]
    lengths = sorted(len(entry["text"]) for entry in entries)
    if sum(lengths) <= budget:
        return
    low, high = 0, lengths[-1]
    while low < high:  # the largest cap whose texts fit
        cap = (low + high + 1) // 2
        if sum(min(length, cap) for length in lengths) <= budget:
            low = cap
        else:
            high = cap - 1
    for entry in entries:
        if len(entry["text"]) > low:
            entry["text"] = _cut(entry["text"], low)


def _cut(text: str, length: int) -> str:
    """The text's first `length` characters or fewer, ending at a word outside any tag."""
    cut = text[:length]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + " …"
