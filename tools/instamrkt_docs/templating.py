"""Jinja environments with a template search path: the user's folder first, then ours."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2


def make_environment(
    package_templates: Path, user_templates: Path | None, filters: dict[str, Callable[..., Any]]
) -> jinja2.Environment:
    """An environment where a user's template of the same name replaces ours.

    A user's folder mirrors ours: `python/http.py.jinja` there replaces ours, and may
    `{% extends "python/_base/http.py.jinja" %}` to change a single block.
    """
    folders = [str(user_templates)] if user_templates else []
    folders.append(str(package_templates))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(filters)
    return env
