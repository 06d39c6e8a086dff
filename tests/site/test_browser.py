"""The built site in a real browser: Debian's Chromium driven by Playwright.

The site is built from the project, served by a plain static file server on loopback,
and looked at as a reader would. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from PIL import Image

from tests.tools import ROOT

ARTIFACTS = ROOT / "test-artifacts"


# One browser serves every test of this module: keep them on one worker.
pytestmark = pytest.mark.xdist_group("browser")


class Watch:
    """Every request a page makes and every console error it logs."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_clean(self, origin: str) -> None:
        outside = [url for url in self.requests if not url.startswith((origin, "data:", "blob:"))]
        assert outside == [], "requests left the local server"
        assert self.errors == []


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    yield page, watch
    watch.assert_clean(site)
    context.close()


def shot(page: Any, name: str) -> Image.Image:
    ARTIFACTS.mkdir(exist_ok=True)
    data = page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    return Image.open(io.BytesIO(data)).convert("RGB")


def luminance(image: Image.Image, x: int, y: int) -> float:
    r, g, b = image.getpixel((x, y))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_code_column_is_right_of_the_prose_and_dark(page, site: str) -> None:
    page, _ = page
    page.goto(f"{site}/reference/rest/pools/", wait_until="networkidle")
    section = page.locator(".im-operation").first
    prose = section.locator(".im-prose").bounding_box()
    code = section.locator(".im-code").bounding_box()
    assert code["x"] >= prose["x"] + prose["width"] - 1
    assert abs(code["y"] - prose["y"]) < 5
    section.scroll_into_view_if_needed()
    image = shot(page, "pools-1440")
    column_x = int(code["x"] + code["width"] - 20)
    assert luminance(image, column_x, 850) < 70, "the code column is not dark"
    assert luminance(image, int(prose["x"] + 10), 850) > 200, "the prose is not light"


def test_on_a_narrow_screen_each_sample_comes_under_its_request_line(browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site}/reference/rest/bets/", wait_until="networkidle")
    section = page.locator(".im-operation").first
    endpoint = section.locator(".im-endpoint").bounding_box()
    code = section.locator(".im-code").bounding_box()
    table = section.locator("table").first.bounding_box()
    assert endpoint["y"] + endpoint["height"] <= code["y"] < table["y"]
    assert code["width"] > 300
    shot(page, "bets-390")
    context.close()


def selected_tabs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".im-code .tabbed-set",
        "sets => sets.map(s => { const id = s.querySelector(':scope > input:checked').id;"
        " return s.querySelector(`label[for='${id}']`).textContent.trim(); })",
    )


def test_choosing_python_switches_every_tab_set_and_is_remembered(page, site: str) -> None:
    page, _ = page
    page.goto(f"{site}/reference/rest/pools/", wait_until="networkidle")
    before = selected_tabs(page)
    assert len(before) >= 8 and set(before) == {"Shell"}
    # one row of languages per page: the samples show no labels of their own
    assert page.locator(".im-code .tabbed-labels").first.is_hidden()
    page.locator(".im-languages label", has_text="Python").click()
    assert set(selected_tabs(page)) == {"Python"}
    page.goto(f"{site}/reference/websocket/pools/", wait_until="networkidle")
    assert set(selected_tabs(page)) == {"Python"}
    page.reload(wait_until="networkidle")
    assert set(selected_tabs(page)) == {"Python"}
    shot(page, "websocket-pools-python")


def search(page: Any, site: str, query: str) -> list[tuple[str, str]]:
    """The results for a query: (link, title) of each, best first."""
    # `?q=` opens the search with the whole query: one search, no results of part of it
    page.goto(f"{site}/?q={quote(query)}", wait_until="networkidle")
    page.wait_for_function(
        "q => [...document.querySelectorAll('.md-search-result mark')]"
        ".some(m => m.textContent.toLowerCase().startsWith(q.toLowerCase().split(/\\s+/).pop()))",
        arg=query,
        timeout=15000,
    )
    results = page.eval_on_selector_all(
        ".md-search-result__item > a",
        "as => as.map(a => { const u = new URL(a.href);"
        " return [u.pathname + u.hash, a.querySelector('h1, h2').textContent.trim()]; })",
    )
    prefix = urlsplit(site).path  # links within the site, from its root
    return [(link.removeprefix(prefix), title) for link, title in results]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Block betting in a pool", "/reference/rest/pools/"),
        ("block betting", "/reference/rest/pools/"),
        ("401", "/errors/"),
        ("pool_blocked", "/errors/"),
        ("pagination", "/overview/#pagination"),
        ("rate limit", "/rate-limits/"),
        ("settle", "/reference/rest/pools/#settlepool"),
    ],
)
def test_search_puts_the_page_a_reader_needs_first(page, site: str, query, first) -> None:
    page, _ = page
    results = search(page, site, query)
    links = [link for link, _ in results]
    # the first page found is the one that covers it, with the section that does
    assert links and links[0].split("#")[0] == first.split("#")[0], results[:5]
    assert first in [link for link in links if link.startswith(first.split("#")[0])], links
    assert first in links[:3], results[:5]
    model = "/reference/rest/pools/#model-settlement"
    if query == "settle" and model in links:  # the operation above the model it answers with
        assert links.index(first) < links.index(model), links
    snippets = page.eval_on_selector_all(
        ".md-search-result__item p", "ps => ps.map(p => p.textContent)"
    )
    assert not any("ShellPythonJavaScript" in s for s in snippets)


