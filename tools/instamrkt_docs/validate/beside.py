"""Work done in a forked child process beside the caller's own, on a machine with cores
to spare: the official-schema pass of a big spec runs there while this process checks
names and examples (on 2 cores, the two take as long as the longer of them).

The child starts from a copy of this process (the spec already parsed), runs one function
and sends its result back through a pipe. Where there is no `fork`, one core, or the child
fails, the function runs here instead: the result is the same either way.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def start(function: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start `function(*args)`, in a child when it helps; call the result to get its value."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return lambda: function(*args)
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return lambda: function(*args)
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanups
        status = 1
        try:
            os.close(read)
            data = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)

    def result() -> T:
        with os.fdopen(read, "rb") as channel:
            data = channel.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return function(*args)  # the child failed: the same work, here
        return pickle.loads(data)

    return result
