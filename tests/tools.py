"""Helpers for tests that need outside tools: find them, or fail in CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"


def need(tool: str) -> str:
    """The path of a tool; skips the test without it, but fails in CI (CI=true)."""
    path = shutil.which(tool, path=f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if path:
        return path
    message = f"{tool} is not installed (scripts/setup installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def need_node_package(name: str) -> Path:
    """node_modules/<name>; skips without it, fails in CI."""
    path = ROOT / "node_modules" / name
    if path.exists():
        return path
    message = f"the npm package {name} is not installed (scripts/setup runs npm ci)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
