"""Parsing YAML and JSON with positions."""

from __future__ import annotations

import pytest

from instamrkt_docs.load.source import ParseError, parse


def test_yaml_is_read_with_json_types() -> None:
    source = parse(
        "on: yes\nwhen: 2026-11-28T19:00:00Z\nday: 2026-11-28\n200: ok\ncount: 0x1f\nnone: ~\n"
    )
    assert source.data == {
        "on": "yes",
        "when": "2026-11-28T19:00:00Z",
        "day": "2026-11-28",
        "200": "ok",
        "count": 31,
        "none": None,
    }


def test_merge_keys_still_work() -> None:
    source = parse("base: &b {a: 1}\nchild:\n  <<: *b\n  c: 2\n")
    assert source.data["child"] == {"a": 1, "c": 2}


def test_position_of_a_key_and_of_an_item() -> None:
    text = "openapi: 3.1.0\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n"
    source = parse(text)
    assert source.position("/paths/~1a~1b/get") == (4, 5)
    assert source.position("/paths/~1a~1b/get/tags/1") == (5, 17)
    assert source.position("") == (1, 1)


def test_position_of_a_missing_member_is_its_deepest_existing_parent() -> None:
    source = parse("a:\n  b:\n    c: 1\n")
    assert source.position("/a/b/nope/deeper") == (2, 3)


def test_json_positions_are_computed_lazily() -> None:
    source = parse('{\n  "a": {\n    "b": [1, 2]\n  }\n}\n', as_json=True)
    assert source.is_json
    assert source.position("/a/b/1") == (3, 14)


def test_broken_yaml_gives_the_place_of_the_problem() -> None:
    with pytest.raises(ParseError) as caught:
        parse("a: 1\nb: [1, 2\nc: 3\n")
    assert (caught.value.line, caught.value.column) == (3, 2)
    assert "started at 2:4" in caught.value.message


def test_broken_json_gives_the_place_of_the_problem() -> None:
    with pytest.raises(ParseError) as caught:
        parse('{\n  "a": 1,\n}\n', as_json=True)
    assert (caught.value.line, caught.value.column) == (3, 1)


def test_duplicate_keys_are_found_where_they_repeat() -> None:
    source = parse("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n")
    assert source.duplicate_keys() == [("/b/x", 4, 3), ("/a", 5, 1)]


def test_duplicate_keys_in_json_are_found_too() -> None:
    source = parse('{\n  "a": 1,\n  "a": 2\n}\n', as_json=True)
    assert source.data == {"a": 2}
    assert source.duplicate_keys() == [("/a", 3, 3)]
    assert parse('{"a": 1}', as_json=True).duplicate_keys() == []


def test_a_cache_parses_a_text_once_and_a_changed_text_again() -> None:
    from instamrkt_docs.load.source import SourceCache

    cache = SourceCache()
    first = cache.parse("a: 1\n")
    assert cache.parse("a: 1\n") is first
    changed = cache.parse("a: 2\n")
    assert changed.data == {"a": 2}


def test_a_cache_keeps_at_most_its_size_in_text() -> None:
    from instamrkt_docs.load.source import SourceCache

    cache = SourceCache(max_chars=12)
    oldest = cache.parse("a: 1\n")
    cache.parse("b: 22\n")
    cache.parse("c: 333\n")  # over 12 characters together: the oldest goes
    assert cache.parse("a: 1\n") is not oldest
