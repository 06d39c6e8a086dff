"""Spec strings in the slots that once reached page Markdown raw: each carries markup, a
line break that ends a code block or a Markdown construct, and none of them runs, adds an
element or includes a file on the built site (Chromium reads every page)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from benchmarks.serve_reload import copy_project
from instamrkt_docs.site.build import build_site
from tests.hostile.browse import reference_pages, what_ran

pytestmark = pytest.mark.xdist_group("browser")

IMG = "<img src=x onerror=alert(1)>"
TAG = "<imk-poison>p</imk-poison>"
ATTR = "![x](x){onerror=alert(2) data-imk-poison=1}"
# ends a fenced block (CR alone is a line break to Markdown), then writes markup
BREAK_OUT = "\r```\r\r" + TAG + "\r" + ATTR + "\r"
MERMAID_OUT = "\n```\n\n" + TAG + "\n"
SECRET = "imk-secret-of-the-docs-folder"
SNIPPET = '\n--8<-- "secret.txt"\n'


def slots_openapi() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Slots", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "components": {
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "https://a.example.com/t",
                                                    "scopes": {IMG: IMG}}},
                }
            },
            "schemas": {
                "ErrorCode": {
                    "type": "string",
                    "enum": ["bad", "worse"],
                    "x-codes": {
                        "bad": {"status": "400`" + IMG, "description": "d"},
                        "worse": {"status": TAG, "description": "e"},
                    },
                }
            },
        },
        "paths": {
            "/things": {
                "post": {
                    "operationId": "makeThing\n" + ATTR,
                    "summary": "Make",
                    "security": [{"oauth": [IMG]}],
                    "requestBody": {
                        "content": {
                            "text/plain": {"schema": {"type": "string"},
                                           "example": "a" + BREAK_OUT + SNIPPET},
                        }
                    },
                    "responses": {
                        "201`" + IMG: {"description": "made"},
                        "200": {"description": "ok", "content": {"application/json": {
                            "schema": {"$ref": "parts.html#/Thing"}, "example": {"k": BREAK_OUT}}}},
                    },
                    "x-codeSamples": [{"lang": "shell", "source": "echo hi" + BREAK_OUT + SNIPPET}],
                }
            },
            "/mermaid" + MERMAID_OUT.replace("\n", "") + "/{id}": {
                "get": {
                    "operationId": "getMermaid",
                    "parameters": [{"name": "id", "in": "path", "required": True,
                                    "schema": {"type": "string"}, "example": "1"}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }  # fmt: skip


def slots_asyncapi() -> dict:
    message = {
        "name": "thing",
        "payload": {"type": "object", "properties": {"type": {"const": "t" + MERMAID_OUT}}},
        "examples": [{"name": "e", "payload": {"type": "t" + MERMAID_OUT}}],
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Stream", "version": "1"},
        "servers": {"s": {"host": "api.example.com", "protocol": "wss"}},
        "channels": {
            "c": {"address": "/stream`" + IMG, "messages": {"thing": message}},
        },
        "operations": {
            "sendThing": {"action": "send", "channel": {"$ref": "#/channels/c"},
                          "messages": [{"$ref": "#/channels/c/messages/thing"}]},
        },
    }  # fmt: skip


def slots_arazzo() -> dict:
    return {
        "arazzo": "1.1.0",
        "info": {"title": "Walk", "version": "1"},
        "sourceDescriptions": [
            {"name": "api", "url": "../openapi.yaml", "type": "openapi"},
            {"name": "stream", "url": "../asyncapi.yaml", "type": "asyncapi"},
        ],
        "workflows": [{
            "workflowId": "walk",
            "steps": [
                {"stepId": "get" + IMG, "operationId": "$sourceDescriptions.api.getMermaid",
                 "parameters": [{"name": "id", "in": "path", "value": "1"}],
                 "successCriteria": [{"condition": "$statusCode == 200"}]},
                {"stepId": "send\n" + ATTR, "operationId": "$sourceDescriptions.stream.sendThing",
                 "action": "send", "requestBody": {"payload": {"type": "t" + MERMAID_OUT}}},
            ],
        }],
    }  # fmt: skip


@pytest.fixture(scope="module")
def slots_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = copy_project(tmp_path_factory.mktemp("slots") / "project")
    shutil.rmtree(project / "spec")
    (project / "spec" / "scenarios").mkdir(parents=True)
    (project / "spec" / "openapi.yaml").write_text(yaml.safe_dump(slots_openapi()))
    (project / "spec" / "asyncapi.yaml").write_text(yaml.safe_dump(slots_asyncapi()))
    (project / "spec" / "scenarios" / "walk.arazzo.yaml").write_text(yaml.safe_dump(slots_arazzo()))
    # a spec file whose own name is markup, downloaded from the overview page
    (project / "spec" / f"x'{IMG}.json").write_text(
        json.dumps({**slots_openapi(), "paths": {}, "info": {"title": "Named", "version": "1"}})
    )
    # a file a $ref reaches, whose name would make its copy a page of the site
    (project / "spec" / "parts.html").write_text(
        "# <script>alert('html')</script>\nThing: {type: object}\n"
    )
    # a file the snippet lines would include, if they were read as snippet lines
    (project / "docs" / "secret.txt").write_text(SECRET)
    site = project / "site"
    build_site(project / "mkdocs.yml", site, strict=False, check_specs=False)
    yield site


def test_no_slot_adds_an_element_or_runs(slots_site: Path) -> None:
    pages = reference_pages(slots_site)
    assert any("scenarios/walk" in p for p in pages), pages
    found, dialogs, strange = what_ran(slots_site, pages)
    assert found == [], found
    assert dialogs == [] and strange == []


def test_no_file_a_spec_reaches_is_published_as_a_page(slots_site: Path) -> None:
    published = [p.name for p in (slots_site / "reference" / "specs").rglob("*") if p.is_file()]
    assert published and not [name for name in published if not name.endswith((".yaml", ".json"))]


def test_no_snippet_line_includes_a_file(slots_site: Path) -> None:
    html = "\n".join(p.read_text() for p in slots_site.rglob("*.html"))
    assert SECRET not in html
    # the lines are shown, as code, to the reader
    assert "8&lt;--" in html


def test_the_slots_show_their_text(slots_site: Path) -> None:
    rest = "".join(p.read_text() for p in (slots_site / "reference").glob("rest-*/*/index.html"))
    assert "imk-poison" in rest  # as text: the browser test found no such element
    assert "onerror=alert(1)" in rest
