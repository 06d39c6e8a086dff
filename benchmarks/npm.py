"""Files from npm registry packages (large public specs), fetched once into a cache."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
GITHUB = ("@octokit/openapi@23.0.2", "package/generated/api.github.com.json")


def npm_file(package: str, member: str, cache: Path = CACHE) -> Path:
    """`member` of the npm package `package` (name@version), fetched with `npm pack` once."""
    target = cache / package.replace("/", "__") / Path(member).name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        ["npm", "pack", package, "--silent"],
        cwd=target.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    archive_path = target.parent / packed
    with tarfile.open(archive_path) as archive:
        source = archive.extractfile(member)
        if source is None:
            raise FileNotFoundError(f"{member} is not in {package}")
        partial = target.with_suffix(".partial")
        partial.write_bytes(source.read())
        partial.replace(target)
    archive_path.unlink()
    return target


def github_spec() -> Path:
    """GitHub's REST description (OpenAPI 3.0, about 12 MB)."""
    return npm_file(*GITHUB)


def npm_modules(package: str, cache: Path = CACHE) -> Path:
    """The node_modules folder where the npm package `package` (name@version) is installed,
    once, in its own folder of the cache."""
    prefix = cache / package.replace("/", "__")
    name = package.rsplit("@", 1)[0]
    if not (prefix / "node_modules" / name / "package.json").exists():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", package],
            check=True,
            capture_output=True,
        )
    return prefix / "node_modules"


def npm_bin(package: str, command: str, cache: Path = CACHE) -> Path:
    """The command `command` of the npm package `package` (name@version), installed once
    into its own folder of the cache."""
    prefix = cache / package.replace("/", "__")
    path = prefix / "node_modules" / ".bin" / command
    if not path.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", package],
            check=True,
            capture_output=True,
        )
    return path
