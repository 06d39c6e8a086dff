"""mkdocs.yml read for `build` and `serve`: a mistake in it is the user's, said in one line.

MkDocs logs each problem of a configuration, then aborts with "Aborted with a configuration
error!". Here the problems are caught as it logs them, and the first becomes a `UsageError`
(exit status 2) naming the file, and the line and column of a YAML error: "mkdocs.yml:
Config value 'nav': Expected nav to be a list, got a int: 3". An option of this plugin that
MkDocs only warns about (one it does not know) is a mistake too, under `serve` as well.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from instamrkt_docs.errors import UsageError

# How MkDocs names a problem with this plugin's options (an unknown one is only a warning).
_OUR_OPTIONS = "Plugin 'instamrkt-docs' option "


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load(config_file: Path, quiet: bool = False, **overrides: Any) -> Any:
    """The MkDocs configuration in `config_file`, with `overrides`; its warnings logged
    again once it is read (none when `quiet`: a first reading, before the build's own)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if not config_file.exists():
        raise UsageError(f"{config_file}: no such file (run this from the project's folder)")
    logger = logging.getLogger("mkdocs.config")
    kept = _Kept()
    logger.addHandler(kept)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(str(config_file), **overrides)
    except ConfigurationError as exc:
        raise UsageError(_parse_error(config_file, exc)) from None
    except Abort as exc:
        said = [r for r in kept.records if r.levelno >= logging.ERROR] or kept.records
        first = said[0].getMessage() if said else str(exc)
        more = f" (and {len(said) - 1} more)" if len(said) > 1 else ""
        raise UsageError(f"{config_file}: {first}{more}") from None
    finally:
        logger.removeHandler(kept)
        logger.propagate = propagate
    ours = [r for r in kept.records if _OUR_OPTIONS in r.getMessage()]
    if ours:  # a warning to MkDocs, whose plugins may take options of other versions
        raise UsageError(f"{config_file}: {ours[0].getMessage()}")
    if config.plugins.get("instamrkt-docs") is not None:
        from mkdocs.exceptions import PluginError

        from instamrkt_docs.site.needs import complete

        try:
            complete(config)  # as the plugin will: what it cannot add is a mistake here
        except PluginError as exc:
            raise UsageError(f"{config_file}: {exc.message}") from None
    if not quiet:
        for record in kept.records:
            logger.handle(record)
    return config


def _parse_error(config_file: Path, exc: Exception) -> str:
    """A YAML error of mkdocs.yml with its place: `mkdocs.yml:1:12: expected ...`."""
    import yaml

    cause = exc.__context__
    if isinstance(cause, yaml.MarkedYAMLError) and cause.problem_mark is not None:
        mark = cause.problem_mark
        problem = cause.problem or "not YAML"
        return f"{config_file}:{mark.line + 1}:{mark.column + 1}: {problem} (not valid YAML)"
    return f"{config_file}: {' '.join(str(exc).split())}"
