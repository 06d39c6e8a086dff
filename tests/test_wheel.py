"""The package as a user gets it: the wheel, installed outside the repository, works.

The wheel is built offline (no build isolation) from a copy of the project's package files,
installed with pip into a virtual environment of its own in a temporary folder, and run from
there on specs copied elsewhere. Its dependencies come from the project's environment (a
path, not the project's own editable install, which would hide the wheel's files).
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, SPEC

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]
PACKAGE = ROOT / "tools" / "instamrkt_docs"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        PACKAGE, source / "tools" / "instamrkt_docs", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = out.glob("instamrkt_docs-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a virtual environment with the wheel installed."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-3000:]
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(bin_dir / "instamrkt-docs"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def until_said(process: subprocess.Popen[bytes], text: str, guard: float) -> str:
    """What a process writes on stderr up to `text` (or its end), read as it comes;
    `guard` seconds at most."""
    assert process.stderr is not None
    deadline = time.monotonic() + guard
    said = b""
    while text.encode() not in said:
        ready, _, _ = select.select([process.stderr], [], [], max(deadline - time.monotonic(), 0))
        assert ready, f"no {text!r} in {guard} s: {said.decode(errors='replace')}"
        chunk = os.read(process.stderr.fileno(), 65536)
        if not chunk:  # the process ended
            break
        said += chunk
    return said.decode(errors="replace")


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    files = {
        "instamrkt_docs/" + p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert sorted(files - names) == []


def test_the_installed_package_is_the_wheels(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import instamrkt_docs; print(instamrkt_docs.__file__)"],
        capture_output=True, text=True, check=True, timeout=60, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert str(ROOT) not in where and "site-packages" in where


def test_the_installed_tool_validates_and_builds_a_site_outside_the_repository(
    installed: Path, tmp_path: Path
) -> None:
    shutil.copytree(SPEC, tmp_path / "spec", ignore=shutil.ignore_patterns("releases"))
    checked = run(installed, "validate", "spec", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our API\n")
    # what the pages need (Markdown extensions, the layout) the plugin brings
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Our API\ntheme: material\nplugins: [search, instamrkt-docs]\n"
    )
    built = run(installed, "build", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    pools = (tmp_path / "site" / "reference" / "rest" / "pools" / "index.html").read_text()
    assert '<div class="im-code"' in pools and '<div class="highlight"><pre>' in pools
    assert 'class="tabbed-set tabbed-alternate' in pools and "<table>" in pools
    assert 'href="../../assets/instamrkt-docs.css"' in pools
    for asset in ("instamrkt-docs.js", "instamrkt-docs.css"):
        assert (tmp_path / "site" / "reference" / "assets" / asset).is_file()


def test_the_installed_tool_verifies_a_public_spec(installed: Path, tmp_path: Path) -> None:
    spec = FIXTURES / "public" / "scalar-galaxy@0.2.20" / "galaxy.yaml"
    shutil.copy(spec, tmp_path / spec.name)
    verified = run(installed, "verify", spec.name, cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]
    assert verified.stdout.strip().endswith("0 failed")


def test_the_installed_tool_makes_a_project_that_builds_and_serves(
    installed: Path, tmp_path: Path
) -> None:
    """new on a public REST spec and an AsyncAPI one, then build, mkdocs build and serve."""
    specs = [
        FIXTURES / "public" / "scalar-galaxy@0.2.20" / "galaxy.yaml",
        FIXTURES / "public" / "asyncapi-cli@4.1.1" / "websocket-gemini-asyncapi.yml",
    ]
    for spec in specs:
        shutil.copy(spec, tmp_path / spec.name)
    made = run(installed, "new", "docs-site", *[f"--spec={s.name}" for s in specs], cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "docs-site"
    built = run(installed, "build", cwd=project)
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    env = {**os.environ, "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}"}
    plain = subprocess.run(
        [str(installed / "python"), "-m", "mkdocs", "build", "-d", str(tmp_path / "plain")],
        cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert (tmp_path / "plain" / "reference" / "rest" / "index.html").is_file()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serving = subprocess.Popen(
        [str(installed / "instamrkt-docs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        said = until_said(serving, "Serving on", guard=120)  # after the build and the watch
        assert "Serving on" in said, said
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/reference/rest/", timeout=30) as page:
            assert page.status == 200
    finally:
        serving.terminate()
        try:
            serving.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serving.kill()
            serving.wait()
