"""Each output context's one escaping function: what comes out cannot be read as anything
but the text that went in, whatever that text holds."""

from __future__ import annotations

import json
import re
import subprocess
import xml.dom.minidom

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instamrkt_docs import escaping
from tests.tools import need

NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("<>&\"'`*_{}[]()#+!|~=:-;%$^@\\\r\n\t\x00\x1b\x07\u2028\u2029\u202e")),
        st.characters(),
    ),
    max_size=40,
)


@given(NASTY)
def test_markdown_text_is_one_line_of_no_syntax(text: str) -> None:
    out = escaping.md_text(text)
    assert isinstance(out, escaping.Escaped)
    assert "\n" not in out and "\r" not in out
    assert not re.search(r"[<>\"'`*_{}\[\]()#!|\\&;]", re.sub(r"&#\d+;", "", out))


@given(NASTY)
def test_a_fence_holds_its_text_and_only_it(text: str) -> None:
    block = escaping.fence(text, "shell")
    lines = block.split("\n")
    ticks = lines[0][: len(lines[0]) - len("shell")]
    assert set(ticks) == {"`"} and lines[-1] == ticks
    inner = lines[1:-1]
    assert not any(line.startswith(ticks) for line in inner)  # nothing ends it early
    assert not any(re.match(r"\s*;*-+8<-", line) for line in inner)  # no snippet line
    assert "\r" not in block and "\x00" not in block


def test_a_fence_rendered_by_markdown_is_one_code_block() -> None:
    text = 'a\r```\r<imk-poison>\u2028--8<-- "x"\n````'
    html = markdown.markdown(escaping.fence(text), extensions=["fenced_code"])
    assert html.count("<pre>") == 1 and "<imk-poison>" not in html


@given(NASTY)
def test_ids_urls_and_file_names_hold_only_their_characters(text: str) -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", escaping.md_id(text))
    name = escaping.file_name(text)
    assert re.fullmatch(r"[a-z0-9-]{1,80}", name) and name not in (".", "..")
    assert not re.search(r"[\s<>\"'`]", escaping.url(text))


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JaVaScRiPt:x", "data:text/html,x",
                                  "vbscript:x"])  # fmt: skip
def test_a_url_of_another_scheme_goes_nowhere(link: str) -> None:
    assert escaping.url(link) == "#"


@given(NASTY)
@settings(max_examples=60, deadline=None)
def test_shell_words_and_string_literals_read_back_exactly(text: str) -> None:
    text = text.replace("\x00", "")  # no shell or C string holds NUL
    word = escaping.shell_word(text)
    echoed = subprocess.run([need("bash"), "-c", f"printf %s {word}"], capture_output=True)
    # a lone surrogate, which no command line holds, is read back as U+FFFD
    assert echoed.stdout == re.sub("[\ud800-\udfff]", "\ufffd", text).encode()
    literal = escaping.string_literal(text)
    assert not re.search("[\n\r\u2028\u2029\u202e]", literal)
    assert json.loads(literal) == text


@given(NASTY)
def test_terminal_and_ci_text_cannot_move_the_cursor_or_start_a_command(text: str) -> None:
    for out in (escaping.terminal(text), escaping.ci_log(text), escaping.ci_property(text)):
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", out)
    assert "\n" not in escaping.ci_log(text) and ":" not in escaping.ci_property(text)


@given(NASTY)
def test_xml_text_is_always_xml(text: str) -> None:
    from xml.sax.saxutils import escape

    xml.dom.minidom.parseString(f"<a>{escape(escaping.xml_text(text))}</a>")


@given(NASTY)
def test_mermaid_labels_hold_no_syntax(text: str) -> None:
    label = escaping.mermaid_label(text)
    assert re.fullmatch(r"([\w .,/+\u2039\u203a\u201d\u2019]|#\d+;)*", label)


def test_an_identifier_is_refused_unless_it_is_one() -> None:
    assert escaping.identifier("API_KEY") == "API_KEY"
    with pytest.raises(escaping.UnescapedValue):
        escaping.identifier("A$(touch x)")
