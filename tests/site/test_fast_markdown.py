"""The fast lane: the generated pages' tables and code made HTML exactly as Markdown would."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.config import load_config

from instamrkt_docs.render import render
from instamrkt_docs.site.fast_markdown import Lane, lane
from tests.conftest import FIXTURES, ROOT, SPEC


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """This project's Markdown configuration, its snippets read from a folder of pages
    rendered from the Instamrkt specs and a public one."""
    docs = tmp_path_factory.mktemp("fast") / "docs"
    render([SPEC], docs / "reference", None)
    render([FIXTURES / "public" / "scalar-galaxy@0.2.20" / "galaxy.yaml"], docs / "galaxy", None)
    loaded = load_config(str(ROOT / "mkdocs.yml"))
    loaded["mdx_configs"]["pymdownx.snippets"]["base_path"] = [str(docs)]
    loaded.docs = docs
    return loaded


def _html(config: Any, text: str, fast: Lane | None = None) -> str:
    converter = markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )
    if fast is None:
        return converter.convert(text)
    # A placeholder at the top level is followed by a blank line where a table is not.
    return fast.restore(converter.convert(fast.prepare(text))).replace("</table>\n\n", "</table>\n")


def test_every_generated_page_is_the_same_html_through_the_lane(config: Any) -> None:
    fast = lane(config)
    assert fast is not None
    pages = sorted(config.docs.rglob("*.md"))
    assert len(pages) > 20
    kept = 0
    for page in pages:
        text = page.read_text()
        prepared = fast.prepare(text)
        kept += prepared.count(f"<!--im-{fast.token}-")
        fast._pieces = {}
        assert _html(config, text, fast) == _html(config, text), page
    assert kept > 200  # the lane took most tables and code blocks


# a cell Markdown would change: emphasis, a link, code, an escape, an autolink, a bare &
LEFT = [
    "| A | B |\n|---|---|\n| *x* | y |\n",
    "| A | B |\n|---|---|\n| [x](y.md) | y |\n",
    "| A | B |\n|---|---|\n| `x` | y |\n",
    "| A | B |\n|---|---|\n| x\\|y | z |\n",
    "| A | B |\n|---|---|\n| <https://example.com> | z |\n",
    "| A | B |\n|---|---|\n| a & b | z |\n",
    "| A | B |\n|:--|--:|\n| a | b |\n",  # aligned columns
    "| A | B |\n|---|---|\n| a | b |\nnot a row\n",
    "*[HTML]: Hypertext\n\n| A | B |\n|---|---|\n| HTML | b |\n",  # an abbreviation
    # fences that are not plain: options, no language, a diagram, a ragged indent
    '```python hl_lines="1"\nx = 1\n```\n',
    "```\nx = 1\n```\n",
    "```mermaid\ngraph TD\n```\n",
    '=== "A"\n\n    ```python\n  x = 1\n    ```\n',
]
TAKEN = [
    '| A | B |\n|---|---|\n| <code>a&#95;b</code><br><span class="c">q</span> | x: y |\n',
    "| A | B |\n|---|---|\n| a\tb |  |\n",
    '=== "Shell"\n\n    ```shell\n    curl \\\n      -x\n\n    echo\t1\n    ```\n',
    '````json\n{"a": "```"}\n```\n````\n',
    "```nosuchlanguage\n<b>x</b>\n```\n",
]


@pytest.mark.parametrize(("text", "taken"), [(t, False) for t in LEFT] + [(t, True) for t in TAKEN])
def test_the_lane_takes_plain_tables_and_fences_and_leaves_the_rest_to_markdown(
    config: Any, text: str, taken: bool
) -> None:
    fast = lane(config)
    assert fast is not None
    assert (fast.prepare(text) != text) is taken
    fast._pieces = {}
    assert _html(config, text, fast) == _html(config, text)


def test_spec_text_cannot_forge_a_placeholder(config: Any) -> None:
    fast = lane(config)
    assert fast is not None
    forged = f"<!--im-{fast.token}-1-->"
    text = f"{forged}\n\n```python\nx = '{forged}'\n```\n"
    html = _html(config, text, fast)
    assert "&lt;!--im-" in html  # the one in the code stays code
    assert html.count("<div class=") == 1  # the one outside is not given the code's HTML


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["markdown_extensions"].append("pymdownx.magiclink"),
        lambda c: c["markdown_extensions"].remove("pymdownx.superfences"),
        lambda c: c["mdx_configs"]["pymdownx.highlight"].update(linenums=True),
        lambda c: c["mdx_configs"]["pymdownx.highlight"].update(use_pygments=False),
        lambda c: c["mdx_configs"]["pymdownx.snippets"].update(auto_append=["abbr.md"]),
    ],
)
def test_no_lane_under_markdown_it_does_not_know(config: Any, change: Any) -> None:
    changed = {
        "markdown_extensions": list(config["markdown_extensions"]),
        "mdx_configs": copy.deepcopy(config["mdx_configs"]),
    }
    change(changed)
    assert lane(changed) is None


def test_a_site_built_with_the_lane_has_its_tables_code_and_search(built_site: Path) -> None:
    pools = (built_site / "reference" / "rest" / "pools" / "index.html").read_text()
    assert "<!--im-" not in pools
    assert re.search(r'<div class="language-python highlight"><pre><span></span><code>', pools)
    assert "<table>\n<thead>\n<tr>\n<th>Parameter</th>" in pools
    index = (built_site / "search" / "search_index.json").read_text()
    assert "X-Request-Id" in index  # a header parameter, known only from a table
