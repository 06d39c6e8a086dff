"""The README tells the truth: its commands, its command table and its example template."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from instamrkt_docs.cli import _parser
from instamrkt_docs.model.types import Operation
from instamrkt_docs.verify import cases, verify
from tests.conftest import ROOT, SPEC

README = (ROOT / "README.md").read_text()


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def table_rows() -> dict[str, str]:
    """The README's command table: command name to the usage written in its row."""
    rows = {}
    for usage in re.findall(r"^\| `instamrkt-docs ([^`]+)` \|", README, flags=re.M):
        rows[usage.split()[0]] = usage
    return rows


def test_the_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert blocks[:2] == ["scripts/serve\n", "scripts/test\n"]
    assert README.index("scripts/test") < README.index("## ")


def test_the_first_screen_names_the_api_key_variable_and_the_mocks_key_format() -> None:
    first_screen = README[: README.index("## ")]
    assert "export INSTAMRKT_API_KEY=imk_test_" in first_screen
    assert "any imk_test_ + 24 letters or digits" in first_screen


def test_the_command_table_has_every_command_and_every_option_of_help() -> None:
    rows = table_rows()
    commands = subcommands()
    assert sorted(rows) == sorted(commands)
    for name, parser in commands.items():
        for action in parser._actions:
            options = [o for o in action.option_strings if o.startswith("--")]
            if not options or options[0] in ("--help", "--debug"):
                continue
            assert options[0] in rows[name], f"the README's row of {name} lacks {options[0]}"
    assert "--debug" in README


def readme_template() -> tuple[str, str]:
    """(path inside the templates folder, text) of the README's example template."""
    (block,) = re.findall(r"```jinja\n(.*?)```", README, flags=re.S)
    path = re.match(r"\{# DIR/(\S+): ", block)
    assert path, "the example's first line names its file, {# DIR/<path>: ... #}"
    return path.group(1), block


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    name, text = readme_template()
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_the_readme_template_changes_the_rendered_samples(cli, templates: Path, tmp_path) -> None:
    run = cli("render", "--templates", str(templates), "--out", str(tmp_path))
    assert run.status == 0, run.err
    pools = (tmp_path / "rest" / "pools.md").read_text()
    assert pools.count("response.raise_for_status()") >= 5


def test_the_readme_template_passes_verify(templates: Path) -> None:
    name, _ = readme_template()
    language = name.split("/")[0]
    rest = sorted(
        {c.operation.operation_id for c in cases([SPEC]) if isinstance(c.operation, Operation)}
    )
    report = verify(
        [SPEC], templates=templates, only=rest, with_scenarios=False, languages=[language]
    )
    changed = [
        o
        for o in report.outcomes
        if o.case.api == "REST" and o.case.sample.language.key == language
    ]
    assert len(changed) == len(rest)
    assert all("raise_for_status" in o.case.sample.code for o in changed)
    assert [f"{o.case.name}: {o.reason}" for o in report.outcomes if not o.passed] == []
