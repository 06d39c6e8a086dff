"""Big groups split into pages of their own, so that no page is too heavy to open.

A group (a tag, a channel) whose operations would make a page beyond a budget becomes an
index page and a page per part. Parts follow the paths: operations are sorted by the path
segment where they part ways (`/repos/{owner}/{repo}/branches...` and `/repos/{owner}/{repo}/
commits...` go to pages `branches` and `commits`), again inside a part that is still too big,
so a part's address depends on its paths only, not on how many operations come before it.
Operations on one path, or without one, that are still too big get a page each.

The weight of a page is an estimate of its Markdown: its operations' samples, examples as
the page prints them, field and parameter rows, and the same for the models it describes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from instamrkt_docs.model.common import slug, unique_key

# Markdown bytes of operations on one page; HTML comes to about twice as much, under 1 MB.
BUDGET = 300_000
_BASE = 1_500  # heading, endpoint line, tables' heads and the page's frame
_ROW = 220  # a field or parameter row, with its HTML around it
INDEX_ROWS = 500  # a split group's index lists each operation up to this many, else counts
MODELS_PAGE = "models"  # the page of a split group's models that more than one part uses;
# when they are too many for one page, `models`, `models-2`, ... (see `model_chunks`)


@dataclass
class Part:
    """Operations on one page of a split group: its key (under the group's) and name."""

    key: str
    name: str
    operations: list[Any]


def weight(operation: Any, samples: Sequence[Any]) -> int:
    """About how many bytes of Markdown an operation makes on its page."""
    size = _BASE + sum(len(sample.code) for sample in samples)
    rows = len(getattr(operation, "parameters", ()))
    for part in _parts(operation):
        rows += len(part.rows) + len(getattr(part, "header_fields", ()))
        size += _printed(part.examples)
    return size + rows * _ROW


def _printed(examples: Sequence[Any]) -> int:
    """The bytes of some examples as the page prints them (indented JSON)."""
    size = 0
    for example in examples:
        try:
            size += len(orjson.dumps(example.value, option=orjson.OPT_INDENT_2))
        except TypeError:  # a value JSON has no form for (an integer beyond 64 bits)
            size += len(repr(example.value))
    return size


def _parts(operation: Any) -> list[Any]:
    """The bodies (REST) or messages (websocket) an operation's page describes."""
    if hasattr(operation, "responses"):
        bodies = [operation.body] if operation.body else []
        bodies += operation.other_bodies
        return bodies + [b for response in operation.responses for b in response.bodies]
    return [*operation.messages, *operation.replies]


def model_weight(models: Sequence[Any]) -> int:
    """About how many bytes of Markdown a page's model sections make."""
    size = 0
    for model in models:
        size += _BASE + len(model.fields) * _ROW + _printed(model.examples)
    return size


def model_chunks(models: Sequence[Any], budget: int = BUDGET) -> list[list[Any]]:
    """The models in their order, on as few pages as keep each within the budget (a model
    heavier than the budget alone on its page)."""
    chunks: list[list[Any]] = []
    size = 0
    for model in models:
        heft = model_weight([model])
        if not chunks or size + heft > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(model)
        size += heft
    return chunks


def plan(
    operations: list[Any], weigh: Callable[[list[Any]], int], budget: int = BUDGET
) -> list[Part]:
    """The pages a group's operations go on (one part when they fit in the budget).

    `weigh` gives the weight of a page with some operations, their models included.
    """
    if weigh(operations) <= budget:
        return [Part("", "", operations)]
    taken = {"index", MODELS_PAGE}
    top = _common([_segments(op) for op in operations])
    parts = []
    for segments, ops in _by_path(operations, weigh, budget, 0):
        if segments:
            key, name = _key(segments[len(top) :] or segments[-1:]), "/" + "/".join(segments)
        else:
            key, name = slug(ops[0].key), _title(ops[0])
        parts.append(Part(unique_key(key, taken), name, ops))
    return parts


def _key(segments: list[str]) -> str:
    """A page's key from its path: the literal segments, and a last parameter's name
    (`/repos/{owner}/{repo}/pulls/{pull_number}`: `repos-pulls-pull-number`)."""
    words = [s for s in segments[:-1] if not s.startswith("{")] + [segments[-1].strip("{}")]
    return slug("-".join(words))


def _title(operation: Any) -> str:
    return operation.summary or getattr(operation, "title", "") or operation.key


def _segments(operation: Any) -> list[str]:
    path = getattr(operation, "path", None) or getattr(operation, "address", None) or ""
    return [s for s in path.split("/") if s]


def _by_path(
    operations: list[Any], weigh: Callable[[list[Any]], int], budget: int, depth: int
) -> list[tuple[list[str], list[Any]]]:
    """(path segments shared, operations) for each page, splitting where paths part."""
    paths = [_segments(op) for op in operations]
    if len(operations) == 1 or weigh(operations) <= budget:
        return [(_common(paths), operations)]
    while all(len(p) > depth for p in paths) and len({p[depth] for p in paths}) == 1:
        depth += 1  # a segment every operation shares
    buckets: dict[str, list[Any]] = {}
    for op, path in zip(operations, paths, strict=True):
        buckets.setdefault(path[depth] if len(path) > depth else "", []).append(op)
    if len(buckets) == 1:  # one path (or none): a page per operation
        return [([], [op]) for op in operations]
    pages = []
    for segment, ops in buckets.items():
        if segment:
            pages += _by_path(ops, weigh, budget, depth + 1)
        elif weigh(ops) <= budget:
            pages.append((_common([_segments(op) for op in ops]), ops))
        else:
            pages += [([], [op]) for op in ops]
    return pages


def _common(paths: list[list[str]]) -> list[str]:
    """The leading segments every path has."""
    common: list[str] = []
    for segments in zip(*paths, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return common
