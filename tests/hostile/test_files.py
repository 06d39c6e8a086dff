"""Files and the network: nothing a spec says opens a connection, reads or publishes a
file outside the specs' folder, or writes outside a folder of the toolkit's own; no
command overwrites or removes a file it did not write."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from instamrkt_docs.render import MANIFEST
from tests.tools import ROOT, need

SMALL = {
    "openapi": "3.1.0",
    "info": {"title": "Small", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {
        "description": "ok", "content": {"application/json": {
            "schema": {"type": "object"}, "example": {"k": "v"}}}}}}}},
}  # fmt: skip


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own: one that waits on the network is stopped by
    the guard (and fails the test) instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "instamrkt_docs", *args],
        capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_remote_ref_is_reported_never_requested(tmp_path: Path) -> None:
    """A server that takes connections and never answers: any request would hang, or
    show as a waiting connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        spec = json.loads(json.dumps(SMALL))
        media = spec["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
        media["schema"] = {"$ref": f"http://127.0.0.1:{port}/schema.json"}
        (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
        stream = {
            "asyncapi": "3.0.0",
            "info": {"title": "S", "version": "1"},
            "channels": {"c": {"address": "/c", "messages": {"m": {
                "payload": {"$ref": f"https://127.0.0.1:{port}/payload.json"}}}}},
        }  # fmt: skip
        (tmp_path / "asyncapi.yaml").write_text(yaml.safe_dump(stream))
        run = _command("validate", str(tmp_path))
        assert "remote reference" in run.stdout and "not followed" in run.stdout, run.stdout
        run = _command("render", str(tmp_path), "--out", str(tmp_path / "out"))
        assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr
        run = _command("verify", str(tmp_path / "openapi.yaml"))
        assert "Traceback" not in run.stderr, run.stderr
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    finally:
        listener.close()


def test_a_link_out_of_the_spec_folder_is_neither_read_nor_published(cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd.yaml").write_text("root: imk-secret-outside\n")
    (outside / "leak.arazzo.yaml").write_text(
        "arazzo: 1.1.0\ninfo: {title: imk-secret-outside, version: '1'}\n"
        "sourceDescriptions: []\nworkflows: []\n"
    )
    spec = tmp_path / "spec"
    (spec / "scenarios").mkdir(parents=True)
    (spec / "openapi.yaml").write_text(yaml.safe_dump(SMALL))
    (spec / "passwd.yaml").symlink_to(outside / "passwd.yaml")
    (spec / "scenarios" / "leak.arazzo.yaml").symlink_to(outside / "leak.arazzo.yaml")
    (spec / "more.yaml").symlink_to(outside, target_is_directory=True)
    run = cli("validate", str(spec))
    for name in ("passwd.yaml", "leak.arazzo.yaml", "more.yaml"):
        assert f"{name}:1:1" in run.out and "not published" in run.out, run.out
    out = tmp_path / "out"
    run = cli("render", str(spec), "--out", str(out))
    assert run.status == 0, run.err
    for file in out.rglob("*"):
        assert not file.is_symlink()
        assert file.is_dir() or "imk-secret-outside" not in file.read_text(errors="replace")


def _git(repo: Path, *args: str, data: bytes | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    done = subprocess.run([need("git"), "-C", str(repo), *args], input=data, check=True,
                          capture_output=True, env=env)  # fmt: skip
    return done.stdout.decode().strip()


def _tree(repo: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree object written as git never would: any names (`..` too)."""
    raw = b"".join(
        mode.encode() + b" " + name.encode() + b"\0" + bytes.fromhex(sha)
        for mode, name, sha in entries
    )
    return _git(repo, "hash-object", "-t", "tree", "--literally", "-w", "--stdin", data=raw)


def test_a_tree_entry_that_climbs_is_refused_and_writes_nothing_outside(
    cli, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    blob = _git(repo, "hash-object", "-w", "--stdin", data=yaml.safe_dump(SMALL).encode())
    evil = _git(repo, "hash-object", "-w", "--stdin", data=b"imk-written-outside\n")
    climbing = _tree(repo, [("100644", "pwned.yaml", evil)])
    spec = _tree(repo, [("40000", "..", climbing), ("100644", "openapi.yaml", blob)])
    root = _tree(repo, [("40000", "spec", spec)])
    commit = _git(repo, "commit-tree", root, "-m", "climb")
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        run = cli("diff", f"{commit}:spec", f"{commit}:spec")
    finally:
        os.chdir(cwd)
    assert run.status == 2, (run.out, run.err)
    assert "refused" in run.err and "Traceback" not in run.err
    temporary = Path(os.environ.get("TMPDIR", "/tmp"))
    assert not (temporary / "pwned.yaml").exists()
    assert not list(tmp_path.rglob("pwned.yaml"))


def test_render_overwrites_and_removes_only_its_own_files(cli, tmp_path: Path) -> None:
    out = tmp_path / "reference"
    (out / "rest").mkdir(parents=True)
    mine = out / "rest" / "pools.md"
    mine.write_text("my own notes")
    run = cli("render", str(ROOT / "spec"), "--out", str(out))
    assert run.status == 1 and "pools.md is not a file render wrote" in run.err
    assert mine.read_text() == "my own notes"
    assert not (out / MANIFEST).exists()  # nothing written
    mine.unlink()
    assert cli("render", str(ROOT / "spec"), "--out", str(out)).status == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads((out / MANIFEST).read_text())
    for hostile in (str(victim), "../victim.txt", "rest/../../victim.txt"):
        (out / MANIFEST).write_text(json.dumps({"files": [*manifest["files"], hostile]}))
        run = cli("render", str(ROOT / "spec"), "--out", str(out))
        assert run.status == 1 and "refused" in run.err, run.err
        assert victim.read_text() == "keep me"
    (out / MANIFEST).write_text(json.dumps(manifest))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pools.md").write_text("not render's")
    (out / "rest").rename(tmp_path / "moved")
    (out / "rest").symlink_to(elsewhere, target_is_directory=True)
    run = cli("render", str(ROOT / "spec"), "--out", str(out))
    assert run.status == 1 and "refused" in run.err, run.err
    assert (elsewhere / "pools.md").read_text() == "not render's"


def test_build_replaces_only_a_site_it_built(tmp_path: Path) -> None:
    from benchmarks.serve_reload import copy_project
    from instamrkt_docs.errors import OutputError
    from instamrkt_docs.site.build import build_site

    project = copy_project(tmp_path / "project")
    (project / "spec" / "scenarios").mkdir(exist_ok=True)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("precious")
    with pytest.raises(OutputError, match="not a built site"):
        build_site(project / "mkdocs.yml", mine, check_specs=False)
    assert (mine / "thesis.txt").read_text() == "precious"
    site = tmp_path / "site"
    build_site(project / "mkdocs.yml", site, check_specs=False)
    build_site(project / "mkdocs.yml", site, check_specs=False)  # its own: replaced
    assert (site / "index.html").is_file()
