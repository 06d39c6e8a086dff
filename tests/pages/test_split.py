"""A tag too big for one page: an index page in the navigation, a page per part of its
paths, the models several parts use described once, every anchor still reachable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from instamrkt_docs.render import Rendered, render

PARTS = 40
# What a page of Markdown may weigh: its HTML comes to about twice as much, under 1 MB.
MOST_MARKDOWN = 450_000


def spec(parts: int = PARTS) -> dict:
    """A tag `things` with a path per part, each answering with a heavy example."""
    thing = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "label": {"type": "string"}},
    }
    paths = {
        "/things": {"get": _op("listThings", "things", "Thing")},
        "/things/{thing_id}": {"get": _op("getThing", "things", "Thing", True)},
        "/health": {"get": _op("health", "small", "Thing")},
    }
    schemas = {"Thing": thing}
    for n in range(parts):
        schemas[f"Part{n}"] = {
            "type": "object",
            "properties": {"thing": {"$ref": "#/components/schemas/Thing"},
                           "notes": {"type": "string"}},
            "example": {"thing": {"id": "t1", "label": "x"}, "notes": "word " * 2000},
        }  # fmt: skip
        paths[f"/things/{{thing_id}}/part{n}"] = {
            "get": _op(f"getPart{n}", "things", f"Part{n}", True),
            "delete": _op(f"deletePart{n}", "things", f"Part{n}", True),
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1"},
        "servers": [{"url": "https://things.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _op(operation_id: str, tag: str, schema: str, with_id: bool = False) -> dict:
    op = {
        "operationId": operation_id,
        "summary": f"Call {operation_id}",
        "tags": [tag],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{schema}"}}}}},
    }  # fmt: skip
    if with_id:
        op["parameters"] = [{"name": "thing_id", "in": "path", "required": True,
                             "schema": {"type": "string"}, "example": "t1"}]  # fmt: skip
    return op


def rendered(tmp_path: Path, parts: int = PARTS) -> Rendered:
    path = tmp_path / f"openapi-{parts}.yaml"
    path.write_text(yaml.safe_dump(spec(parts)))
    return render([path], tmp_path / "out", write=False)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return rendered(tmp_path_factory.mktemp("split"))


def pages(result: Rendered) -> dict[str, str]:
    return {k: v for k, v in result.files.items() if k.startswith("rest/") and k.endswith(".md")}


def test_the_big_tag_has_an_index_in_the_navigation_and_its_parts_beside_it(result) -> None:
    nav = yaml.safe_load(result.files["nav.yml"])["rest"]
    assert sorted(next(iter(entry.values())) for entry in nav) == [
        "rest/index.md", "rest/small.md", "rest/things/index.md",
    ]  # fmt: skip
    parts = [p for p in pages(result) if p.startswith("rest/things/")]
    assert "rest/things/part7.md" in parts and "rest/things/models.md" in parts
    assert len(parts) > 3
    assert "](things/)" in result.files["rest/index.md"]


def test_no_page_weighs_more_than_a_browser_opens_at_once(result) -> None:
    sizes = {path: len(text.encode()) for path, text in pages(result).items()}
    assert sum(sizes.values()) > 3 * MOST_MARKDOWN  # the tag would have been one heavy page
    assert max(sizes.values()) <= MOST_MARKDOWN, sizes


def test_every_operation_is_on_one_page_and_its_anchor_on_the_index_leads_there(result) -> None:
    index = result.files["rest/things/index.md"]
    where = {}
    for path, text in pages(result).items():
        for key in re.findall(r"^## .* \{ #([\w-]+) data-operation-id=", text, re.M):
            assert key not in where, f"{key} is on {where.get(key)} and {path}"
            where[key] = path
    assert len(where) == 2 * PARTS + 3
    for key, path in where.items():
        if path.startswith("rest/things/"):
            part = Path(path).stem
            assert f'<span id="{key}"></span>' in index
            assert f"]({part}/#{key})" in index


def test_a_model_several_parts_use_is_described_once_and_linked_there(result) -> None:
    files = pages(result)
    described = [p for p, text in files.items() if "{ #model-thing }" in text]
    assert described == ["rest/things/models.md"]
    part = files["rest/things/part3.md"]
    assert 'href="../models/#model-thing"' in part
    assert "{ #model-part3 }" in part or "`notes`" in part  # its own model stays with it
    assert "../models/" not in files["rest/small.md"]  # an unsplit page describes its own


def test_a_new_path_adds_a_page_and_moves_no_other(tmp_path: Path, result) -> None:
    before = set(pages(result))
    after = set(pages(rendered(tmp_path, PARTS + 1)))
    assert after - before == {f"rest/things/part{PARTS}.md"}
    assert before <= after
