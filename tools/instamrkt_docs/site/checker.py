"""Validation beside the build under `serve`: a warm worker process checks the specs while
the main process renders them, so that a reload waits for the longer of the two only."""

from __future__ import annotations

import functools
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from instamrkt_docs.findings import Finding
from instamrkt_docs.load.source import SourceCache

# In the worker: the files parsed before, so that an edit re-parses one file.
_SOURCES = SourceCache()


@functools.cache
def _results() -> Any:
    """In the worker: the specs checked before, so that an edit re-checks the specs that
    reach the file edited (made on first use: the validators load with it)."""
    from instamrkt_docs.validate import ResultCache

    return ResultCache()


def _validate(paths: list[str], cwd: str, roots: list[str]) -> tuple[list[Finding], list[str]]:
    import os

    from instamrkt_docs.validate import validate

    os.chdir(cwd)
    result = validate(
        [Path(p) for p in paths],
        ref_roots=[Path(r) for r in roots],
        sources=_SOURCES,
        results=_results(),
    )
    return result.findings, result.checked


def _warm() -> None:
    import instamrkt_docs.validate  # noqa: F401  (imports take most of a first run)


def _exit_with_parent() -> None:
    """In the worker: end when the serving process ends, however it ends."""
    import os
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])  # ready once the parent is gone
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class BackgroundChecker:
    """One worker process, started once and kept warm for every rebuild."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # the server has threads: no fork
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_exit_with_parent
        )
        self._pool.submit(_warm)

    def submit(self, paths: list[Path], cwd: Path, roots: list[Path]) -> Future:
        """Validate `paths` in the worker; the future's result is (findings, checked)."""
        return self._pool.submit(
            _validate, [str(p) for p in paths], str(cwd), [str(r) for r in roots]
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
