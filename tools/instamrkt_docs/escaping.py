"""The one escaping function of each output context, and the mark of text that went through one.

Every string from a spec is untrusted. It reaches a page, a sample, a file name or a terminal
only through the function of that context here; each returns `Escaped`, and the templates'
environment (`templating.py`) refuses to write anything else (a plain string, None, a
list; numbers are written as digits), so a template cannot emit a spec value raw:

    context                             function
    Markdown inline text                md_text
    text kept exactly inside HTML       md_literal
    MkDocs title (nav, front matter)    md_title, yaml_title
    code span (inline, as HTML)         code_span
    heading and attr_list id, class     md_id
    table cell (plain text)             table_cell
    fenced code block                   fence
    mermaid label                       mermaid_label
    HTML attribute                      html_attr
    URL (href, src)                     url
    file name (one path segment)        file_name
    shell word                          shell_word
    Python / JavaScript literal         string_literal
    JavaScript template-literal piece   js_template_piece
    a name written as code              identifier
    one-line code comment               comment
    terminal text                       terminal, terminal_lines
    GitHub workflow command text        ci_log, ci_property
    XML text                            xml_text

Filters that compose these into complete code (a shell word from pieces and variables, a
Python literal of a JSON value) are marked with `escaper`.

Spec Markdown (descriptions) is not escaped but sanitised into HTML: `pages.spec_text`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from instamrkt_docs.errors import InstamrktDocsError


class UnescapedValue(InstamrktDocsError, TypeError):
    """A template tried to write a value that no escaping function has seen."""


class Escaped(str):
    """Text made safe for the context it was escaped for. Any operation on it (`+`,
    `replace`, slicing) gives a plain `str` again, which the templates refuse to write."""

    __slots__ = ()


def admit(value: Any) -> Escaped:
    """`value` as template output: escaped text as it is, a number as its digits; anything
    else is refused (`UnescapedValue`)."""
    if isinstance(value, Escaped):
        return value
    if isinstance(value, Markup):  # a block's output (`super()`), made of admitted pieces
        return Escaped(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Escaped(str(value))
    if isinstance(value, float) and math.isfinite(value):
        return Escaped(repr(value))
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise UnescapedValue(
        f"a template writes {type(value).__name__} {terminal(shown)} without an escaping "
        "filter (one of instamrkt_docs.escaping's contexts)"
    )


def escaped(text: str) -> Escaped:
    """Text the caller built itself from escaped parts and constants."""
    return Escaped(text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any) -> str:
    """A value as text; a lone surrogate (YAML's `"\\ud800"`), which no file, page or
    command line can hold, becomes U+FFFD."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _SURROGATE.sub("\ufffd", text)


# Line breaks of any kind that Markdown, HTML or a terminal may end a line at.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# Characters that HTML, Markdown, attr_list's `{...}`, snippets or mermaid read as syntax.
_SYNTAX = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+!|~=:-;%$^@"})


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", _BREAKS.sub(" ", text)).split())


# Markdown -------------------------------------------------------------------------------


def md_text(value: Any) -> Escaped:
    """Text shown as it is in a Markdown line (heading, list item, paragraph): one line,
    every character that Markdown, HTML or attr_list reads as syntax a character reference."""
    return Escaped(_one_line(_text(value)).translate(_SYNTAX))


def md_literal(value: Any) -> Escaped:
    """Text kept exactly (spaces too) inside an HTML element on a page; a line break is <br>."""
    text = _CONTROL.sub(" ", _text(value).replace("\r\n", "\n"))
    return Escaped("<br>".join(line.translate(_SYNTAX) for line in _BREAKS.split(text)))


_TITLE = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'`*_[]{}#|\\!:"})


def md_title(value: Any) -> Escaped:
    """A title for MkDocs' front matter and navigation (which MkDocs writes into pages as
    HTML without escaping): one line, HTML escaped, no YAML or Markdown syntax."""
    return Escaped(_one_line(_text(value)).translate(_TITLE))


def code_span(value: Any, title: Any = "") -> Escaped:
    """Inline code for any value, as HTML: nothing in it is Markdown, HTML or a line break
    that could end a table row. A `title` (spec text too) shows when pointed at."""
    tip = f' title="{html_attr(title)}"' if title else ""
    return Escaped(f"<code{tip}>{md_literal(value)}</code>")


def table_cell(value: Any) -> Escaped:
    """Plain text for one Markdown table cell: `md_text` (no pipe, no line break)."""
    return md_text(value)


_ID = re.compile(r"[^A-Za-z0-9_-]")


def md_id(value: Any) -> Escaped:
    """A heading or element id (attr_list's `#id`, an HTML id, a URL fragment): letters,
    digits, `-` and `_` only; anything else becomes `-`, and an empty id `id`."""
    text = _ID.sub("-", _text(value))[:200] or "id"
    return Escaped(text)


def html_attr(value: Any) -> Escaped:
    """A value for a double-quoted HTML or attr_list attribute: `md_text`, whose character
    references nothing can end the quotes, the attribute list or the line with."""
    return md_text(value)


def url(value: Any) -> Escaped:
    """A URL for an href: http(s), mailto or relative; anything else (javascript:, data:)
    becomes `#`. Characters outside RFC 3986 are percent-encoded, and so is every
    character that HTML or Markdown would read."""
    text = _one_line(_text(value)).strip()
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", text)
    if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
        return Escaped("#")
    quoted = urllib.parse.quote(text, safe="/?#=&%:@,;+!$'*~-._")
    return Escaped(quoted.replace("'", "%27").replace("*", "%2A").replace("&", "&amp;"))


_FENCE_RUN = re.compile(r"`{3,}|~{3,}")
# A line that pymdownx.snippets would read as an include (`--8<--`, `;--8<--` and the rest).
_SNIPPET = re.compile(r"^(\s*;*)(-{1,}8<-{1,})", re.M)


def fence(value: Any, language: str = "") -> Escaped:
    """A fenced code block that no text inside can end early or turn into anything but
    code: a fence longer than any backtick run, every line break (CR, LF, U+2028/2029,
    form feed...) a plain LF, NUL and other control characters shown as U+FFFD, and a
    snippet line (`--8<--`) broken by a zero-width joiner."""
    text = _BREAKS.sub("\n", _text(value))
    text = re.sub("[\x00-\x08\x0e-\x1f\x7f]", "\ufffd", text)
    text = _SNIPPET.sub(lambda m: m.group(1) + m.group(2)[0] + "\u2060" + m.group(2)[1:], text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    lexer = re.sub(r"[^A-Za-z0-9_+-]", "", language)
    return Escaped(f"{ticks}{lexer}\n{text.rstrip()}\n{ticks}")


_MERMAID_LOOKALIKES = str.maketrans(
    {"<": "\u2039", ">": "\u203a", "&": "+", '"': "\u201d", "'": "\u2019"}
)
_MERMAID_PLAIN = frozenset(" .,/_+\u2039\u203a\u201d\u2019")


def mermaid_label(value: Any) -> Escaped:
    """Text for a mermaid label: one line; what HTML would read replaced by a look-alike
    (mermaid may place labels as HTML), and any other character that mermaid, Markdown or
    a fence could read as syntax written as mermaid's character code (`#123;`)."""
    text = _one_line(_text(value)).translate(_MERMAID_LOOKALIKES)
    return Escaped(
        "".join(ch if ch.isalnum() or ch in _MERMAID_PLAIN else f"#{ord(ch)};" for ch in text)
    )


# Files --------------------------------------------------------------------------------

_FILE = re.compile(r"[^a-z0-9-]+")


def file_name(value: Any, limit: int = 80, empty: str = "x") -> Escaped:
    """One path segment for a generated file or folder (and a URL-safe key): lowercase
    letters, digits and `-`, at most `limit` characters (a longer name ends with a hash of
    the whole); never `.`, `..`, hidden or empty (`empty` instead)."""
    text = unicodedata.normalize("NFKD", _text(value)).encode("ascii", "ignore").decode()
    slug = _FILE.sub("-", text.lower()).strip("-") or empty
    if len(slug) > limit:
        digest = hashlib.sha256(_text(value).encode("utf-8", "surrogatepass")).hexdigest()[:10]
        slug = slug[: limit - 11].rstrip("-") + "-" + digest
    return Escaped(slug)


# Code ---------------------------------------------------------------------------------


_SHELL_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def shell_word(value: Any) -> Escaped:
    """A shell word that the shell reads back as exactly `value`: as it is when it holds
    only letters, digits and `_@%+=:,./-` (as `shlex.quote`), else single-quoted."""
    text = _text(value)
    if _SHELL_PLAIN.fullmatch(text):
        return Escaped(text)
    return Escaped("'" + text.replace("'", "'\"'\"'") + "'" if text else "''")


def string_literal(value: Any) -> Escaped:
    """A double-quoted string literal that Python and JavaScript read back as `value`:
    every character outside printable ASCII as an escape, so no line break, BOM or
    bidirectional control reaches the source."""
    text = value if isinstance(value, str) else str(value)
    literal = json.dumps(text, ensure_ascii=False)
    return Escaped(_INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", literal))


# What a reader cannot see or an editor may read as a line break, inside a literal: C1
# controls, line and paragraph separators, bidirectional controls, zero-widths, the BOM.
# (json.dumps already escapes C0 controls; a lone surrogate is escaped to \ud8xx form.)
_INVISIBLE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)


def js_template_piece(value: Any) -> Escaped:
    """Text for inside a JavaScript template literal: `\\`, `` ` `` and every `$` escaped,
    so that no piece, alone or next to another, opens `${...}`."""
    text = string_literal(_text(value))[1:-1].replace('\\"', '"')
    return Escaped(text.replace("`", "\\`").replace("$", "\\$"))


def comment(value: Any) -> Escaped:
    """Text for a one-line comment: control characters and line breaks become spaces."""
    return Escaped(_one_line(_text(value) if not isinstance(value, str) else value))


# Terminals and logs ---------------------------------------------------------------------


def terminal(value: Any) -> str:
    """Text for a terminal: escape sequences, BEL, CR and other control characters shown
    as `\\x..` escapes, so that nothing a spec says moves the cursor or writes a line."""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL_ALL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_CONTROL_ALL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_lines(value: Any) -> str:
    """`terminal`, keeping line feeds (for a block of our own lines)."""
    text = value if isinstance(value, str) else str(value)
    return "\n".join(terminal(line) for line in text.split("\n"))


def ci_log(value: Any) -> str:
    """Text for one GitHub workflow command's message or property: `%`, CR, LF (and `:`
    and `,` where `property` is set) percent-encoded as GitHub decodes them, other control
    characters escaped, so that no text starts a command of its own."""
    text = value if isinstance(value, str) else str(value)
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal(text)


def ci_property(value: Any) -> str:
    """`ci_log` for a property value (file=, title=): `:` and `,` encoded too."""
    return ci_log(value).replace(":", "%3A").replace(",", "%2C")


_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    """Text that XML 1.0 can hold: characters it forbids (NUL, ESC, lone surrogates...)
    shown as `\\x..` escapes. Markup characters are left to the XML writer."""
    text = value if isinstance(value, str) else str(value)
    return _XML_INVALID.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def escaper(function: Callable[..., str]) -> Callable[..., Escaped]:
    """`function`, whose text is complete for its context (it quotes every value it
    takes with the functions above), marked `Escaped` for the templates."""

    @functools.wraps(function)
    def marked(*args: Any, **kwargs: Any) -> Escaped:
        return Escaped(function(*args, **kwargs))

    return marked


def yaml_title(value: Any) -> Escaped:
    """A title as a double-quoted YAML string for a page's front matter (`md_title` text)."""
    return Escaped(json.dumps(str(md_title(value)), ensure_ascii=True))


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def identifier(value: Any) -> Escaped:
    """A name written as code as it is (a method, a variable): only a plain identifier;
    anything else is refused."""
    text = _text(value)
    if not _IDENTIFIER.fullmatch(text):
        raise UnescapedValue(f"not an identifier: {terminal(repr(text)[:60])}")
    return Escaped(text)
