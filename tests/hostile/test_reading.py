"""Hostile specs against the reader: nothing outside the spec's folder is read or shown, no
file that is not a regular file is opened, aliases and nesting are bounded, and render never
removes a file it did not write. Each command runs in a subprocess whose peak memory is
measured (a timeout only guards against a hang)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

COMMAND = [str(Path(sys.executable).parent / "instamrkt-docs")]
HEADER = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
MAX_MB = 300


@dataclass
class Ran:
    status: int
    out: str
    err: str
    peak_mb: float


# Started from a fresh, small interpreter: a child's peak memory as Linux counts it starts
# from its parent's at the fork, and a test worker may have grown past the limit measured.
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_measured(*args: str, cwd: Path) -> Ran:
    """Run the command; its exit status, output and peak resident memory (from wait4)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "report"
        subprocess.run(
            [sys.executable, "-c", _MEASURE, str(report), *COMMAND, *args],
            cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, check=True,
        )  # fmt: skip
        status, peak_kb = (int(n) for n in report.read_text().split())
        out.seek(0)
        err.seek(0)
        return Ran(status, out.read().decode(), err.read().decode(), peak_kb / 1024)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    spec.mkdir()
    return spec


def alias_bomb() -> str:
    lines = [
        HEADER + "x-bomb:",
        '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["validate", "render"])
def test_an_alias_bomb_is_a_located_finding_not_an_allocation(folder: Path, command: str) -> None:
    (folder / "bomb.yaml").write_text(alias_bomb())
    extra = ["--out", str(folder.parent / "out")] if command == "render" else []
    ran = run_measured(command, "spec/bomb.yaml", *extra, cwd=folder.parent)
    assert ran.status == 1
    assert "spec/bomb.yaml:11:7" in ran.out + ran.err
    assert "YAML aliases expand this to more than 1,000,000 nodes" in ran.out + ran.err
    assert ran.peak_mb < MAX_MB
    assert "Traceback" not in ran.err


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("/etc/passwd", "leads outside the folders specs may read"),
        ("../../../../../../etc/hostname", "leads outside the folders specs may read"),
        ("/dev/zero", "leads outside the folders specs may read"),
    ],
)
def test_refs_outside_the_specs_folder_are_not_read(folder: Path, ref: str, message: str) -> None:
    (folder / "api.yaml").write_text(
        HEADER + f"components:\n  schemas:\n    X: {{$ref: '{ref}'}}\n"
    )
    ran = run_measured("validate", "spec/api.yaml", cwd=folder.parent)
    assert ran.status == 1
    assert f"spec/api.yaml:6:9  /components/schemas/X/$ref  {ref!r} {message}" in ran.out
    assert "root:" not in ran.out + ran.err  # nothing of /etc/passwd
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname:
        assert hostname not in ran.out.replace(ref, "")
    assert ran.peak_mb < MAX_MB

    out = folder.parent / "out"
    ran = run_measured("render", "spec/api.yaml", "--out", str(out), cwd=folder.parent)
    leaked = [
        p for p in out.rglob("*") if p.is_file() and "root:x:0:0" in p.read_text(errors="replace")
    ]
    assert leaked == []


def test_a_symlink_out_of_the_folder_is_refused_like_the_file_itself(folder: Path) -> None:
    outside = folder.parent / "secret.yaml"
    outside.write_text("secret: {type: string, description: the secret text}\n")
    (folder / "link.yaml").symlink_to(outside)
    (folder / "api.yaml").write_text(
        HEADER + "components:\n  schemas:\n    X: {$ref: 'link.yaml#/secret'}\n"
    )
    ran = run_measured("validate", "spec/api.yaml", cwd=folder.parent)
    assert ran.status == 1
    assert "leads outside the folders specs may read" in ran.out
    assert "the secret text" not in ran.out
    ran = run_measured(
        "validate", "spec/api.yaml", "--ref-root", str(folder.parent), cwd=folder.parent
    )
    assert ran.status == 0, ran.out


