"""Jinja environments with a template search path (the user's folder first, then ours) in
which no template can write a value that no escaping function has seen.

Every `{{ ... }}` goes through `escaping.admit`: `Escaped` text and ints are written,
anything else (a spec's string, None, a float) stops the render with `UnescapedValue`,
naming the template and line. Macros, blocks and `{% set %}` blocks give `Escaped` text;
`~` refuses to join escaped text with a plain string, and anything done to escaped text
(`+`, `replace`, `trim`) gives a plain string, refused in turn; `{% autoescape %}` is
refused; Jinja's filters that would mark text safe or escape it for
HTML only (`safe`, `e`, `tojson`, `xmlattr`, `urlize`, `format`) are refused, and `join`
joins as `~` does.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.runtime

from instamrkt_docs.escaping import Escaped, UnescapedValue, admit

_environments: dict[tuple[str, str | None, int], jinja2.Environment] = {}
_lock = threading.Lock()

_IMPORT = "from jinja2.runtime import "
# Names the compiled templates take from jinja2.runtime, rebound to ours after that import.
_GUARDS = (
    "escape = environment.guard_admit\n"
    "markup_join = environment.guard_join\n"
    "Markup = environment.guard_markup\n"
    "Macro = environment.guard_macro\n"
)


def _join(seq: Iterable[Any]) -> Any:
    """`~`: plain strings joined as plain strings; once one piece is escaped, all must be."""
    pieces = list(seq)
    if any(isinstance(p, (Escaped, jinja2.runtime.Markup)) for p in pieces):
        return Escaped("".join(admit(p) for p in pieces))
    return "".join(str(p) for p in pieces)


class _Macro(jinja2.runtime.Macro):
    """A macro whose output is `Escaped` (it is made of admitted pieces and template text)."""

    def _invoke(self, arguments: list[Any], autoescape: bool) -> Any:
        return Escaped(super()._invoke(arguments, autoescape))


def _refused(name: str, instead: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise UnescapedValue(f"templates may not use the '{name}' filter: {instead}")

    return refuse


def _join_filter(value: Iterable[Any], d: str = "", attribute: Any = None) -> Any:
    """`join` as `~` joins: plain items give plain text (to escape next); once one item is
    escaped, all must be, and the result is escaped (the separator is the template's own)."""
    items = list(value)
    if attribute is not None:
        items = [getattr(item, attribute) for item in items]
    if any(isinstance(i, (Escaped, jinja2.runtime.Markup)) for i in items):
        return Escaped(str(d).join(admit(item) for item in items))
    return str(d).join(str(item) for item in items)


_BUILTINS: dict[str, Callable[..., Any]] = {
    "safe": _refused("safe", "escape the value for its context instead"),
    "e": _refused("e", "HTML escaping is not enough on a Markdown page: use a context filter"),
    "escape": _refused("escape", "use a context filter"),
    "forceescape": _refused("forceescape", "use a context filter"),
    "tojson": _refused("tojson", "use a context filter"),
    "xmlattr": _refused("xmlattr", "use the attr filter"),
    "urlize": _refused("urlize", "use the url filter"),
    "format": _refused("format", "escape each value, then write them side by side"),
    "join": _join_filter,
}


class GuardedTemplate(jinja2.Template):
    """A template whose refusals say where in the template the value was written."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except UnescapedValue as error:
            raise UnescapedValue(f"{_where(error)}{error}") from None


def _where(error: BaseException) -> str:
    """`template:line: ` of the innermost template frame of a traceback ("" if none)."""
    found = ""
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name.endswith(".jinja"):
            found = f"{name}:{trace.tb_lineno}: "
        trace = trace.tb_next
    return found


class GuardedEnvironment(jinja2.Environment):
    """An environment whose compiled templates admit only escaped values."""

    template_class = GuardedTemplate

    guard_admit = staticmethod(admit)
    guard_join = staticmethod(_join)
    guard_markup = Escaped
    guard_macro = _Macro

    def _generate(self, source: Any, name: Any, filename: Any, defer_init: bool = False) -> str:
        code = super()._generate(source, name, filename, defer_init=defer_init)
        head, _, rest = code.partition("\n")
        if not head.startswith(_IMPORT):
            raise RuntimeError("Jinja's compiled templates changed: the guard cannot be placed")
        return head + "\n" + _GUARDS + rest

    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(jinja2.nodes.EvalContextModifier):
            raise jinja2.TemplateSyntaxError(
                "templates may not turn autoescaping off", node.lineno, name, filename
            )
        return tree


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
        # named for the guard: code compiled before it admits anything
        return jinja2.FileSystemBytecodeCache(pattern="__instamrkt_guarded_1_%s.cache")
    except (RuntimeError, OSError):
        return None


def _new_environment(
    package_templates: Path, user_templates: str | None, filters: dict[str, Callable[..., Any]]
) -> jinja2.Environment:
    folders = [user_templates] if user_templates else []
    folders.append(str(package_templates))
    env = GuardedEnvironment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        cache_size=-1,
        auto_reload=True,
        bytecode_cache=disk_bytecode_cache(),
    )
    env.filters.update(_BUILTINS)
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
