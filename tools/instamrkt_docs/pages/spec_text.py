"""Spec text on pages: Markdown from a spec made into HTML that can do no harm.

Images are left out: one from another host would track readers of a site that otherwise
loads nothing from elsewhere.
Whoever wrote a spec, its descriptions are untrusted. They are rendered from Markdown to
HTML here and passed through an allowlist sanitiser (nh3): no script, event handler, style,
form, frame, or link to anything but http(s) and mailto survives. The page template then
places that HTML as it is (`Escaped`), so MkDocs never sees the spec's own raw HTML.
Titles and other plain text are escaped by `escaping.md_text` and `md_title`.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import markdown
import nh3

from instamrkt_docs.escaping import Escaped

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "q", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)
_LIST_ITEM = re.compile(r"\n\s*[-*] ")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")
# In text already escaped for HTML: what Markdown and attr_list's `{...}` read as syntax.
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~:"})


@functools.lru_cache(maxsize=4096)
def sanitize(fragment: str) -> str:
    """HTML with everything outside the allowlist removed, and no Markdown left in its text.

    The page's Markdown is read again by MkDocs, inline HTML included: Markdown syntax in
    the text between tags becomes character references, so nothing is read twice.
    """
    clean = nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _TAG_OR_TEXT.sub(lambda m: m.group(1) or m.group(2).translate(_MARKDOWN), clean)


_local = threading.local()


@functools.lru_cache(maxsize=4096)
def _convert(text: str) -> str:
    # One converter per thread, reset after each text: making one takes longer than most
    # texts take to convert.
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown.Markdown(
            extensions=_EXTENSIONS, output_format="html"
        )
    try:
        return converter.convert(text)
    finally:
        converter.reset()


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def block(text: Any, under: int = 2) -> Escaped:
    """A spec's Markdown as safe HTML in one raw block of a page ("" for none).

    Its headings are kept, moved down to fit under the page's heading of level `under`
    (the operation's, 2): the spec's first level becomes `under + 1`, at most 6."""
    if text is None or not str(text).strip():
        return Escaped("")
    safe = _anchored(sanitize(_demoted(_convert(_lines(text)), under)).strip())
    return Escaped(f'<div class="im-spec-text" markdown="0">\n{safe}\n</div>')


_SAFE_HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)


def _anchored(html: str) -> str:
    """Sanitised HTML whose headings have ids a link can name: `section-` and the words of
    the heading (letters and digits only, as Redoc's `section/...`), unique in the text."""
    seen: dict[str, int] = {}

    def anchor(match: re.Match[str]) -> str:
        words = re.sub(r"<[^>]*>|&[#\w]+;", " ", match.group(2)).lower()
        slug = "-".join(re.findall(r"[a-z0-9]+", words))[:60].strip("-") or "heading"
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            slug = f"{slug}-{seen[slug]}"
        level = match.group(1)
        return f'<h{level} id="section-{slug}">{match.group(2)}</h{level}>'

    return _SAFE_HEADING.sub(anchor, html)


def _demoted(html: str, under: int) -> str:
    """The headings moved so that the first level is `under + 1` (h6 at most)."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if not levels:
        return html
    shift = max(under, 1) + 1 - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)


def _lines(text: Any) -> str:
    """The text with every kind of line break as LF (Markdown reads CR alone as one too)
    and no NUL, so that the converter and the page agree on where lines end."""
    value = str(text).replace("\r\n", "\n")
    return re.sub("[\r\x0b\x0c\x85\u2028\u2029]", "\n", value).replace("\x00", "\ufffd")


def inline(text: Any) -> Escaped:
    """A spec's short Markdown as safe HTML on one line (table cells, list items)."""
    if text is None:
        return Escaped("")
    return _inline(str(text))


@functools.lru_cache(maxsize=8192)
def _inline(text: str) -> Escaped:
    value = _LIST_ITEM.sub("<br>• ", _lines(text).strip())  # a list in a cell: one line each
    if not value:
        return Escaped("")
    converted = _convert(value)
    match = _PARAGRAPH.match(converted.strip())
    if match and "<p>" not in match.group(1):
        converted = match.group(1)
    safe = sanitize(converted)
    safe = re.sub(r"</p>\s*<p>", "<br>", safe)
    safe = safe.replace("<p>", "").replace("</p>", "")
    return Escaped(re.sub(r"\s*\n\s*", " ", safe).strip())
