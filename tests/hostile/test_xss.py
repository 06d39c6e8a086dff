"""Stored XSS: a site built from specs that carry script payloads in every text field runs
none of them in Chromium, and loads no script the project did not ship."""

from __future__ import annotations

import html as html_module
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from benchmarks.serve_reload import copy_project
from instamrkt_docs.site.build import build_site
from tests.tools import need

pytestmark = pytest.mark.xdist_group("browser")

PAYLOAD = (
    "Text <script>alert('script')</script><img src=x onerror=\"alert('img')\">"
    "<svg onload=\"alert('svg')\"></svg><iframe src=\"javascript:alert('iframe')\"></iframe>"
    "[link](javascript:alert('md-link')) <a href=\"javascript:alert('a')\">a</a>"
    "<a href=\"data:text/html,<script>alert('data')</script>\">d</a>"
    '<form action="https://example.com"><input name=q></form><object data=x></object>'
    '<div style="position:fixed;top:0;left:0;width:100vw;height:100vh">cover</div>'
    "<details open ontoggle=\"alert('toggle')\"><summary>s</summary></details> {id} |pipe|"
)
NAME = "<img src=x onerror=alert('name')>"


def hostile_openapi() -> dict:
    text = {"description": PAYLOAD}
    schema = {
        "type": "object",
        "description": PAYLOAD,
        "properties": {"note": {"type": "string", **text, "example": PAYLOAD}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": NAME + " API", "version": "1", **text},
        "servers": [{"url": "https://api.example.com/v1", **text}],
        "tags": [{"name": NAME, **text}, {"name": "index", **text}],
        "paths": {
            "/things/{id}": {
                "post": {
                    "operationId": "makeThing",
                    "tags": [NAME],
                    "summary": NAME + " {id} <b>bold</b>",
                    **text,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            **text,
                            "schema": {"type": "string"},
                            "example": "a\nb",
                        },
                        {
                            "name": "q",
                            "in": "query",
                            **text,
                            "schema": {"type": "string", "enum": [PAYLOAD]},
                            "example": PAYLOAD,
                        },
                    ],
                    "requestBody": {
                        **text,
                        "content": {
                            "application/json": {"schema": schema, "example": {"note": "n"}}
                        },
                    },
                    "responses": {
                        "200": {**text, "content": {"application/json": {"schema": schema}}},
                        "400": {"description": PAYLOAD},
                    },
                }
            },
            "/other": {
                "get": {
                    "operationId": "other",
                    "tags": ["index"],
                    "summary": "Index",
                    "responses": {"204": {"description": PAYLOAD}},
                }
            },
        },
    }


