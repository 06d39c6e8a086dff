"""Parse YAML or JSON text into plain data, keeping a way back to line and column.

YAML is read with the YAML 1.2 core schema (as JSON tools read it): `yes`, `on` and
timestamps stay strings, and every mapping key becomes a string, so `200:` and `"200":`
are the same response code.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from instamrkt_docs.load import json_positions, pointers

try:  # the C parser is much faster; PyYAML wheels ship it
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader with YAML 1.2 core scalars and string keys."""

    yaml_implicit_resolvers: ClassVar[dict] = {}


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _construct_yaml_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    value = loader.construct_scalar(node)
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = _key_text(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


class ParseError(Exception):
    """The text is not well-formed YAML or JSON; carries a 1-based line and column."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Source:
    """Parsed text: its data, and the node tree that maps pointers back to positions."""

    text: str
    data: Any
    is_json: bool
    json_duplicates: bool = False
    _node: yaml.Node | None = field(default=None, repr=False)
    _node_tried: bool = field(default=False, repr=False)

    def positions(self, wanted: list[str]) -> dict[str, tuple[int, int]]:
        """The places of several pointers at once (one pass over JSON text)."""
        if self.is_json:
            found = json_positions.json_positions(self.text, wanted)
            return {p: json_positions.nearest(found, p) for p in wanted}
        return {p: self.position(p) for p in wanted}

    def node(self) -> yaml.Node | None:
        """The YAML node tree (composed lazily for JSON files)."""
        if not self._node_tried:
            self._node_tried = True
            if self._node is None:
                try:
                    self._node = yaml.compose(self.text, Loader=_Loader)
                except yaml.YAMLError:
                    self._node = None
        return self._node

    def position(self, pointer: str) -> tuple[int, int]:
        """Line and column (1-based) of the member a pointer names.

        For an object member this is where its key starts; for an array item, where the
        item starts. Where the pointer leads nowhere, the deepest existing place is given.
        """
        if self.is_json:
            return json_positions.position(self.text, pointer)
        node = self.node()
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for part in pointers.split(pointer):
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                        mark, node = key_node.start_mark, value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode):
                if part.isdigit() and int(part) < len(node.value):
                    node = node.value[int(part)]
                    mark = node.start_mark
                else:
                    break
            else:
                break
        return (mark.line + 1, mark.column + 1)

    def duplicate_keys(self) -> list[tuple[str, int, int]]:
        """Keys given twice in one mapping: (pointer, line, column) of each repetition."""
        if self.is_json and not self.json_duplicates:
            return []  # the JSON parser saw none: no need to build the node tree
        node = self.node()
        found: list[tuple[str, int, int]] = []
        stack: list[tuple[yaml.Node, str]] = [(node, "")] if node is not None else []
        seen_nodes: set[int] = set()
        while stack:
            current, where = stack.pop()
            if id(current) in seen_nodes:
                continue
            seen_nodes.add(id(current))
            if isinstance(current, yaml.MappingNode):
                keys: set[str] = set()
                for key_node, value_node in current.value:
                    key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
                    child = f"{where}/{pointers.escape(key)}"
                    if key in keys and key != "<<":
                        mark = key_node.start_mark
                        found.append((child, mark.line + 1, mark.column + 1))
                    keys.add(key)
                    stack.append((value_node, child))
            elif isinstance(current, yaml.SequenceNode):
                for index, item in enumerate(current.value):
                    stack.append((item, f"{where}/{index}"))
        return sorted(found, key=lambda item: (item[1], item[2]))


MAX_DEPTH = 256  # nesting levels; real specs stay well under 50
# Aliases may make a document bigger than its text: at most this many nodes once expanded,
# beyond ten times the nodes written.
ALIAS_BUDGET = 1_000_000


def _check_nodes(root: yaml.Node) -> None:
    """Refuse a node tree that aliases would expand without bound, or nests too deep."""
    sizes: dict[int, int] = {}
    written = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes and not done:
            continue  # an alias of a node already measured
        children = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if not done:
            if depth > MAX_DEPTH:
                mark = node.start_mark
                raise ParseError(
                    f"nested more than {MAX_DEPTH} levels deep", mark.line + 1, mark.column + 1
                )
            written += 1
            sizes[id(node)] = -1  # being measured
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children)
            continue
        size = 1 + sum(max(sizes.get(id(child), 1), 1) for child in children)
        sizes[id(node)] = size
        if size > ALIAS_BUDGET + 10 * written:
            mark = node.start_mark
            raise ParseError(
                f"YAML aliases expand this to more than {ALIAS_BUDGET:,} nodes "
                "(an alias bomb?): not read",
                mark.line + 1,
                mark.column + 1,
            )


def _json_depth_ok(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return True


MAX_DIGITS = 4300  # Python's own limit on the digits of an int it reads
# a run of more digits that YAML or JSON would read as a number (not inside a longer word)
_LONG_NUMBER = re.compile(rf"(?<![\w.\"'])[0-9][0-9_]{{{MAX_DIGITS},}}(?![\w\"'])")


def parse(text: str, *, as_json: bool = False) -> Source:
    """Parse YAML or JSON text; raises ParseError with the place of the problem.

    Bounded: nesting deeper than MAX_DEPTH, and YAML aliases that expand beyond
    ALIAS_BUDGET nodes, are refused before anything is built from them; so is a number of
    more digits than Python reads (4300: reading longer ones takes quadratic time).
    """
    long_number = _LONG_NUMBER.search(text)
    if long_number:
        line = text.count("\n", 0, long_number.start()) + 1
        column = long_number.start() - (text.rfind("\n", 0, long_number.start()) + 1) + 1
        raise ParseError(
            f"a number of {len(long_number.group())} digits: more than {MAX_DIGITS} are not read",
            line,
            column,
        )
    if as_json or text.lstrip().startswith(("{", "[")):
        duplicates: list[bool] = []

        def unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            mapping = dict(pairs)
            if len(mapping) != len(pairs):
                duplicates.append(True)
            return mapping

        try:
            data = json.loads(text, object_pairs_hook=unique_pairs)
            if not _json_depth_ok(data):
                raise ParseError(f"nested more than {MAX_DEPTH} levels deep", 1, 1)
            return Source(text=text, data=data, is_json=True, json_duplicates=bool(duplicates))
        except RecursionError as exc:
            raise ParseError(f"nested more than {MAX_DEPTH} levels deep", 1, 1) from exc
        except json.JSONDecodeError as exc:
            if as_json:
                raise ParseError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from exc
            # not strict JSON: YAML flow style may still read it
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_nodes(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or str(exc)
        context = exc.context_mark
        if exc.context and context and (context.line, context.column) != (line - 1, column - 1):
            problem = (
                f"{problem} ({exc.context} started at {context.line + 1}:{context.column + 1})"
            )
        elif exc.context:
            problem = f"{problem} ({exc.context})"
        raise ParseError(f"invalid YAML: {problem}", line, column) from exc
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {exc}", 1, 1) from exc
    except RecursionError as exc:
        raise ParseError(f"nested more than {MAX_DEPTH} levels deep", 1, 1) from exc
    finally:
        loader.dispose()
    return Source(text=text, data=data, is_json=False, _node=node, _node_tried=True)


class SourceCache:
    """Parsed files kept from one run to the next in a long-lived process (`serve`).

    A file whose text has not changed is not parsed again. Parsed data is never changed
    by its readers, so runs can share it. Bounded by the total size of the texts kept.
    """

    def __init__(self, max_chars: int = 64 * 2**20) -> None:
        self.max_chars = max_chars
        self._kept: OrderedDict[tuple[bool, str], Source] = OrderedDict()
        self._chars = 0

    def parse(self, text: str, *, as_json: bool = False) -> Source:
        """`parse(text)`, from the cache when the same text was parsed before."""
        key = (as_json, text)
        source = self._kept.get(key)
        if source is not None:
            self._kept.move_to_end(key)
            return source
        source = parse(text, as_json=as_json)
        if len(text) <= self.max_chars:
            self._kept[key] = source
            self._chars += len(text)
            while self._chars > self.max_chars:
                (_, old), _ = self._kept.popitem(last=False)
                self._chars -= len(old)
        return source
