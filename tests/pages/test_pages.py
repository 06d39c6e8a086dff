"""The rendered reference: every operation and message with its samples and tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from instamrkt_docs.escaping import md_text as plain
from instamrkt_docs.pages.filters import code
from instamrkt_docs.render import MANIFEST, Rendered, render
from tests.conftest import SPEC


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rendered, Path]:
    out = tmp_path_factory.mktemp("reference")
    return render([SPEC], out), out


def sections(text: str) -> list[str]:
    return text.split('<div class="im-section im-operation" markdown>')[1:]


def test_every_rest_operation_has_its_section_and_three_samples(rendered) -> None:
    _, out = rendered
    spec = yaml.safe_load((SPEC / "openapi.yaml").read_text())
    ids = {op["operationId"] for item in spec["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op}  # fmt: skip
    found = {}
    for page in sorted((out / "rest").glob("*.md")):
        for section in sections(page.read_text()):
            operation_id = re.search(r'data-operation-id="([^"]+)"', section).group(1)
            found[operation_id] = section
    assert set(found) == ids
    for operation_id, section in found.items():
        tabs = re.findall(r'^=== "(Shell|Python|JavaScript)"$', section, re.M)
        assert tabs == ["Shell", "Python", "JavaScript"], operation_id
        assert '<span class="im-method' in section


def test_every_websocket_operation_and_message_appears_with_samples(rendered) -> None:
    _, out = rendered
    spec = yaml.safe_load((SPEC / "asyncapi.yaml").read_text())
    text = "\n".join(p.read_text() for p in (out / "websocket").glob("*.md"))
    for operation_id in spec["operations"]:
        assert f'data-operation-id="{operation_id}"' in text
    for message in spec["components"]["messages"].values():
        assert code(message["name"]) in text, message["name"]
    for section in sections(text):
        assert re.findall(r'^=== "(\w+)"$', section, re.M) == ["Shell", "Python", "JavaScript"]


def test_an_operation_shows_request_line_parameters_body_responses_and_errors(rendered) -> None:
    _, out = rendered
    page = (out / "rest" / "bets.md").read_text()
    section = next(s for s in sections(page) if 'data-operation-id="placeBet"' in s)
    assert (
        '<span class="im-method im-method--post">POST</span> <code>/pools/&#123;poolId&#125;/bets</code>'
        in section
    )
    assert '| <code>poolId</code><br><span class="im-required">path, required</span> |' in section
    assert (
        '| <code>stake</code><br><span class="im-required">required</span> | integer |' in section
    )
    # one table of responses: each status, its meaning, its error codes and its body
    blocked = code("pool_blocked", "Betting in the pool is blocked")
    row_409 = next(line for line in section.splitlines() if line.startswith("| <code>409</code> |"))
    assert blocked in row_409
    assert 'Errors answer with <a href="#model-error">Error</a>.' in section
    assert re.search(
        r"^\| <code>201</code> \| .*<br>Body: <a href=\"#model-bet\">Bet</a> \|$", section, re.M
    )
    assert code("stake_out_of_range", "The stake is above the pool's maximum") in section
    assert "### Errors" not in section
    title = f"{plain('Response 201')}: {plain('A bet waiting for its pool' + chr(39) + 's result')}"
    assert f'???+ example "{title}"' in section
    assert '"status": "accepted"' in section


def test_the_error_table_lists_every_code(rendered) -> None:
    _, out = rendered
    spec = yaml.safe_load((SPEC / "openapi.yaml").read_text())
    table = (out / "_error-codes.md").read_text()
    for name, info in spec["components"]["schemas"]["ErrorCode"]["x-codes"].items():
        assert f"| {code(name)} | {code(str(info['status']))} |" in table


def test_nav_and_downloads(rendered) -> None:
    _, out = rendered
    nav = yaml.safe_load((out / "nav.yml").read_text())
    assert list(nav) == ["websocket", "rest", "scenarios"]
    assert {"Pools": "rest/pools.md"} in nav["rest"]
    assert (out / "specs" / "openapi.yaml").read_text() == (SPEC / "openapi.yaml").read_text()
    assert (
        yaml.safe_load((out / "specs" / "asyncapi.bundled.json").read_text())["asyncapi"] == "3.0.0"
    )


def test_rendering_again_writes_nothing_and_removes_only_its_own_stale_files(rendered) -> None:
    _, out = rendered
    (out / "rest" / "notes.md").write_text("someone else's")
    manifest = json.loads((out / MANIFEST).read_text())
    (out / "rest" / "stale.md").write_text("a page an earlier render wrote")
    (out / MANIFEST).write_text(json.dumps({"files": [*manifest["files"], "rest/stale.md"]}))
    again = render([SPEC], out)
    assert again.written == []
    assert again.removed == ["rest/stale.md"]
    assert (out / "rest" / "notes.md").read_text() == "someone else's"
