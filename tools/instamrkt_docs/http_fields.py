"""What an HTTP field (a header or a cookie) may hold, for the stages that check or send one."""

from __future__ import annotations

import re

# RFC 9110: a field name is a token; a value has no control character but tab.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

# A path segment that is only "." or ".." is removed by clients before sending (curl, the
# URL parser of browsers and Node), encoded or not.
DOT_SEGMENT = "'.' and '..' are dot segments, which clients remove from the path"


# Statuses whose response has no content, whatever a spec documents (RFC 9110 15.3.5, 15.3.6,
# 15.4.5): a server sends none, a client reads none.
NO_CONTENT = frozenset({204, 205, 304})


def unsendable(name: str, value: str) -> str:
    """Why no HTTP client can send this header (or cookie); "" when one can."""
    if not _TOKEN.fullmatch(name):
        return "its name is not an HTTP token"
    if _BAD_VALUE.search(value):
        return "its example has a line break or another control character"
    return ""
