"""The site folder: one build at a time, staging beside it, and a swap with no gap.

A build writes into a staging folder beside the site (`.site.new-*`) and swaps it in only
when everything succeeded. The swap exchanges the two folders in one step where the system
can (Linux's renameat2), so readers of `site/` never find it missing; elsewhere it renames
the old site aside first. A lock beside the site makes a second build wait for the first;
staging folders left by a build that was killed are removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_prefix(target: Path) -> str:
    return f".{target.name}.new-"


@contextlib.contextmanager
def site_lock(target: Path) -> Iterator[None]:
    """Hold the lock of one site folder: a second build waits, and says for whom."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.with_name(f".{target.name}.lock")
    with path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            print(f"waiting for another build of {target} ({holder}) to end", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            fcntl.flock(lock, fcntl.LOCK_UN)


def remove_stale_staging(target: Path) -> list[Path]:
    """Staging folders of builds that did not finish (call it holding the site's lock)."""
    stale = sorted(target.parent.glob(staging_prefix(target) + "*"))
    stale += [target.with_name(f".{target.name}.old")]
    for folder in stale:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
    return [folder for folder in stale if not folder.exists()]


def new_staging(target: Path) -> Path:
    """An empty staging folder beside the site, with the permissions a new folder gets."""
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private (0700); a site is not
    return staging


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


def swap_in(target: Path, staging: Path) -> None:
    """Put the built staging folder in place of the site; the old site is removed."""
    if target.is_dir() and not target.is_symlink() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
