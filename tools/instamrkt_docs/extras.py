"""The optional parts of the package, and the one message of a command that needs one.

`pip install instamrkt-docs` validates, renders and builds; the mock (and `verify`, which
runs the samples against it, and `run-scenario`'s websocket steps) need the web server,
websockets, multipart parsing and openapi-core: `pip install 'instamrkt-docs[mock]'`.
"""

from __future__ import annotations

import importlib.util

from instamrkt_docs.errors import UsageError

# extra -> the modules it brings
EXTRAS = {"mock": ("starlette", "uvicorn", "websockets", "multipart", "openapi_core")}


def require(extra: str, command: str) -> None:
    """A `UsageError` naming the extra when one of its modules is not installed."""
    missing = [name for name in EXTRAS[extra] if not _installed(name)]
    if missing:
        raise UsageError(
            f"{command} needs the {extra!r} extra ({', '.join(missing)} is not installed): "
            f"pip install 'instamrkt-docs[{extra}]'"
        )


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a finder that refuses it, a broken install
        return False
