"""Named schemas as the pages describe them: once each, linked from every use.

A page lists the named schemas its operations use (bodies, payloads, and the named schemas
their fields hold, and so on), in the order a reader meets them.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from typing import Any, Protocol

from instamrkt_docs.model import schemas
from instamrkt_docs.model.common import schema_examples
from instamrkt_docs.model.resolver import Resolver
from instamrkt_docs.model.types import Field, Model

MAX_MODELS = 2000  # per page: a bound on what one page describes


def model_of(schema: Any, resolver: Resolver) -> tuple[str, str, list[Field]]:
    """(name, anchor, rows) for a body or payload: a named schema is linked and has no
    rows of its own; an inline one has its compact rows."""
    if schema is None:
        return "", "", []
    ref = resolver.named_ref(schema)
    if ref:
        return resolver.name(schema) or "", resolver.model_key(ref), []
    return "", "", schemas.fields(schema, resolver, compact=True)


def describe(ref: str, resolver: Resolver) -> Model:
    """One named schema, described."""
    node = {"$ref": ref}
    resolved = resolver.deref(node)
    rows = schemas.fields(node, resolver, compact=True)
    return Model(
        key=resolver.model_key(ref),
        name=resolver.name(node) or "schema",
        type=(
            schemas.type_name(resolved, resolver, frozenset([ref]))
            if isinstance(resolved, dict)
            else "any"
        ),
        description=schemas.description(resolved, resolver),
        constraints=schemas.constraints(resolved, resolver),
        fields=rows,
        examples=schema_examples(node, resolver)[:1],
    )


def used(keys: Iterable[str], resolver: Resolver) -> list[Model]:
    """The models with these anchors, and every model their fields link to, in order."""
    cache: dict[str, Model] = resolver.cache.setdefault(("models", 0), {})
    order: list[str] = []
    queue = deque(dict.fromkeys(keys))
    seen = set(queue)
    while queue and len(order) < MAX_MODELS:
        key = queue.popleft()
        ref = resolver.model_refs.get(key)
        if ref is None:
            continue
        if key not in cache:
            cache[key] = describe(ref, resolver)
        order.append(key)
        for row in cache[key].fields:
            if row.model_key and row.model_key not in seen:
                seen.add(row.model_key)
                queue.append(row.model_key)
    return [cache[key] for key in order]


class Described(Protocol):
    """A body or a message payload: a named schema, or rows of its own."""

    model_key: str
    rows: list[Field]


def for_page(parts: list[Described], resolver: Resolver) -> list[Model]:
    """The models a page describes in sections of their own, for its bodies or payloads.

    A named schema that is the body of one place on the page, and no field's value, is
    described in that place instead (its rows given to it): a reader reads it there. A
    part may be on more than one page (a group's, then one of its parts'): each call starts
    from the named schemas as they are.
    """
    for part in parts:
        if part.model_key:
            part.rows = []
    keys = [part.model_key for part in parts if part.model_key]
    inline = [k for part in parts if not part.model_key for k in keys_in(part.rows)]
    found = used(keys + inline, resolver)
    by_key = {model.key: model for model in found}
    # held by a field: of a model, or of a body with rows of its own (a list's `data`)
    held = {row.model_key for model in found for row in model.fields} | set(inline)
    uses = Counter(part.model_key for part in parts if part.model_key)
    alone = {k for k, n in uses.items() if n == 1 and k not in held and k in by_key}
    for part in parts:
        if part.model_key in alone and by_key[part.model_key].fields:
            part.rows = by_key[part.model_key].fields
        else:
            alone.discard(part.model_key)
    return [model for model in found if model.key not in alone]


def keys_in(rows: Iterable[Field]) -> list[str]:
    """The anchors of the models some rows link to."""
    return [row.model_key for row in rows if row.model_key]
