"""A spec's Markdown on pages: sanitised HTML, its headings kept at the right depth."""

from __future__ import annotations

import re

from instamrkt_docs.pages import spec_text
from tests.conftest import SPEC


def test_spec_headings_stay_headings_under_the_page_heading() -> None:
    text = "# Title\n\nSome text.\n\n## Part\n\n### Deeper\n\n###### Deepest\n"
    under_operation = spec_text.block(text)  # under an operation's h2
    assert re.findall(r'<h(\d) id="section-\w+">(\w+)</h\d>', under_operation) == [
        ("3", "Title"), ("4", "Part"), ("5", "Deeper"), ("6", "Deepest"),
    ]  # fmt: skip
    on_overview = spec_text.block("## Connecting\n\ntext\n", under=1)  # under the h1
    assert '<h2 id="section-connecting">Connecting</h2>' in on_overview


def test_spec_headings_have_ids_a_link_can_name_and_nothing_else() -> None:
    block = spec_text.block('# Close codes: "4008" <b>&</b> more\n\n# Close codes: 4008 & more\n')
    assert re.findall(r"<h3 ([^>]*)>", block) == [
        'id="section-close-codes-4008-more"', 'id="section-close-codes-4008-more-2"',
    ]  # fmt: skip
    assert spec_text.block("# \u00e9\u00e9\n").count('id="section-heading"') == 1


def test_a_heading_keeps_no_attribute_or_markup_of_the_spec() -> None:
    block = spec_text.block("# <img src=x onerror=alert(1)> T {#x onclick=alert(2)}\n")
    assert "<img" not in block and '<h3 id="section-t-x-onclick-alert-2"> T ' in block
    assert not re.search(r"<[^>]*\son\w+=", block)  # the attribute list is text, not an attribute


def test_the_websocket_overview_keeps_its_sections(cli, tmp_path) -> None:
    run = cli("render", str(SPEC), "--out", str(tmp_path))
    assert run.status == 0, run.err
    overview = (tmp_path / "websocket" / "index.md").read_text()
    for section in ("Connecting", "Messages", "Close codes"):
        anchor = section.lower().replace(" ", "-")
        assert f'<h2 id="section-{anchor}">{section}</h2>' in overview
