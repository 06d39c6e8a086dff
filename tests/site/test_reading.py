"""The site read as readers read it, in Chromium at 1440, 1024 and 390 px: following links,
choosing a language, scrolling.

A link (loaded, or clicked in the navigation) lands its heading near the top, also after
a language was chosen on an earlier page; choosing a language leaves the sample looked at
where it was; the language row stays in view; on a phone the title is uncovered and every
heading sits with its content; at 1024 px no table of the prose scrolls sideways; a page
has one row of language tabs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from instamrkt_docs.site.search import without_code
from tests.site.test_accessibility import every_page

WIDTHS = {1440: 900, 1024: 768, 390: 844}
LINKED_PAGES = [
    "/reference/rest/pools/",
    "/reference/rest/games/",
    "/reference/websocket/pools/",
    "/reference/scenarios/close-and-settle-pool/",  # a diagram, drawn late, above the steps
]
# Two frames after the event: what the page's scripts did on load has been laid out.
SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
# Where an element is on screen, and whether a reader sees it there (nothing over it).
SEEN = """element => {
  const box = element.getBoundingClientRect();
  const x = box.left + Math.min(8, box.width / 2), y = box.top + Math.min(8, box.height / 2);
  const hit = document.elementFromPoint(x, y);
  return {top: box.top, bottom: box.bottom, uncovered: element.contains(hit)};
}"""


@pytest.fixture(params=list(WIDTHS), ids=lambda w: f"{w}px")
def reader(request, browser: Any, site: str) -> Iterator[tuple[Any, int]]:
    """A page at one width whose reader chose JavaScript earlier (the site remembers it)."""
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    page = context.new_page()
    page.goto(f"{site}/reference/rest/pools/", wait_until="load")
    page.locator(".im-languages label", has_text="JavaScript").click()
    yield page, width
    context.close()


def pages_with(site_dir: Path, *tags: str) -> list[str]:
    """The pages of the site whose prose has one of `tags` (a table, a heading, ...)."""
    found = []
    for path in every_page(site_dir):
        file = site_dir / path.lstrip("/")
        page = (file / "index.html" if file.is_dir() else file).read_text(encoding="utf-8")
        if any(tag in without_code(page) for tag in tags):
            found.append(path)
    assert found, tags
    return found


def operation_anchors(site_dir: Path, path: str) -> list[str]:
    """The anchors of a page's operations (and scenario steps), from its built HTML."""
    html = (site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8")
    return re.findall(r'class="im-section im-operation"[^>]*>\s*<div class="im-prose"[^>]*>'
                      r'\s*<h2 [^>]*?(?<![\w-])id="([^"]+)"', html)  # fmt: skip


def landed(page: Any, anchor: str) -> dict:
    page.evaluate(SETTLED)
    return page.locator(f"[id='{anchor}']").evaluate(SEEN)


def test_links_land_their_headings_and_the_title_and_the_row_stay_in_view(
    reader, site: str, built_site: Path
) -> None:
    """On each page: its last operation's link from elsewhere (a new load, which restores
    the language chosen above it), then every operation's link followed on the page (the
    navigation's entry where the navigation is beside the page, the address's fragment
    on a phone): each heading lands at the top. At the top the title is uncovered; further
    down the language row is in view."""
    page, width = reader
    missed = []

    def check(path: str, anchor: str, how: str) -> None:
        seen = landed(page, anchor)
        if not (seen["uncovered"] and seen["top"] <= 150):
            missed.append((path, anchor, how, round(seen["top"])))

    for path in LINKED_PAGES:
        anchors = operation_anchors(built_site, path)
        assert len(anchors) >= 2, path
        page.goto(f"{site}{path}?from=elsewhere#{anchors[-1]}", wait_until="load")
        check(path, anchors[-1], "loaded")
        for anchor in anchors:
            if width >= 960:
                page.locator(f".md-sidebar--primary a[href='#{anchor}']").click()
            else:
                page.evaluate("a => { location.hash = a; }", anchor)
            page.wait_for_function("a => location.hash === '#' + a", arg=anchor)
            check(path, anchor, "followed")
        page.evaluate("() => scrollTo({top: 0, behavior: 'instant'})")
        page.evaluate(SETTLED)
        assert page.locator("h1").evaluate(SEEN)["uncovered"], f"{path}: the title is covered"
        for part in (0.3, 0.7):
            page.evaluate(
                "p => scrollTo({top: p * document.documentElement.scrollHeight, "
                "behavior: 'instant'})",
                part,
            )
            page.evaluate(SETTLED)
            row = page.locator(".im-languages label", has_text="Python").evaluate(SEEN)
            height = page.viewport_size["height"]
            assert row["uncovered"] and 0 <= row["top"] < row["bottom"] <= height, path
    assert missed == []


def test_choosing_a_language_keeps_the_sample_in_view_where_it_was(reader, site: str) -> None:
    page, _ = reader
    page.goto(f"{site}/reference/rest/pools/", wait_until="load")
    samples = page.locator(".im-operation .im-code .tabbed-set")
    count = samples.count()
    assert count >= 8
    moved = []
    for index in (2, 6, count - 1):
        sample = samples.nth(index)
        sample.evaluate("s => s.scrollIntoView({block: 'center', behavior: 'instant'})")
        for language in ("Shell", "Python", "JavaScript"):
            before = sample.bounding_box()["y"]
            page.locator(".im-languages label", has_text=language).click()
            page.evaluate(SETTLED)
            chosen = page.eval_on_selector_all(
                ".im-code .tabbed-set",
                "sets => sets.map(s => s.querySelector(':scope > input:checked').id)"
                ".map(id => document.querySelector(`label[for='${id}']`).textContent.trim())",
            )
            assert set(chosen) == {language}
            shift = sample.bounding_box()["y"] - before
            if abs(shift) > 20:
                moved.append((index, language, round(shift)))
    assert moved == []


def test_no_prose_table_scrolls_at_1024_and_every_heading_sits_with_its_content_at_390(
    browser, site: str, built_site
) -> None:
    """Each page with a table or an operation, at 1024 px then (the same page, narrowed)
    at 390 px: no table of the prose wider than its column; no heading more than 400 px
    above what follows it."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    scrolling, apart = {}, []
    for path in pages_with(built_site, "<table", "<h3", "im-operation"):
        page.set_viewport_size({"width": 1024, "height": 768})
        page.goto(site + path, wait_until="load")
        found = page.eval_on_selector_all(
            ".md-content .md-typeset__scrollwrap",
            "wraps => wraps.filter(w => !w.closest('.im-code'))"
            ".filter(w => w.scrollWidth > w.clientWidth + 1).length",
        )
        if found:
            scrolling[path] = found
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate(SETTLED)
        apart += page.eval_on_selector_all(
            ".md-content .im-section :is(h2, h3, h4)",
            """headings => headings.flatMap(h => {
              const next = h.nextElementSibling;
              if (!next || !next.offsetHeight) return [];
              const gap = next.getBoundingClientRect().top - h.getBoundingClientRect().bottom;
              return gap > 400 ? [[location.pathname, h.textContent.trim(), Math.round(gap)]] : [];
            })""",
        )
    context.close()
    assert scrolling == {}
    assert apart == []


def test_one_row_of_language_tabs_and_spec_headings_are_headings(page_at_1440, site) -> None:
    page = page_at_1440
    page.goto(f"{site}/reference/rest/pools/", wait_until="load")
    rows = page.eval_on_selector_all(
        ".tabbed-labels",
        "rows => rows.filter(r => r.offsetHeight && r.textContent.includes('Python')).length",
    )
    assert rows == 1
    page.goto(f"{site}/reference/websocket/", wait_until="load")
    headings = page.eval_on_selector_all(
        ".im-spec-text :is(h2, h3, h4)", "hs => hs.map(h => [h.textContent, h.id])"
    )
    assert ["Connecting", "section-connecting"] in headings
    assert ["Close codes", "section-close-codes"] in headings
    page.goto(f"{site}/reference/websocket/#section-close-codes", wait_until="load")
    assert landed(page, "section-close-codes")["top"] <= 150


@pytest.fixture
def page_at_1440(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()
