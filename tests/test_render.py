"""`render` across runs of one process (serve): unchanged specs are not rendered again,
and whatever changed (a spec, a template override) shows on the next render."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from instamrkt_docs.load.source import SourceCache
from instamrkt_docs.render import RenderCache, render
from tests.conftest import ROOT


def _pages(rendered) -> dict[str, str]:
    return {path: text for path, text in rendered.files.items() if path.endswith(".md")}


def test_a_render_with_the_caches_equals_one_without(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    spec = tmp_path / "spec"
    out = tmp_path / "out"
    sources, cache = SourceCache(), RenderCache()
    render([spec], out, write=False, sources=sources, cache=cache)
    ws = spec / "asyncapi.yaml"
    text, count = re.subn(
        r"(?m)^(  title: ).*$", r"\1Renamed websocket API", ws.read_text(), count=1
    )
    assert count == 1
    ws.write_text(text)
    cached = render([spec], out, write=False, sources=sources, cache=cache)
    fresh = render([spec], out, write=False)
    assert _pages(cached) == _pages(fresh)
    assert "Renamed websocket API" in cached.files["websocket/index.md"]


def test_a_changed_template_override_shows_on_the_next_render(tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "reference"
    templates.mkdir(parents=True)
    override = templates / "index.md.jinja"
    base = '{% extends "reference/_base/index.md.jinja" %}\n'
    override.write_text(base + "{% block body %}First words.{% endblock %}\n")
    cache = RenderCache()
    first = render([ROOT / "spec"], tmp_path / "out", tmp_path / "templates", False, cache=cache)
    override.write_text(base + "{% block body %}Second words.{% endblock %}\n")
    second = render([ROOT / "spec"], tmp_path / "out", tmp_path / "templates", False, cache=cache)
    assert "First words." in first.files["rest/index.md"]
    assert "Second words." in second.files["rest/index.md"]
