"""A built site served on loopback and read in Chromium for anything a spec made run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.tools import need

# What no page of ours holds in its content: a spec made it, or a spec's text was read as
# markup.
_FOUND = """() => {
    const content = document.querySelector('.md-content');
    const bad = content.querySelectorAll(
        'script:not([src$="mermaid.min.js"]), iframe, form, object, embed, img, svg image, ' +
        'imk-poison, [data-imk-poison], [onerror], [onload], [ontoggle], [onclick], ' +
        '[onmouseover], [onfocus], [style*="fixed"]');
    const links = [...content.querySelectorAll('a[href]')].filter(
        a => /^(javascript|data|vbscript):/i.test(a.getAttribute('href').trim()));
    return [...bad].map(e => e.outerHTML.slice(0, 120))
        .concat(links.map(a => a.outerHTML.slice(0, 120)));
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The site served by a plain static file server on loopback; yields its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def reference_pages(site: Path) -> list[str]:
    """Every page of the site's reference, as paths under its root."""
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [p for p in pages if p.startswith("reference/")]


def what_ran(site: Path, pages: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Open each page in Chromium: (elements or links a spec made, dialogs that opened,
    requests to another host or for a script the site does not ship)."""
    from playwright.sync_api import sync_playwright

    found: list[str] = []
    dialogs: list[str] = []
    requests: list[tuple[str, str]] = []
    with served(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=need("chromium"), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on(
                "request", lambda request: requests.append((request.url, request.resource_type))
            )
            for path in pages:
                page.goto(f"{origin}/{path}/", wait_until="load")
                found += [f"{path}: {item}" for item in page.evaluate(_FOUND)]
        finally:
            browser.close()
    strange = [url for url, _ in requests if not url.startswith(origin)]
    for url, kind in requests:
        if kind == "script" and url.startswith(origin):
            shipped = site / url.removeprefix(origin + "/").split("?")[0]
            if not shipped.is_file():
                strange.append(url)
    return found, dialogs, strange
