"""`llms.txt` and a Markdown copy of every page beside its HTML, for readers that are
programs (https://llmstxt.org).

The copy is the page's own Markdown, made plain: the layout's `<div>` wrappers go, included
snippets are put in, each tab of samples becomes a code block titled with its language,
a collapsible or a note becomes a titled block, and the character references that keep
spec text from being read as Markdown become characters again (but `<`, `>` and `&`, so
that spec text is never markup). Converting each built page's HTML back to Markdown
(mkdocs-llmstxt) made a build of this site ten times slower; this costs nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_WRAPPER = re.compile(r"^\s*</?div\b[^>]*>\s*$")
_SNIPPET = re.compile(r'^(\s*)--8<--\s+"([^"]+)"\s*$')
_HEADING_ATTRS = re.compile(r"^(#{1,6} .*?)\s*\{[^{}]*\}\s*$")
_TAB = re.compile(r'^=== "(.*)"\s*$')
_BLOCK = re.compile(r'^(?:\?\?\?\+?|!!!)\s+[\w-]+(?:\s+"(.*)")?\s*$')
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_KEEP = {"&#60;": "&lt;", "&#62;": "&gt;", "&#38;": "&amp;"}
_ENTITY = re.compile(r"&#(\d+);")


def plain_markdown(markdown: str, docs_dir: Path) -> str:
    """A page's Markdown as a program reads it best (see the module's docstring)."""
    out: list[str] = []
    levels = 0  # tabs and blocks being unwrapped, each indented 4 more
    fence = ""  # the fence of the code block the line is in
    for raw in _include(markdown.splitlines(), docs_dir):
        while levels and raw.strip() and not raw.startswith(" " * 4 * levels):
            levels -= 1
        line = raw[4 * levels :]
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            out.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        if _WRAPPER.match(line):
            continue
        tab, block = _TAB.match(line), _BLOCK.match(line)
        if tab or block:
            title = (tab or block).group(1)  # type: ignore[union-attr]
            if title:
                out.append(f"**{title}**")
            levels += 1
            continue
        heading = _HEADING_ATTRS.match(line)
        out.append(heading.group(1) if heading else line)
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return _characters(text)


def _include(lines: list[str], docs_dir: Path, depth: int = 0) -> list[str]:
    """Snippet lines (`--8<-- "file"`) replaced by the file, as pymdownx.snippets does."""
    out = []
    for line in lines:
        found = _SNIPPET.match(line)
        path = (docs_dir / found.group(2)).resolve() if found else None
        if found and path and depth < 4 and path.is_relative_to(docs_dir.resolve()):
            try:
                included = path.read_text(encoding="utf-8").splitlines()
            except OSError:
                included = [line]
            out += [found.group(1) + x for x in _include(included, docs_dir, depth + 1)]
        else:
            out.append(line)
    return out


def _characters(text: str) -> str:
    """Character references as characters, but those of markup; `|` stays in its cell."""
    text = text.replace("&#124;", "\\|")

    def one(match: re.Match[str]) -> str:
        entity = match.group(0)
        return _KEEP.get(entity) or html.unescape(entity)

    return _ENTITY.sub(one, text)


def index(title: str, description: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The text of llms.txt: the site's title and description, then each section's pages
    (title, link to the Markdown copy)."""
    out = [f"# {title}", ""]
    if description:
        out += [f"> {description}", ""]
    for name, pages in sections:
        if not pages:
            continue
        out += [f"## {name}", ""]
        out += [f"- [{page_title}]({link})" for page_title, link in pages]
        out.append("")
    return "\n".join(out)
