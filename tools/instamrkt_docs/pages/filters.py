"""Filters for Markdown pages: table cells, inline code, JSON blocks."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from instamrkt_docs.pages import spec_text
from instamrkt_docs.samples.filters import json_pretty


def cell(text: Any) -> str:
    """Spec text for one Markdown table cell: safe inline HTML, no pipes or line breaks."""
    return spec_text.inline(text).replace("|", "&#124;")


def code(value: Any, title: Any = "") -> str:
    """Inline code for any value, as HTML: nothing in it is Markdown, HTML or a line break
    that could end a table row. A `title` (spec text too) shows when pointed at."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    tip = f' title="{spec_text.plain(title)}"' if title else ""
    return f"<code{tip}>" + spec_text.literal(text) + "</code>"


def path_code(path: str) -> str:
    """A field path as inline code that wraps after its dots, not inside names."""
    escaped = html.escape(path).replace("|", "&#124;")
    return "<code>" + re.sub(r"(\[\]\.|\.)", r"\1<wbr>", escaped) + "</code>"


def type_link(
    type_text: str, name: str = "", key: str = "", pages: Mapping[str, str] | None = None
) -> str:
    """A type for a table cell, the named schema in it linked to its description: on this
    page, or on the page that `pages` gives for its key (a relative URL)."""
    escaped = cell(type_text)
    if not key or not name:
        return escaped
    target = cell(name)
    page = (pages or {}).get(key, "")
    link = f'<a href="{attr(page)}#{attr(key)}">{target}</a>'
    found = re.search(rf"(?<![\w-]){re.escape(target)}(?![\w-])", escaped)
    if found:
        return escaped[: found.start()] + link + escaped[found.end() :]
    return f"{escaped} ({link})"


def indent_block(text: str, width: int = 4) -> str:
    """Every line indented (for content inside tabs and admonitions)."""
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in text.rstrip("\n").split("\n"))


def fence(text: str, language: str = "") -> str:
    """A fenced code block that no backtick run inside can close early."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def attr(text: Any) -> str:
    """A value for a double-quoted HTML attribute or tab title."""
    return str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def by_variant(rows: list[Any]) -> list[tuple[str, str, list[Any]]]:
    """Field rows in tables: those of every value (variant ""), then each `oneOf`/`anyOf`
    branch's, as (label, discriminating property, rows), in the order they come."""
    groups: dict[str, tuple[str, str, list[Any]]] = {"": ("", "", [])}
    for row in rows:
        variant = getattr(row, "variant", "")
        groups.setdefault(variant, (variant, getattr(row, "variant_by", ""), []))[2].append(row)
    return [group for key, group in groups.items() if key == "" or group[2]]


FILTERS = {
    "attr": attr,
    "by_variant": by_variant,
    "cell": cell,
    "code": code,
    "fence": fence,
    "indent_block": indent_block,
    "json_pretty": json_pretty,
    "path_code": path_code,
    "plain": spec_text.plain,
    "spec_block": spec_text.block,
    "spec_inline": spec_text.inline,
    "title_text": spec_text.title,
    "type_link": type_link,
}
