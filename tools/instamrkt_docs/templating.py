"""Jinja environments with a template search path: the user's folder first, then ours."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

_environments: dict[tuple[str, str | None, int], jinja2.Environment] = {}
_lock = threading.Lock()


def make_environment(
    package_templates: Path, user_templates: Path | None, filters: dict[str, Callable[..., Any]]
) -> jinja2.Environment:
    """An environment where a user's template of the same name replaces ours.

    A user's folder mirrors ours: `python/http.py.jinja` there replaces ours, and may
    `{% extends "python/_base/http.py.jinja" %}` to change a single block.

    Environments are kept for the life of the process, so templates are compiled once;
    a template whose file changed is compiled again when next used (Jinja's auto-reload).
    """
    user = str(Path(user_templates).resolve()) if user_templates else None
    key = (str(package_templates), user, id(filters))
    with _lock:
        env = _environments.get(key)
        if env is None:
            env = _environments[key] = _new_environment(package_templates, user, filters)
        return env


@functools.cache
def disk_bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept on disk between processes, so that a command does not compile
    every template again: Jinja's own cache, in a folder of the user's only (0700, checked
    by Jinja). None where no such folder can be made."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (RuntimeError, OSError):
        return None


def _new_environment(
    package_templates: Path, user_templates: str | None, filters: dict[str, Callable[..., Any]]
) -> jinja2.Environment:
    folders = [user_templates] if user_templates else []
    folders.append(str(package_templates))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        cache_size=-1,
        auto_reload=True,
        bytecode_cache=disk_bytecode_cache(),
    )
    env.filters.update(filters)
    return env


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for environments made anew on every build."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
