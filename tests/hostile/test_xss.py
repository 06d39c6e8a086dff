"""Stored XSS: a site built from specs that carry script payloads in every text field runs
none of them in Chromium, and loads no script the project did not ship."""

from __future__ import annotations

import html as html_module
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.serve_reload import copy_project
from instamrkt_docs.site.build import build_site
from tests.hostile.browse import reference_pages, served, what_ran
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
    with served(site) as origin:
        yield origin, site


def test_no_payload_runs_and_no_script_but_ours_loads(hostile_site: tuple[str, Path]) -> None:
    _, site = hostile_site
    pages = reference_pages(site)
    assert len(pages) >= 4, pages
    found, dialogs, strange = what_ran(site, pages)
    assert found == [] and dialogs == [] and strange == []
    for path in pages:
        if not path.rsplit("/", 1)[-1].startswith("_"):  # partial pages hold no spec text
            text = (site / path / "index.html").read_text()
            assert "Text " in text, f"{path} shows spec text"


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