def hostile_asyncapi() -> dict:
    message = {
        "name": "thing",
        "title": NAME,
        "summary": PAYLOAD,
        "description": PAYLOAD,
        "payload": {"type": "object", "description": PAYLOAD,
                    "properties": {"type": {"const": "thing", "description": PAYLOAD}}},
        "examples": [{"name": "e", "summary": PAYLOAD, "payload": {"type": "thing"}}],
    }  # fmt: skip
    return {
        "asyncapi": "3.0.0",
        "info": {"title": NAME + " stream", "version": "1", "description": PAYLOAD},
        "servers": {"s": {"host": "api.example.com", "protocol": "wss", "description": PAYLOAD}},
        "channels": {"c": {"address": "/stream", "description": PAYLOAD,
                           "messages": {"thing": message}}},
        "operations": {"sendThing": {"action": "receive", "title": NAME, "summary": PAYLOAD,
                                     "description": PAYLOAD, "tags": [{"name": NAME}],
                                     "channel": {"$ref": "#/channels/c"},
                                     "messages": [{"$ref": "#/channels/c/messages/thing"}]}},
    }  # fmt: skip


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = copy_project(tmp_path_factory.mktemp("xss") / "project")
    shutil.rmtree(project / "spec")
    (project / "spec").mkdir()
    (project / "spec" / "openapi.json").write_text(json.dumps(hostile_openapi()))
    (project / "spec" / "asyncapi.json").write_text(json.dumps(hostile_asyncapi()))
    # a history, so that the Changelog page shows changes with spec text in them too
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", NAME]):
        subprocess.run([need("git"), "-C", str(project), *args], check=True, env=env)
    changed = hostile_openapi()
    query = changed["paths"]["/things/{id}"]["post"]["parameters"][1]["schema"]
    query["enum"].append("Text <script>alert('enum')</script>")
    answer = changed["paths"]["/things/{id}"]["post"]["responses"]["200"]["content"]
    answer["application/json"]["schema"]["properties"][NAME] = {"type": "string"}
    (project / "spec" / "openapi.json").write_text(json.dumps(changed))
    subprocess.run(
        [need("git"), "-C", str(project), "commit", "-qam", PAYLOAD], check=True, env=env
    )
    site = project / "site"
    build_site(project / "mkdocs.yml", site, strict=False, check_specs=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", site
    server.shutdown()


def test_no_payload_runs_and_no_script_but_ours_loads(hostile_site: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    origin, site = hostile_site
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    reference = [p for p in pages if p.startswith("reference/")]
    assert len(reference) >= 4, pages
    dialogs: list[str] = []
    scripts: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=need("chromium"), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on(
            "request",
            lambda request: (
                scripts.append(request.url) if request.resource_type == "script" else None
            ),
        )
        for path in reference:
            page.goto(f"{origin}/{path}/", wait_until="load")
            found = page.evaluate(
                """() => {
                    const content = document.querySelector('.md-content');
                    const bad = content.querySelectorAll(
                        'script:not([src$="mermaid.min.js"]), iframe, form, object, embed, ' +
                        '[onerror], [onload], [ontoggle], [onclick], [style*="fixed"]');
                    const links = [...content.querySelectorAll('a[href]')].filter(
                        a => /^(javascript|data):/i.test(a.getAttribute('href')));
                    return [...bad].map(e => e.outerHTML.slice(0, 80))
                        .concat(links.map(a => a.outerHTML.slice(0, 80)));
                }"""
            )
            assert found == [], f"{path}: {found}"
            if not path.rsplit("/", 1)[-1].startswith("_"):  # partial pages hold no spec text
                assert "Text " in page.inner_text(".md-content"), f"{path} shows spec text"
        browser.close()
    assert dialogs == []
    outside = [url for url in scripts if not url.startswith(origin)]
    assert outside == []
    for url in scripts:
        shipped = site / url.removeprefix(origin + "/").split("?")[0]
        assert shipped.is_file(), f"{url} is not a file of the built site"


def test_the_payloads_are_shown_as_text_where_they_are_names(
    hostile_site: tuple[str, Path],
) -> None:
    _, site = hostile_site
    html = "\n".join(p.read_text() for p in site.rglob("index.html"))
    assert "<img src=x onerror" not in html
    # the Markdown copies for programs (llms.txt) carry no markup from the spec either,
    # outside code blocks (where it is code, shown as it is)
    copies = "\n".join(p.read_text() for p in site.rglob("index.md"))
    prose = re.sub(r"(?ms)^(`{3,}).*?^\1$", "", copies)
    assert "<img src=x onerror" not in prose and "<script" not in prose
    assert "&lt;img src=x onerror" in prose
    overview = (site / "reference" / "rest" / "index.html").read_text()
    (heading,) = re.findall(r'<h1 id="[^"]*">(.*?)<a class="headerlink"', overview)
    assert html_module.unescape(heading) == NAME + " API"  # shown as text, not markup


def test_ordinary_text_does_not_break_pages(hostile_site: tuple[str, Path]) -> None:
    _, site = hostile_site
    group = next((site / "reference" / "rest").glob("img-src-*/index.html")).read_text()
    # `{id}` in the summary stays text; the heading keeps its anchor
    (heading,) = re.findall(r'<h2 data-operation-id="makeThing" id="makething">(.*?)<a', group)
    assert html_module.unescape(heading) == NAME + " {id} <b>bold</b>"
    # a line break in a parameter's example stays inside its table row
    rows = re.findall(r"<tr>\s*<td><code>(\w+)</code><br><span", group)
    assert rows[:2] == ["id", "q"]
    assert "Example: <code>a<br>b</code>" in group
    # a tag named `index` has a page of its own; the overview stays the overview
    assert (site / "reference" / "rest" / "index-2" / "index.html").is_file()