def test_dev_zero_and_a_fifo_are_not_opened_even_when_allowed(folder: Path) -> None:
    os.mkfifo(folder / "fifo")
    (folder / "api.yaml").write_text(
        HEADER + "components:\n  schemas:\n    Z: {$ref: '/dev/zero'}\n    F: {$ref: 'fifo'}\n"
    )
    ran = run_measured("validate", "spec/api.yaml", "--ref-root", "/dev", cwd=folder.parent)
    assert ran.status == 1
    assert "cannot read '/dev/zero': is not a regular file" in ran.out
    assert "cannot read 'spec/fifo': is not a regular file" in ran.out
    assert ran.peak_mb < MAX_MB


def test_deep_nesting_is_a_finding_not_a_crash(folder: Path) -> None:
    (folder / "deep.json").write_text(
        '{"openapi": "3.1.0", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    ran = run_measured("validate", "spec/deep.json", cwd=folder.parent)
    assert ran.status == 1
    assert "spec/deep.json:1:1  /  nested more than 256 levels deep" in ran.out
    assert "Traceback" not in ran.err


def test_render_into_a_folder_of_other_files_leaves_them_all(folder: Path) -> None:
    (folder / "api.yaml").write_text(
        HEADER.replace("paths: {}\n", "")
        + "paths:\n  /a:\n    get: {operationId: a, tags: [A], responses: {'204': {description: ok}}}\n"
    )
    out = folder.parent / "docs"
    out.mkdir()
    mine = {"index.md": "my home page", "rest/notes.md": "my notes", "rest/index.md.bak": "b"}
    for name, text in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    ran = run_measured("render", "spec/api.yaml", "--out", str(out), cwd=folder.parent)
    assert ran.status == 0, ran.err
    assert {name: (out / name).read_text() for name in mine} == mine
    # the tag goes away: render removes its page, and still nothing of the others
    (folder / "api.yaml").write_text(HEADER)
    ran = run_measured("render", "spec/api.yaml", "--out", str(out), cwd=folder.parent)
    assert ran.status == 0, ran.err
    assert not (out / "rest" / "a.md").exists()
    assert {name: (out / name).read_text() for name in mine} == mine


def test_a_spec_that_does_not_parse_fails_render_and_keeps_the_pages(folder: Path) -> None:
    (folder / "api.yaml").write_text(
        HEADER.replace("paths: {}\n", "")
        + "paths:\n  /a:\n    get: {operationId: a, tags: [A], responses: {'204': {description: ok}}}\n"
    )
    out = folder.parent / "out"
    assert run_measured("render", "spec", "--out", str(out), cwd=folder.parent).status == 0
    page = (out / "rest" / "a.md").read_text()
    (folder / "other.yaml").write_text("openapi: 3.1.0\ninfo: [broken\n")
    ran = run_measured("render", "spec", "--out", str(out), cwd=folder.parent)
    assert ran.status == 1
    assert "spec/other.yaml:3:1  invalid YAML" in ran.err
    assert (out / "rest" / "a.md").read_text() == page


def _spec_reaching_a_sibling_folder(folder: Path) -> Path:
    """A spec whose response schema is in `../shared/`, outside the spec's folder."""
    shared = folder.parent / "shared"
    shared.mkdir()
    (shared / "thing.yaml").write_text(
        "type: object\nproperties: {name: {type: string}}\nrequired: [name]\n"
    )
    (folder / "api.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'https://api.example.com/v1'}]\n"
        "paths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: '../shared/thing.yaml'}\n"
        "              example: {name: a thing}\n"
    )
    return shared


def test_mock_and_verify_read_outside_the_folder_only_with_ref_root(folder: Path) -> None:
    from instamrkt_docs.errors import InstamrktDocsError
    from instamrkt_docs.mock.app import create_app

    shared = _spec_reaching_a_sibling_folder(folder)
    for command in (["mock", "--port", "0"], ["verify"]):
        ran = run_measured(*command, "spec/api.yaml", cwd=folder.parent)
        assert ran.status == 1, ran.err
        assert "outside the folders specs may read" in ran.out + ran.err
        assert "Traceback" not in ran.err
    ran = run_measured("verify", "spec/api.yaml", "--ref-root", "shared", cwd=folder.parent)
    assert ran.status == 0, ran.out + ran.err
    assert "3 passed, 0 failed" in ran.out
    with pytest.raises(InstamrktDocsError, match="outside the folders specs may read"):
        create_app([folder / "api.yaml"])
    app, _ = create_app([folder / "api.yaml"], ref_roots=[shared])
    assert ("REST", "/v1") in app.endpoints
