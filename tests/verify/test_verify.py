"""`verify` runs every sample of the site against the mock, and fails on broken ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from instamrkt_docs.render import render
from instamrkt_docs.verify import verify
from tests.conftest import SPEC
from tests.tools import need, need_node_package


@pytest.fixture(autouse=True)
def tools() -> None:
    need("node")
    need("curl")
    need("wscat")
    need("chromium")  # the web page samples
    need_node_package("ws")


def test_every_sample_on_the_site_passes(cli, tmp_path: Path) -> None:
    rendered = render([SPEC], tmp_path / "reference")
    on_site = sum(len(samples) for spec in rendered.specs for samples in spec.samples.values())
    scripts = len(list((tmp_path / "reference" / "scenarios" / "scripts").iterdir()))
    run = cli("verify")
    assert run.status == 0, run.out
    assert run.out.strip().splitlines()[-1] == f"{on_site + scripts} passed, 0 failed"
    in_pages = [s for spec in rendered.specs for v in spec.samples.values() for s in v]
    browser = sum(sample.language.key == "browser" for sample in in_pages)
    websocket = next(spec for spec in rendered.specs if spec.folder.endswith("websocket"))
    assert browser == len(websocket.api.operations)  # each with a ticket, in Chromium
    assert on_site == 3 * sum(len(spec.api.operations) for spec in rendered.specs) + browser
    assert scripts == 3 * 9


def test_a_wrong_path_in_a_template_fails_and_is_named(tmp_path: Path) -> None:
    (tmp_path / "javascript").mkdir()
    (tmp_path / "javascript" / "http.js.jinja").write_text(
        '{% extends "javascript/_base/http.js.jinja" %}\n'
        "{% block call %}{{ super() | replace('/pools/', '/pool/') }}{% endblock %}\n"
    )
    report = verify([SPEC], templates=tmp_path, only=["getPool"])
    failed = {o.case.name: o.reason for o in report.outcomes if not o.passed}
    assert list(failed) == ["REST getPool (JavaScript)"]  # the websocket getPool still passes
    assert "the mock saw no GET /pools/{poolId}" in failed["REST getPool (JavaScript)"]


def test_a_misspelt_body_field_in_an_example_fails(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    openapi = spec / "openapi.yaml"
    text = openapi.read_text()
    marker = "                  outcomeId: out_3Kd8Wm2Qx7Lp5Rn9\n                  stake: 2500\n"
    assert marker in text
    openapi.write_text(text.replace(marker, marker.replace("stake:", "stak:")))
    report = verify([spec], only=["placeBet"])
    failed = {o.case.name: o.reason for o in report.outcomes if not o.passed}
    assert set(failed) == {
        f"REST placeBet ({language})" for language in ("Shell", "Python", "JavaScript")
    }
    assert all("400" in reason and "/stak" in reason for reason in failed.values())


def test_a_missing_auth_header_fails(tmp_path: Path) -> None:
    (tmp_path / "shell").mkdir()
    (tmp_path / "shell" / "http.sh.jinja").write_text(
        '{% extends "shell/_base/http.sh.jinja" %}\n{% block credential %}{% endblock %}\n'
    )
    report = verify([SPEC], templates=tmp_path, only=["getGame", "registerProvider"])
    failed = {o.case.name: o.reason for o in report.outcomes if not o.passed}
    assert list(failed) == ["REST getGame (Shell)"]  # registering needs no key: still passes
    assert "401 unauthenticated" in failed["REST getGame (Shell)"]
