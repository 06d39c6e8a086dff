"""A newcomer's mistakes: each one answered by one line saying what to do, the right exit
status (2 for a usage error, 1 for input that has problems), and never a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from instamrkt_docs import cli as cli_module
from tests.conftest import ROOT, SPEC, Run

COMMAND = [str(Path(sys.executable).parent / "instamrkt-docs")]
MOCK_KEY = "imk_test_4kR9vT2mXq8LzP5wN3bH7cJ6"


def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.out + run.err
    assert len(run.err.strip().splitlines()) == 1, run.err


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def with_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTAMRKT_API_KEY", MOCK_KEY)


def test_serve_on_a_busy_port_says_to_pick_another(cli, busy_port: int) -> None:
    run = cli("serve", "--dev-addr", f"127.0.0.1:{busy_port}")
    assert run.status == 2
    assert f"port {busy_port} on 127.0.0.1 is in use" in run.err
    assert "--dev-addr HOST:PORT" in run.err
    no_traceback(run)


def test_serve_with_an_address_that_is_none(cli) -> None:
    run = cli("serve", "--dev-addr", "8000")
    assert run.status == 2
    assert "give HOST:PORT, e.g. 127.0.0.1:8000" in run.err
    no_traceback(run)


def test_mock_on_a_busy_port_says_so_before_anything_else(busy_port: int) -> None:
    result = subprocess.run(
        [*COMMAND, "mock", "--port", str(busy_port)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: port {busy_port} on 127.0.0.1 is in use (another server is running there?): "
        "stop it, or pick a free port with --port"
    ]


def test_mock_says_where_rest_and_websocket_are_and_what_key_it_takes(closed_port: int) -> None:
    process = subprocess.Popen(
        [*COMMAND, "mock", "--port", str(closed_port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        lines = []
        assert process.stderr is not None
        for line in process.stderr:  # the start lines, up to the last one
            lines.append(line.rstrip())
            if "Ctrl-C" in line:
                break
    finally:
        process.terminate()
        process.wait(20)
    assert f"  REST       http://127.0.0.1:{closed_port}/v1" in lines
    assert f"  websocket  ws://127.0.0.1:{closed_port}/v1/stream" in lines
    assert "  API key    any matching ^imk_(test|live)_[0-9A-Za-z]{24}$" in lines


def test_run_scenario_with_the_server_down_says_to_start_the_mock(
    cli, with_key: None, closed_port: int
) -> None:
    run = cli("run-scenario", "open-pools", "--server", f"http://127.0.0.1:{closed_port}")
    assert run.status == 1
    assert run.err.strip() == (
        f"error: cannot reach http://127.0.0.1:{closed_port} (step 'openPools'): start the mock "
        "with `instamrkt-docs mock` and pass --server http://127.0.0.1:4010"
    )
    no_traceback(run)


def test_run_scenario_without_server_reaches_for_the_specs_server_and_says_so(
    cli, with_key: None, closed_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = shutil.copytree(SPEC, tmp_path / "spec")
    openapi = spec / "openapi.yaml"
    text = openapi.read_text()
    openapi.write_text(
        text.replace("https://sandbox.api.instamrkt.com", f"http://127.0.0.1:{closed_port}")
    )
    monkeypatch.chdir(tmp_path)
    run = cli_in(tmp_path, "run-scenario", "open-pools", "--scenarios", str(spec / "scenarios"))
    assert run.status == 1
    assert f"cannot reach http://127.0.0.1:{closed_port}" in run.err
    assert "instamrkt-docs mock" in run.err
    no_traceback(run)


def cli_in(folder: Path, *args: str) -> Run:
    """Run the command in process from `folder` (the cli fixture runs from the project)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    cwd = os.getcwd()
    os.chdir(folder)
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = cli_module.main(list(args))
    finally:
        os.chdir(cwd)
    return Run(status, out.getvalue(), err.getvalue())


def test_run_scenario_with_a_server_without_scheme_says_to_add_it(cli, with_key: None) -> None:
    run = cli("run-scenario", "open-pools", "--server", "127.0.0.1:4010")
    assert run.status == 2
    assert "write it as http://127.0.0.1:4010" in run.err
    no_traceback(run)


def test_run_scenario_without_an_api_key_says_which_variable_and_what_key(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INSTAMRKT_API_KEY", raising=False)
    run = cli("run-scenario", "open-pools", "--server", "http://127.0.0.1:4010")
    assert run.status == 2
    assert "set INSTAMRKT_API_KEY to your API key first" in run.err
    assert "imk_test_4kR9vT2mXq8LzP5wN3bH7cJ6" in run.err
    no_traceback(run)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("nope=1", "--input 'nope': the scenario has no such input (it has: gameId)"),
        ("gameId", "--input 'gameId': write it as NAME=VALUE"),
        ("=1", "--input '=1': write it as NAME=VALUE"),
    ],
)
def test_run_scenario_refuses_an_input_it_cannot_use(
    cli, with_key: None, item: str, message: str
) -> None:
    run = cli("run-scenario", "open-pools", "--server", "http://127.0.0.1:4010", "--input", item)
    assert run.status == 2
    assert message in run.err
    no_traceback(run)


def test_run_scenario_of_an_unknown_scenario_lists_those_there_are(cli) -> None:
    run = cli("run-scenario", "open-pool")
    assert run.status == 2
    assert "no scenario 'open-pool' in spec/scenarios; there are: " in run.err
    assert "open-pools" in run.err
    no_traceback(run)


