"""The generated pages' tables and code blocks made HTML without the Markdown parser.

Python-Markdown spends most of a big reference's build on two things the templates write
by the thousand: pipe tables (its inline patterns run over every cell) and fenced code
(pymdownx.highlight makes a Pygments formatter, stylesheet and all, for each block). Both
are in forms the templates fix, so `Lane.prepare` finds them in a page's Markdown, puts a
placeholder comment in their place and makes their HTML itself, exactly as the extensions
would; `Lane.restore` puts that HTML into the page the parser made around the placeholders.

Exactly: a table only when no cell holds anything Markdown would read (its cells are
escaped text and HTML tags, as `escaping` and `spec_text` make them), a fence only of the
plain form (```lang, no options); anything else is left to Markdown. And only under the
Markdown extensions and options whose output this module knows (`lane`); under any other
configuration there is no lane, and the parser does it all.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Extensions with no effect on a table cell of escaped text or a plain fence (their
# options, where they could have one, are checked in `lane`).
_KNOWN = {
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.snippets",
    "pymdownx.superfences", "pymdownx.tabbed", "markdown.extensions.abbr",
    "markdown.extensions.admonition", "markdown.extensions.attr_list",
    "markdown.extensions.def_list", "markdown.extensions.fenced_code",
    "markdown.extensions.md_in_html", "markdown.extensions.tables", "markdown.extensions.toc",
}  # fmt: skip
_TAB_LENGTH = 4
# A plain fence, its indent and language; its closing fence has the same indent and ticks.
_FENCE_OPEN = re.compile(r"( *)(`{3,})([A-Za-z0-9_+-]*)\n")
# An HTML tag as Python-Markdown's inline HTML pattern stashes it, with a plain name (not
# an autolink such as <https://...>), and a character reference it passes through.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# What Markdown's inline patterns read in text (left after tags and references go).
_SYNTAX = re.compile(r"[`*_\[\]!\\<>&{}~^=\t]")
# An abbreviation's definition (abbr then marks its words anywhere on the page).
_ABBREVIATION = re.compile(r"^ {0,3}\*\[", re.M)
_SEPARATOR = re.compile(r"\|(?:-{3,}\|)+")


@dataclass
class Lane:
    """Tables and plain fences of generated pages, as HTML made here (see the module)."""

    highlight: dict[str, Any]
    custom_fences: frozenset[str]
    token: str = field(default_factory=lambda: secrets.token_hex(8))
    _lexers: dict[str, Any] = field(default_factory=dict)
    _formatter: Any = None
    _highlights: dict[tuple[str, str], str] = field(default_factory=dict)
    _pieces: dict[str, str] = field(default_factory=dict)
    _count: int = 0

    def __post_init__(self) -> None:
        self._placeholder = re.compile(rf"<!--im-{self.token}-[0-9]+-->")

    def prepare(self, markdown: str) -> str:
        """The Markdown with each table and plain fence a placeholder; their HTML kept."""
        self._pieces = {}
        tables = _ABBREVIATION.search(markdown) is None  # abbr could mark words in cells
        out: list[str] = []
        position = 0
        for start, end, indent, language, code in _fences(markdown):
            out.append(
                self._tables(markdown[position:start]) if tables else markdown[position:start]
            )
            if code is None or not language or language in self.custom_fences:
                out.append(markdown[start:end])
            else:
                out.append(indent + self._keep(self._highlighted(code, language)))
            position = end
        rest = markdown[position:]
        out.append(self._tables(rest) if tables else rest)
        return "".join(out)

    def restore(self, html: str) -> str:
        """The page's HTML with the kept HTML at its placeholders."""
        if not self._pieces:
            return html
        pieces, self._pieces = self._pieces, {}
        return self._placeholder.sub(lambda m: pieces.pop(m.group(0), m.group(0)), html)

    def _keep(self, html: str) -> str:
        self._count += 1
        placeholder = f"<!--im-{self.token}-{self._count}-->"
        self._pieces[placeholder] = html
        return placeholder

    # fences ------------------------------------------------------------------------

    def _highlighted(self, code: str, language: str) -> str:
        """What pymdownx.superfences makes of ```language with this code (the same example
        is often on many pages: it is highlighted once)."""
        key = (language, code)
        if key not in self._highlights:
            if len(self._highlights) > 20_000:
                self._highlights.clear()
            self._highlights[key] = self._highlight(code, language)
        return self._highlights[key]

    def _highlight(self, code: str, language: str) -> str:
        from pygments import highlight
        from pymdownx.highlight import BlockHtmlFormatter

        options = self.highlight
        lexer, name = self._lexer(language)
        if self._formatter is None:
            self._formatter = BlockHtmlFormatter(
                cssclass=options["css_class"],
                linenos=False,
                linenostart=1,
                linenostep=1,
                linenospecial=0,
                style=options["pygments_style"],
                noclasses=options["noclasses"],
                hl_lines=[],
                wrapcode=True,
                filename="",
                linespans="",
                lineanchors="",
                anchorlinenos=options["anchor_linenums"],
            )
        html = highlight(code, lexer, self._formatter).rstrip("\n")
        head = re.match(r'^<(div)(\s*class="(.*?)")?\s*>', html)
        if head is not None and options["pygments_lang_class"]:
            names = options["language_prefix"] + name
            classes = (
                f' class="{names} {head.group(3).strip()}"'
                if head.group(2)
                else (f' class="{names}"')
            )
            html = f"<div{classes}>{html[head.end() :]}"
        return html

    def _lexer(self, language: str) -> tuple[Any, str]:
        if language not in self._lexers:
            from pygments.lexers import get_lexer_by_name

            stripnl = self.highlight["stripnl"]
            try:
                self._lexers[language] = (get_lexer_by_name(language, stripnl=stripnl), language)
            except Exception:  # pygments raises ClassNotFound, or worse for odd names
                lexer = get_lexer_by_name(self.highlight["default_lang"] or "text", stripnl=stripnl)
                self._lexers[language] = (lexer, lexer.aliases[0])
        return self._lexers[language]

    # tables ------------------------------------------------------------------------

    def _tables(self, markdown: str) -> str:
        blocks = markdown.expandtabs(_TAB_LENGTH).split("\n\n")
        for number, block in enumerate(blocks):
            if block.startswith("|") and (html := _table(block)) is not None:
                blocks[number] = self._keep(html)
        return "\n\n".join(blocks)


