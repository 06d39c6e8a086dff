"""Examples for any schema a spec could hold, however malformed: the generator never
fails, never loops, and what it makes is JSON of a bounded size."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from instamrkt_docs.examples import example_for

KEYWORDS = [
    "type", "properties", "required", "items", "prefixItems", "additionalProperties",
    "allOf", "oneOf", "anyOf", "not", "enum", "const", "default", "example", "examples",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
    "maxLength", "pattern", "format", "minItems", "maxItems", "uniqueItems", "minProperties",
    "nullable", "discriminator", "readOnly", "writeOnly", "$ref",
]  # fmt: skip
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**300), max_value=10**300),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["object", "array", "string", "integer", "number", "boolean", "null",
                     "date-time", "uuid", "^(a|a)*$", "[", "a{99999999}", "#/x"]),
)  # fmt: skip
schemas = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYWORDS), inner, max_size=6),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=25,
)


@given(schemas)
@settings(max_examples=400, deadline=None)
def test_any_schema_gets_a_bounded_example(schema: Any) -> None:
    value = example_for(schema)
    text = json.dumps(value, default=str)
    assert len(text) < 2_000_000