def test_verify_of_an_unknown_operation_is_a_usage_error_with_a_suggestion(cli) -> None:
    run = cli("verify", "--operation", "nopeOp", "--operation", "getPol")
    assert run.status == 2
    assert "'getPol' (did you mean getPool" in run.err
    assert "'nopeOp'" in run.err
    no_traceback(run)


def test_validate_of_a_folder_without_specs_is_a_usage_error(cli, tmp_path: Path) -> None:
    run = cli("validate", str(tmp_path))
    assert run.status == 2
    assert run.err.strip() == (
        f"error: no OpenAPI, AsyncAPI or Arazzo document in {tmp_path}: "
        "name spec files or a folder that holds some"
    )
    no_traceback(run)


def test_build_without_validation_of_broken_yaml_names_the_place(cli, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(SPEC, project / "spec")
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns("reference"))
    (project / "spec" / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    run = cli_in(project, "build", "--no-validate")
    assert run.status == 1
    assert run.err.splitlines()[-1].startswith("error: spec/openapi.yaml:3:1  invalid YAML: ")
    assert not (project / "site").exists()
    assert "Traceback" not in run.err


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something inside broke")

    monkeypatch.setattr("instamrkt_docs.validate.validate", broken)
    run = cli("validate")
    assert run.status == 1
    assert run.err.strip() == (
        "error: instamrkt-docs failed unexpectedly: RuntimeError: something inside broke "
        "(run again with --debug for the traceback); please report it"
    )
    run = cli("validate", "--debug")
    assert run.status == 1
    assert "Traceback (most recent call last)" in run.err
    assert run.err.strip().endswith("please report it")


def test_validate_help_names_every_kind_of_document_it_checks(cli, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main(["validate", "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "OpenAPI 3.0/3.1, AsyncAPI 2.x/3.0 and Arazzo 1.1" in text


def test_render_of_an_asyncapi_1_spec_says_it_is_not_supported(cli, tmp_path: Path) -> None:
    spec = tmp_path / "asyncapi.yaml"
    spec.write_text(
        "asyncapi: '1.2.0'\ninfo: {title: old, version: '1'}\n"
        "topics:\n  user.signedup:\n    subscribe:\n      payload: {type: object}\n"
    )
    run = cli("render", str(spec), "--out", str(tmp_path / "out"))
    assert run.status == 1
    assert f"{spec}:1:1  AsyncAPI '1.2.0' is not supported (2.0.0, 2.1.0" in run.err
    no_traceback(run)
    assert not (tmp_path / "out").exists()


CONFIG_MISTAKES = [
    (
        "plugins: [search, {instamrkt-docs: {nosuch: 1}}]\n",
        "Plugin 'instamrkt-docs' option 'nosuch'",
    ),
    ("plugins: [search, {instamrkt-docs: {specs: 5}}]\n", "option 'specs': Expected a list"),
    ("plugins: [nosuchplugin]\n", 'The "nosuchplugin" plugin is not installed'),
    ("theme: {name: nosuchtheme}\n", "Unrecognised theme name: 'nosuchtheme'"),
    ("nav: 3\n", "Config value 'nav': Expected nav to be a list"),
    ("nav: [\n", "mkdocs.yml:3:1: expected the node content, but found '<stream end>'"),
    (
        "theme: material\nplugins: [instamrkt-docs]\n"
        "markdown_extensions: [{pymdownx.tabbed: {alternate_style: false}}]\n",
        "the reference needs pymdownx.tabbed with alternate_style: true",
    ),
    ("theme: readthedocs\nplugins: [instamrkt-docs]\n", "made for the theme 'material'"),
]


@pytest.mark.parametrize(("line", "said"), CONFIG_MISTAKES)
@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_mistake_in_mkdocs_yml_is_one_line_and_exit_status_2(
    cli, tmp_path: Path, closed_port: int, command: str, line: str, said: str
) -> None:
    """Before anything is validated, rendered or served (serve would otherwise start)."""
    shutil.copytree(SPEC, tmp_path / "spec")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# X\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\n" + line)
    if command == "serve":  # in its own process: were it to start, the guard stops it
        ran = subprocess.run(
            [*COMMAND, "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{closed_port}"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        run = Run(ran.returncode, ran.stdout, ran.stderr)
    else:
        run = cli(command, "-f", str(config))
    assert run.status == 2, run.err
    no_traceback(run)
    assert f"error: {config}" in run.err and said in run.err, run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "spec"]
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["index.md"]


def test_a_build_without_its_docs_folder_says_so_in_one_line(cli, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: X\n")
    run = cli("build", "-f", str(tmp_path / "mkdocs.yml"))
    assert run.status == 2
    no_traceback(run)
    assert "Config value 'docs_dir'" in run.err and "isn't an existing directory" in run.err


@pytest.mark.parametrize("command", ["validate", "render", "verify", "diff", "mock"])
def test_a_spec_version_not_supported_yet_is_refused_by_every_command(
    cli, tmp_path: Path, command: str, closed_port: int
) -> None:
    """OpenAPI 3.2: render used to write its pages without its `query` operations."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.2.0\ninfo: {title: new, version: '1'}\npaths:\n  /things:\n"
        "    query: {operationId: queryThings, responses: {'200': {description: ok}}}\n"
    )
    args = {
        "render": [str(spec), "--out", str(tmp_path / "out")],
        "diff": [str(spec), str(spec)],
        "mock": [str(spec), "--port", str(closed_port)],
    }.get(command, [str(spec)])
    run = cli(command, *args)
    assert run.status == 1, run.out + run.err
    assert "OpenAPI '3.2.0' is not supported (3.0.x and 3.1.x are)" in run.out + run.err
    assert "Traceback" not in run.out + run.err
    assert not (tmp_path / "out").exists()