def _fences(markdown: str) -> Iterator[tuple[int, int, str, str, str | None]]:
    """Each fenced block: where it starts and ends, its indent, language and code (None
    when a line of it is outside the indent: then it is not one Markdown reads as plain)."""
    position = 0
    while (found := _FENCE_OPEN.search(markdown, position)) is not None:
        start = found.start()
        if start and markdown[start - 1] != "\n":
            position = found.end()
            continue
        indent, ticks, language = found.groups()
        end = re.compile(rf"^{indent}{ticks}[ \t]*$", re.M).search(markdown, found.end())
        if end is None:
            return
        code = _dedented(markdown[found.end() : end.start()], len(indent))
        yield start, end.end(), indent, language, code
        position = end.end()


def _dedented(body: str, indent: int) -> str | None:
    """A fence's code as Markdown gives it to the highlighter (tabs expanded, blank lines
    empty, the indent removed), or None when a line is not inside the indent."""
    lines = []
    for line in body.split("\n")[:-1]:
        line = line.expandtabs(_TAB_LENGTH)
        if not line.strip(" "):
            lines.append("")
        elif line.startswith(" " * indent):
            lines.append(line[indent:])
        else:
            return None
    return "\n".join(lines) + "\n"


def _table(block: str) -> str | None:
    """A pipe table's HTML as Python-Markdown's tables extension writes it, or None when
    one of its lines is not a plain row of plain cells."""
    lines = block.strip("\n").split("\n")
    if len(lines) < 2 or _SEPARATOR.fullmatch(lines[1].rstrip()) is None:
        return None
    width = lines[1].count("|") - 1
    rows = []
    for line in [lines[0], *lines[2:]]:
        line = line.rstrip()
        if not (line.startswith("| ") and line.endswith(" |")) or line.count("|") != width + 1:
            return None
        cells = [cell.strip() for cell in line[1:-1].split("|")]
        if not all(_plain(cell) for cell in cells):
            return None
        rows.append(cells)
    head = "".join(f"<th>{cell}</th>\n" for cell in rows[0])
    body = "".join(
        "<tr>\n" + "".join(f"<td>{cell}</td>\n" for cell in row) + "</tr>\n" for row in rows[1:]
    )
    return f"<table>\n<thead>\n<tr>\n{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>"


def _plain(cell: str) -> bool:
    """Whether Markdown's inline patterns would leave the cell as it is."""
    text = _REFERENCE.sub("", _TAG.sub("", cell))
    return _SYNTAX.search(text) is None


def lane(config: Any) -> Lane | None:
    """A lane for this MkDocs configuration, or None when its Markdown could differ."""
    extensions = config["markdown_extensions"]
    options = config["mdx_configs"]
    if any(not isinstance(name, str) or name not in _KNOWN for name in extensions):
        return None
    if "pymdownx.superfences" not in extensions or options.get("pymdownx.abbr"):
        return None
    if options.get("abbr") or options.get("pymdownx.snippets", {}).get("auto_append"):
        return None  # a glossary could mark words in any cell
    superfences = options.get("pymdownx.superfences", {})
    if superfences.get("preserve_tabs") or superfences.get("css_class"):
        return None
    from pymdownx.highlight import HighlightExtension

    highlight = HighlightExtension(**options.get("pymdownx.highlight", {})).getConfigs()
    plain = (
        highlight["use_pygments"]
        and not highlight["linenums"]
        and not highlight["line_spans"]
        and not highlight["line_anchors"]
        and not highlight["auto_title"]
        and not highlight["guess_lang"]
        and not highlight["extend_pygments_lang"]
    )
    if not plain:
        return None
    custom = frozenset(str(fence.get("name", "")) for fence in superfences.get("custom_fences", []))
    # superfences' own custom fence for diagrams, there whatever the configuration says
    return Lane(dict(highlight), custom | {"diagram", "mermaid"})
