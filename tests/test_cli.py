"""The `instamrkt-docs` command line: output formats and exit statuses."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES, ROOT


def test_validate_without_arguments_checks_spec_folder(cli) -> None:
    run = cli("validate")
    assert run.status == 0, run.out
    assert run.out.strip() == "11 specs checked: no problems found"


def test_findings_are_grouped_by_file_then_summarised(cli) -> None:
    run = cli(
        "validate",
        "tests/fixtures/validate/path-params.yaml",
        "tests/fixtures/validate/duplicate-key.yaml",
    )
    assert run.status == 1
    blocks = run.out.strip().split("\n\n")
    assert len(blocks) == 3
    assert blocks[0].startswith(
        "tests/fixtures/validate/duplicate-key.yaml:12:5  /paths/~1games/get  "
    )
    assert (
        blocks[1]
        .splitlines()[0]
        .startswith(
            "tests/fixtures/validate/path-params.yaml:7:5  /paths/~1pools~1{poolId}/get  GET /pools"
        )
    )
    assert blocks[2] == "3 errors in 2 files (2 specs checked)"


def test_json_format_lists_every_finding(cli) -> None:
    run = cli("validate", "--format", "json", "tests/fixtures/validate/bad-examples.yaml")
    assert run.status == 1
    report = run.json()
    assert report["errors"] == 6 and report["warnings"] == 0
    first = report["findings"][0]
    assert first == {
        "file": "tests/fixtures/validate/bad-examples.yaml",
        "line": 14,
        "column": 9,
        "pointer": "/paths/~1pools~1{poolId}~1bets/parameters/0/example",
        "message": first["message"],
        "rule": "example",
        "level": "error",
    }


def test_warnings_alone_exit_zero(cli, tmp_path) -> None:
    spec = tmp_path / "warn.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    A:\n      $ref: 'https://example.com/a.json'\n"
    )
    run = cli("validate", str(spec))
    assert run.status == 0
    assert "warning: remote reference" in run.out
    assert run.out.strip().endswith("0 errors, 1 warning in 1 file (1 spec checked)")


def test_a_missing_path_is_a_usage_error(cli) -> None:
    run = cli("validate", "no/such/file.yaml")
    assert run.status == 2
    assert run.err.strip() == "error: no/such/file.yaml: no such file or folder"


def test_an_unknown_option_is_a_usage_error(cli) -> None:
    run = cli("validate", "--format", "xml")
    assert run.status == 2
    assert "error: argument --format: invalid choice: 'xml'" in run.err


def test_a_folder_is_searched_and_unreferenced_fragments_are_skipped(cli) -> None:
    run = cli("validate", "tests/fixtures/validate/multi")
    assert run.status == 1
    assert run.out.strip().endswith("3 errors in 2 files (1 spec checked)")


def test_bad_inputs_never_print_a_traceback() -> None:
    bad = sorted(p for p in (FIXTURES / "validate").iterdir() if p.is_file())
    result = subprocess.run(
        [sys.executable, "-m", "instamrkt_docs", "validate", *map(str, bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("23 errors in 12 files")
