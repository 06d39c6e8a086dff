"""Filters for Markdown pages: spec text, table cells, inline code, links, JSON blocks.

Each returns `Escaped` text made by `escaping`'s functions (or `spec_text`'s sanitiser);
`by_variant` and `json_pretty` give values to escape further.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from instamrkt_docs.escaping import (
    Escaped,
    code_span,
    escaped,
    fence,
    html_attr,
    md_id,
    md_literal,
    md_text,
    md_title,
    mermaid_label,
    table_cell,
    url,
    yaml_title,
)
from instamrkt_docs.pages import spec_text
from instamrkt_docs.samples.filters import json_pretty

code = code_span


def cell(text: Any) -> Escaped:
    """Spec text for one Markdown table cell: safe inline HTML, no pipes or line breaks."""
    return Escaped(str(spec_text.inline(text)).replace("|", "&#124;"))


def path_code(path: Any) -> Escaped:
    """A field path as inline code that wraps after its dots, not inside names."""
    return escaped("<code>" + str(md_literal(path)).replace(".", ".<wbr>") + "</code>")


def type_link(
    type_text: str, name: str = "", key: str = "", pages: Mapping[str, str] | None = None
) -> Escaped:
    """A type for a table cell, the named schema in it linked to its description: on this
    page, or on the page that `pages` gives for its key (a relative URL)."""
    text = str(cell(type_text))
    if not key or not name:
        return Escaped(text)
    target = str(cell(name))
    page = (pages or {}).get(key, "")
    link = f'<a href="{url(page)}#{md_id(key)}">{target}</a>'
    found = re.search(rf"(?<![\w-]){re.escape(target)}(?![\w-])", text)
    if found:
        return escaped(text[: found.start()] + link + text[found.end() :])
    return escaped(f"{text} ({link})")


def indent_block(text: Any, width: int = 4) -> Any:
    """Every line indented (for content inside tabs and admonitions); escaped text stays
    escaped, any other stays a value to escape."""
    pad = " " * width
    lines = str(text).rstrip("\n").split("\n")
    indented = "\n".join(pad + line if line.strip() else "" for line in lines)
    return Escaped(indented) if isinstance(text, Escaped) else indented


attr = html_attr


def by_variant(rows: list[Any]) -> list[tuple[str, str, list[Any]]]:
    """Field rows in tables: those of every value (variant ""), then each `oneOf`/`anyOf`
    branch's, as (label, discriminating property, rows), in the order they come."""
    groups: dict[str, tuple[str, str, list[Any]]] = {"": ("", "", [])}
    for row in rows:
        variant = getattr(row, "variant", "")
        groups.setdefault(variant, (variant, getattr(row, "variant_by", ""), []))[2].append(row)
    return [group for key, group in groups.items() if key == "" or group[2]]


FILTERS = {
    "anchor": md_id,
    "attr": attr,
    "by_variant": by_variant,
    "cell": cell,
    "code": code,
    "fence": fence,
    "indent_block": indent_block,
    "json_pretty": json_pretty,
    "mermaid": mermaid_label,
    "path_code": path_code,
    "plain": md_text,
    "spec_block": spec_text.block,
    "spec_inline": spec_text.inline,
    "text_cell": table_cell,
    "title_text": md_title,
    "yaml_title": yaml_title,
    "type_link": type_link,
    "url": url,
}
