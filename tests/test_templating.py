"""The templates' environment writes nothing that no escaping function has seen: every
`{{ }}` of every template of ours is checked as written, and at run time a raw value, a
filter that marks text safe, or escaped text joined with raw text stops the render, naming
the template and line. Rendering the Instamrkt specs with a poison in every string they
hold emits none of it raw."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes as nodes
import pytest
import yaml

from instamrkt_docs.escaping import Escaped, UnescapedValue
from instamrkt_docs.pages.filters import FILTERS as PAGE_FILTERS
from instamrkt_docs.render import render
from instamrkt_docs.samples.filters import FILTERS as SAMPLE_FILTERS
from instamrkt_docs.scenarios.code import FILTERS as SCRIPT_FILTERS
from instamrkt_docs.templating import make_environment
from tests.conftest import SPEC
from tests.tools import ROOT

PACKAGE = ROOT / "tools" / "instamrkt_docs"
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.jinja"))
# filters whose text is not yet escaped for any context: a template escapes it further
TEXT_FILTERS = {"by_variant", "json_pretty", "jq_test", "jq_all_arrived", "json_compact"}
ESCAPING = (set(PAGE_FILTERS) | set(SAMPLE_FILTERS) | set(SCRIPT_FILTERS)) - TEXT_FILTERS
NUMBERS = {"int", "float", "length", "count"}


def _written_escaped(node: nodes.Node) -> bool:
    """Whether an expression a template writes is escaped by construction (or a number,
    a constant of the template's own, a macro's output)."""
    if isinstance(node, nodes.Filter):
        if node.name in ESCAPING or node.name in NUMBERS:
            return True
        if node.name == "indent_block" and node.node is not None:
            return _written_escaped(node.node)
        return node.name == "join"  # joins only escaped text into escaped text (run time)
    if isinstance(node, nodes.CondExpr):
        return _written_escaped(node.expr1) and (node.expr2 is None or _written_escaped(node.expr2))
    if isinstance(node, (nodes.Call, nodes.Const)):
        return True  # macros give escaped text; a constant is the template's own
    if isinstance(node, (nodes.Sub, nodes.Add)):  # counts: `length - 3`
        return all(_written_escaped(n) for n in (node.left, node.right))
    # a name or item: a `{% set %}` of escaped text, checked at run time
    return isinstance(node, nodes.Name | nodes.Getitem)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_written_expression_goes_through_an_escaping_filter(template: Path) -> None:
    tree = jinja2.Environment().parse(template.read_text())
    raw = [
        f"line {node.lineno}: {type(node).__name__}"
        for output in tree.find_all(nodes.Output)
        for node in output.nodes
        if not isinstance(node, nodes.TemplateData) and not _written_escaped(node)
    ]
    assert raw == []


def _env(tmp_path: Path, source: str) -> jinja2.Environment:
    (tmp_path / "t.md.jinja").write_text(source)
    return make_environment(tmp_path / "none", tmp_path, PAGE_FILTERS)


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("{{ value }}", "writes str"),
        ("{{ nothing }}", "writes NoneType"),
        ("{{ value | safe }}", "'safe' filter"),
        ("{{ value | e }}", "'e' filter"),
        ("{{ value | tojson }}", "'tojson' filter"),
        ("{{ value | plain ~ value }}", "writes str"),
        ("{{ (value | plain) + value }}", "writes str"),
        ("{{ value | plain | replace('a', value) }}", "writes str"),
        ("{{ [value | plain, value] | join(', ') }}", "writes str"),
        ("{% set x %}{{ value }}{% endset %}{{ x }}", "writes str"),
    ],
)
def test_raw_values_are_refused_naming_the_template_and_line(
    tmp_path: Path, source: str, said: str
) -> None:
    env = _env(tmp_path, "first line\n" + source)
    with pytest.raises(UnescapedValue) as error:
        env.get_template("t.md.jinja").render(value="<img src=x onerror=alert(1)>", nothing=None)
    assert said in str(error.value)
    assert "t.md.jinja:2:" in str(error.value)


def test_autoescape_cannot_be_turned_off(tmp_path: Path) -> None:
    env = _env(tmp_path, "{% autoescape false %}{{ value }}{% endautoescape %}")
    with pytest.raises(jinja2.TemplateSyntaxError, match="autoescaping off"):
        env.get_template("t.md.jinja")


def test_escaped_values_macros_and_numbers_are_written(tmp_path: Path) -> None:
    source = (
        "{% macro m(v) %}<b>{{ v | plain }}</b>{% endmacro %}"
        "{{ m(value) }} {{ value | code }} {{ 3 }} {{ [value | plain, 'x' | plain] | join('/') }}"
    )
    out = _env(tmp_path, source).get_template("t.md.jinja").render(value="a*b")
    assert out == "<b>a&#42;b</b> <code>a&#42;b</code> 3 a&#42;b/x"
    assert isinstance(PAGE_FILTERS["plain"]("x"), Escaped)


def test_a_users_template_that_writes_a_raw_value_is_a_clear_error(cli, tmp_path: Path) -> None:
    (tmp_path / "rest").mkdir()
    (tmp_path / "rest" / "operation.md.jinja").write_text(
        '{% extends "rest/_base/operation.md.jinja" %}\n'
        "{% block heading %}\n## {{ op.summary }}\n{% endblock %}\n"
    )
    run = cli("render", "--templates", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.status == 1
    assert "rest/operation.md.jinja:3: a template writes str" in run.err
    assert "Traceback" not in run.err and "unexpectedly" not in run.err


POISON = (
    "\r\n<imk-poison>p</imk-poison>`![p](x){data-imk-poison=1}"
    '\u2028--8<-- "imk-snippet.txt"\r```\n$(touch imk-pwned)`\\${x}'
)
# keys whose values are structure, not text: poisoned, the specs would not hold together
STRUCTURE = {
    "$ref", "type", "format", "in", "style", "openapi", "asyncapi", "arazzo", "action",
    "required", "pattern", "url", "operationId", "propertyName", "contentType", "schemaFormat",
    "protocol", "$schema", "correlationId", "location", "condition", "stepId", "workflowId",
}  # fmt: skip


def _poisoned(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _poisoned(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_poisoned(v, key) for v in node]
    if isinstance(node, str) and key not in STRUCTURE and not node.startswith("$"):
        return node + POISON
    return node


def _prose(markdown: str) -> str:
    """A page's Markdown without its fenced blocks (where spec text is code, shown)."""
    return re.sub(r"(?ms)^( *)(`{3,})[^\n]*\n.*?^\1\2 *$", "", markdown)


def test_a_poison_in_every_string_of_the_specs_is_never_written_raw(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    (spec / "scenarios").mkdir(parents=True)
    for source in [*SPEC.glob("*.yaml"), *(SPEC / "scenarios").glob("*.yaml")]:
        data = _poisoned(yaml.safe_load(source.read_text()))
        (spec / source.relative_to(SPEC)).write_text(yaml.safe_dump(data, allow_unicode=True))
    out = tmp_path / "reference"
    rendered = render([spec], out)
    pages = [p for p in out.rglob("*.md")]
    assert len(pages) >= 10 and rendered.specs
    for page in pages:
        text = page.read_text()
        prose = _prose(text)
        where = page.relative_to(out)
        assert "<imk-poison>" not in prose, where
        assert "data-imk-poison=1}" not in prose, where
        assert not re.search(r"^\s*;*-+8<-", text, re.M), where  # no snippet line anywhere
        assert "\r" not in text and "\u2028" not in text, where
    shown = "".join(page.read_text() for page in pages)
    assert "&#60;imk-poison&#62;" in shown  # the poison is on the pages, as text