def test_the_search_index_is_downloaded_on_first_use_only(page, site: str) -> None:
    """A page is usable without the index of every page (24 MB for a 452-operation spec):
    the index comes when the reader first turns to search, and search then works."""
    page, watch = page
    page.goto(f"{site}/reference/rest/pools/", wait_until="networkidle")
    assert not any("search_index" in url for url in watch.requests)
    with page.expect_request(lambda request: "search/search_index.json" in request.url):
        page.locator(".md-search__input").click()
    page.keyboard.type("settle")
    page.wait_for_selector(".md-search-result__item")
    assert "Settle a pool" in page.locator(".md-search-result").inner_text()


def test_search_results_say_where_they_are_and_leave_out_partials(page, site: str) -> None:
    page, _ = page
    titles = [title for _, title in search(page, site, "pools")]
    assert "REST calls · Pools" in titles and "Websocket API calls · Pools" in titles
    links = [link for link, _ in search(page, site, "error codes")]
    assert not any("_error-codes" in link for link in links), links
    shot(page, "search")


def test_diagrams_render_from_the_site_itself_and_schemes_switch(page, site: str) -> None:
    page, watch = page
    page.goto(f"{site}/overview/", wait_until="load")
    # Material draws each diagram in a closed shadow root: a drawn one has a height
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.mermaid')]"
        ".filter(d => d.getBoundingClientRect().height > 80).length === 2",
        timeout=30000,
    )
    assert f"{site}/reference/assets/mermaid.min.js" in watch.requests
    # the library (3.5 MB) is asked for only after the page has shown its content
    timing = page.evaluate(
        "() => ({paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,"
        " library: performance.getEntriesByType('resource')"
        ".find(r => r.name.endsWith('/mermaid.min.js'))?.startTime,"
        " before: performance.getEntriesByType('resource')"
        ".filter(r => r.startTime < performance.getEntriesByName('first-contentful-paint')[0]"
        ".startTime).reduce((n, r) => n + r.transferSize, 0)})"
    )
    assert timing["paint"] is not None and timing["library"] > timing["paint"], timing
    assert timing["before"] < 1_000_000, timing
    scheme = page.eval_on_selector("body", "b => b.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    other = page.eval_on_selector("body", "b => b.getAttribute('data-md-color-scheme')")
    assert {scheme, other} == {"default", "slate"}
    shot(page, "overview")


def test_specs_are_downloadable(page, site: str) -> None:
    page, _ = page
    response = page.request.get(f"{site}/reference/specs/openapi.yaml")
    assert response.status == 200
    assert response.text() == (ROOT / "spec" / "openapi.yaml").read_text()
    page.goto(f"{site}/reference/rest/", wait_until="networkidle")
    assert page.locator("a[href$='specs/openapi.bundled.json']").count() == 1


def test_a_scenario_page_shows_its_diagram_steps_and_scripts(page, site: str) -> None:
    page, _ = page
    page.goto(f"{site}/reference/scenarios/register-provider/", wait_until="networkidle")
    page.wait_for_function(
        "() => document.querySelector('div.mermaid')?.getBoundingClientRect().height > 80",
        timeout=30000,
    )
    assert page.locator("h2#step-register").count() == 1
    assert page.locator("h2#step-checkkey").count() == 1
    assert len(selected_tabs(page)) == 3  # two steps and the complete script
    href = page.locator("a[href$='scripts/register-provider.py']").first.get_attribute("href")
    script = page.request.get(urljoin(page.url, href))
    assert script.status == 200 and 'print("all steps passed")' in script.text()


def test_the_site_works_under_a_sub_path_its_404_page_included(browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    origin = site.rsplit("/", 1)[0]
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    for path in ("/reference/rest/pools/", "/no/such/page/"):
        page.goto(site + path, wait_until="networkidle")
        assert page.locator(".md-header").bounding_box()["height"] > 30, path  # styled
        links = page.eval_on_selector_all(".md-nav__link[href]", "as => as.map(a => a.href)")
        local = [link for link in links if link.startswith(origin)]
        assert len(local) > 20 and all(x.startswith(f"{site}/") for x in local), path
    assert failed == [f"{site}/no/such/page/"]
    page.locator(".md-nav__link", has_text="Errors").first.click()
    page.wait_for_url(f"{site}/errors/")
    assert page.locator("h1").text_content().strip().rstrip("¶") == "Errors"
    context.close()
