"""Slate's shape at every width, measured in Chromium on every reference page.

At 1440 px the code column runs beside its operation for most of its height and no sample
scrolls sideways; at 1000 px the navigation, the prose and the code are three columns;
at 390 px each operation's first sample is within two screens of its heading. The Pools
page is at most half as tall as it was before operations were made compact, with every
field still described and reachable by its anchor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.tools import ROOT

# The Pools page at 1440 px when every operation repeated the whole Pool schema and had
# separate tables of responses and errors (measured on the site of commit c181957).
POOLS_HEIGHT_BEFORE = 48_824

# For each operation: how much of its height its code column covers, its widest sample's
# overflow, where its heading and first sample are.
MEASURE = """() => [...document.querySelectorAll('.im-operation')].map(section => {
  const box = section.getBoundingClientRect();
  const code = section.querySelector('.im-code');
  const heading = section.querySelector('h2');
  const samples = [...code.querySelectorAll('pre > code')].filter(c => c.offsetParent);
  return {
    id: heading.id,
    height: box.height,
    code: Math.min(box.height, code.getBoundingClientRect().height),
    scrolling: samples.filter(c => c.scrollWidth > c.clientWidth + 1).length,
    smallest: Math.min(...samples.map(c => parseFloat(getComputedStyle(c).fontSize))),
    heading: heading.getBoundingClientRect().top + scrollY,
    sample: code.getBoundingClientRect().top + scrollY,
  };
})"""


def reference_pages(site_dir: Path) -> list[str]:
    pages = []
    for kind in ("rest", "websocket"):
        for index in sorted((site_dir / "reference" / kind).glob("*/index.html")):
            pages.append(f"/reference/{kind}/{index.parent.name}/")
    return pages


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    found = reference_pages(built_site)
    assert len(found) >= 8
    return found


def measure(browser: Any, site: str, pages: list[str], width: int, height: int) -> dict:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    results = {}
    for path in pages:
        page.goto(site + path, wait_until="load")
        results[path] = page.evaluate(MEASURE)
    context.close()
    return results


def test_at_1440_the_code_column_covers_most_of_each_page_and_nothing_scrolls(
    browser, site: str, pages: list[str]
) -> None:
    for path, operations in measure(browser, site, pages, 1440, 900).items():
        assert operations, path
        covered = sum(op["code"] for op in operations) / sum(op["height"] for op in operations)
        assert covered >= 0.6, f"{path}: the code column covers {covered:.0%} of the operations"
        scrolling = [op["id"] for op in operations if op["scrolling"]]
        assert scrolling == [], f"{path}: samples scroll sideways in {scrolling}"
        small = [op["id"] for op in operations if op["smallest"] < 13]
        assert small == [], f"{path}: code under 13 px in {small}"


def test_at_1024_navigation_then_one_column_with_each_sample_under_its_request_line(
    browser, site: str, pages
) -> None:
    """Three columns would leave the prose 380 px, too narrow for its tables: below 1200 px
    the navigation stays beside one column."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    for path in pages[:3]:
        page.goto(site + path, wait_until="load")
        nav = page.locator(".md-sidebar--primary").bounding_box()
        section = page.locator(".im-operation").first
        endpoint = section.locator(".im-endpoint").bounding_box()
        code = section.locator(".im-code").bounding_box()
        assert page.locator(".md-sidebar--primary .md-nav__link").first.is_visible(), path
        assert nav["x"] + nav["width"] <= code["x"] + 1, path
        assert endpoint["y"] + endpoint["height"] <= code["y"], path
        assert code["width"] > 600, path
    context.close()


def test_at_390_each_first_sample_is_within_two_screens_of_its_heading(
    browser, site: str, pages: list[str]
) -> None:
    for path, operations in measure(browser, site, pages, 390, 844).items():
        far = [op["id"] for op in operations if op["sample"] - op["heading"] > 2 * 844]
        assert far == [], f"{path}: the first sample is more than two screens down in {far}"
        before = [op["id"] for op in operations if op["sample"] < op["heading"]]
        assert before == [], path


def test_the_pools_page_is_half_as_tall_with_every_field_reachable(browser, site: str) -> None:
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
    pool = spec["components"]["schemas"]["Pool"]
    operations = [
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and op.get("tags", [None])[0] == "Pools"
    ]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{site}/reference/rest/pools/", wait_until="load")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= POOLS_HEIGHT_BEFORE / 2, f"the Pools page is {height} px tall"
    fields = page.eval_on_selector_all(
        "#model-pool ~ .md-typeset__scrollwrap td:first-child code, "
        "#model-pool ~ table td:first-child code",
        "codes => codes.map(c => c.textContent)",
    )
    assert set(pool["properties"]) <= set(fields)
    for operation_id in operations:
        anchor = page.locator(f"[data-operation-id='{operation_id}']")
        assert anchor.count() == 1, operation_id
    # a link to the model goes to its description
    page.locator("a[href='#model-pool']").first.click()
    page.wait_for_function("() => location.hash === '#model-pool'")
    top = page.locator("#model-pool").bounding_box()["y"]
    assert 0 <= top < 900
    context.close()
