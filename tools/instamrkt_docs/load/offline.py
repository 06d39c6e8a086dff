"""Reference reading for the official libraries (openapi-spec-validator, openapi-core)
that never opens the network.

jsonschema-path fetches any `$ref` whose scheme it has no handler for with requests or
urllib: these handlers answer for every scheme, read `file:` through the workspace's
confined reading and refuse the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from instamrkt_docs.escaping import terminal
from instamrkt_docs.load.documents import RefError, RemoteRefError


def _refuse(uri: str) -> Any:
    if urlsplit(uri).scheme == "file":
        raise RefError(f"{terminal(uri)!r}: files are read only through the specs' folders")
    raise RemoteRefError(
        f"remote reference {terminal(uri)!r} not followed (the toolkit works offline)"
    )


class OfflineHandlers(dict[str, Callable[[str], Any]]):
    """A handler for every scheme: `read` for `file:` (None: no file either), else a refusal."""

    def __init__(self, read: Callable[[str], Any] | None = None) -> None:
        super().__init__()
        self._read = read

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str) -> Callable[[str], Any]:
        return self._read if scheme == "file" and self._read is not None else _refuse
