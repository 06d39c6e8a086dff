"""Scenarios: their pages, their scripts run for real, and run-scenario step by step."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from instamrkt_docs.mock import running
from instamrkt_docs.pages.filters import code
from instamrkt_docs.render import render
from instamrkt_docs.scenarios.model import load_scenarios
from instamrkt_docs.verify import MOCK_KEY, verify
from tests.conftest import SPEC
from tests.tools import need

SCENARIOS = SPEC / "scenarios"
EXPECTED = [
    "register-provider",
    "open-and-start-game",
    "open-pools",
    "block-unblock-betting",
    "bet-refused-on-blocked-pool",
    "close-and-settle-pool",
    "void-pool",
    "watch-pool-live",
    "rotate-api-key",
]


def test_the_seeds_four_scenarios_come_first_and_the_story_is_complete() -> None:
    assert [s.key for s in load_scenarios([SCENARIOS], ref_roots=[SPEC])] == EXPECTED


def test_every_scenario_page_has_a_diagram_its_steps_and_complete_scripts(tmp_path: Path) -> None:
    render([SPEC], tmp_path)
    for scenario in load_scenarios([SCENARIOS], ref_roots=[SPEC]):
        page = (tmp_path / "scenarios" / f"{scenario.key}.md").read_text()
        assert "```mermaid\nsequenceDiagram" in page
        for number, step in enumerate(scenario.steps, 1):
            assert f"## {number}. {step.id} {{ #step-{step.id.lower()} }}" in page
        tabs = re.findall(r'^=== "(Shell|Python|JavaScript)"$', page, re.M)
        assert tabs == ["Shell", "Python", "JavaScript"] * (len(scenario.steps) + 1)
        for suffix in ("sh", "py", "mjs"):
            script = (tmp_path / "scenarios" / "scripts" / f"{scenario.key}.{suffix}").read_text()
            indented = "\n".join(
                "    " + line if line.strip() else "" for line in script.rstrip().split("\n")
            )
            assert indented in page, f"{scenario.key}.{suffix} is not shown whole on the page"
    register = (tmp_path / "scenarios" / "register-provider.md").read_text()
    assert (
        code("$steps.register.outputs.apiKeySecret")
        + ": here "
        + code("imk_test_4kR9vT2mXq8LzP5wN3bH7cJ6")
        in register
    )
    assert "[register&#45;provider.sh](scripts/register-provider.sh)" in register


def test_verify_runs_every_scenario_in_three_languages() -> None:
    need("jq")
    need("wscat")
    report = verify([SPEC], only=[f"scenario:{key}" for key in EXPECTED])
    names = sorted(o.case.name for o in report.outcomes)
    assert len(names) == 27 and report.failed == 0, [
        o.reason for o in report.outcomes if not o.passed
    ]


def test_a_broken_scenario_fails_verify_naming_its_step(tmp_path: Path) -> None:
    need("jq")
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    path = spec / "scenarios" / "open-and-start-game.arazzo.yaml"
    path.write_text(
        path.read_text().replace(
            "$response.body#/status == 'live'", "$response.body#/status == 'ended'"
        )
    )
    report = verify([spec], only=["scenario:open-and-start-game"])
    failed = {o.case.name: o.reason for o in report.outcomes if not o.passed}
    assert len(failed) == 3
    for reason in failed.values():
        assert reason.startswith("step startGame failed: $response.body#/status == 'ended'")


def test_run_scenario_prints_each_step_and_its_outputs(cli) -> None:
    with running([SPEC]) as (url, _):
        import os

        os.environ["INSTAMRKT_API_KEY"] = MOCK_KEY
        run = cli("run-scenario", "open-and-start-game", "--server", url)
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == "Open and start a game"
    assert lines[1] == "1. openGame: POST /v1/games -> 201  -> gameId='gam_5Rk8mQ2vXy7NcP4d'"
    assert lines[2].startswith("2. startGame: POST /v1/games/gam_5Rk8mQ2vXy7NcP4d/start -> 200")
    assert lines[-1] == "all steps passed"


def test_run_scenario_names_the_step_that_fails(cli) -> None:
    with running([SPEC]) as (url, _):
        run = cli("run-scenario", "register-provider", "--server", url + "/nowhere")
    assert run.status == 1
    assert run.err.startswith("error: step 'register' failed: $statusCode == 201 (got 404)")


@pytest.mark.parametrize("name", ["unknown"])
def test_run_scenario_of_an_unknown_name_is_a_usage_error(cli, name: str) -> None:
    run = cli("run-scenario", name)
    assert run.status == 2 and "register-provider" in run.err


@pytest.mark.parametrize("language", ["shell", "python", "javascript"])
def test_registering_works_from_nothing_without_an_api_key(language: str, tmp_path: Path) -> None:
    """A newcomer with no key yet copies the register page's script and gets a working key."""
    import os
    import subprocess
    import sys

    from instamrkt_docs.samples import LANGUAGES
    from instamrkt_docs.scenarios.scripts import ScriptWriter

    need("jq")
    (scenario,) = [
        s for s in load_scenarios([SCENARIOS], ref_roots=[SPEC]) if s.key == "register-provider"
    ]
    lang = next(lang for lang in LANGUAGES if lang.key == language)
    code = ScriptWriter().script(scenario, lang)
    assert "no API key needed" in code
    env = {k: v for k, v in os.environ.items() if k != "INSTAMRKT_API_KEY"}
    with running([SPEC]) as (url, log):
        # the script as it is, pointed at the mock as its header says
        env["INSTAMRKT_BASE_URL"] = url + "/v1"
        file = Path("build") / f"register-from-nothing.{lang.suffix}"
        file.parent.mkdir(exist_ok=True)
        file.write_text(code)
        command = {"shell": ["bash"], "python": [sys.executable], "javascript": [need("node")]}[
            language
        ]
        result = subprocess.run(
            [*command, str(file)], capture_output=True, text=True, env=env, timeout=60
        )
        seen = [e for e in log.entries if e.kind == "http"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "all steps passed"
    assert [(e.operation, e.status) for e in seen] == [
        ("registerProvider", "201"),
        ("getCurrentProvider", "200"),
    ]


def test_a_websocket_only_script_imports_and_names_no_rest_server() -> None:
    from instamrkt_docs.samples import LANGUAGES
    from instamrkt_docs.scenarios.scripts import ScriptWriter

    (scenario,) = [
        s for s in load_scenarios([SCENARIOS], ref_roots=[SPEC]) if s.key == "watch-pool-live"
    ]
    assert scenario.uses_websocket and not scenario.uses_rest
    scripts = {lang.key: ScriptWriter().script(scenario, lang) for lang in LANGUAGES}
    assert all("BASE_URL" not in code for code in scripts.values())
    assert "import requests" not in scripts["python"] and "quote" not in scripts["python"]
    assert all("INSTAMRKT_STREAM_URL" in code for code in scripts.values())
