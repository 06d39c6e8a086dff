"""JSON positions from the one-pass scanner agree with a full YAML parse of the same text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml

from instamrkt_docs.load import pointers
from instamrkt_docs.load.json_positions import json_positions, position
from instamrkt_docs.load.source import Source
from tests.conftest import SPEC


def every_pointer(data: Any, where: str = "") -> Iterator[str]:
    yield where
    if isinstance(data, dict):
        for key, value in data.items():
            yield from every_pointer(value, f"{where}/{pointers.escape(key)}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from every_pointer(value, f"{where}/{index}")


def test_agrees_with_the_yaml_composer_on_every_pointer_of_a_real_spec() -> None:
    data = yaml.safe_load((SPEC / "asyncapi.yaml").read_text())
    for indent in (2, None):
        text = json.dumps(data, indent=indent, ensure_ascii=False)
        wanted = list(every_pointer(data))
        fast = json_positions(text, wanted)
        slow = Source(text=text, data=data, is_json=False)  # placed through the YAML nodes
        assert len(wanted) > 1500
        assert {p: fast[p] for p in wanted} == {p: slow.position(p) for p in wanted}


def test_awkward_keys_and_strings() -> None:
    text = '{"a/b": {"~x": [1, "]}", {"k\\"q": true}]}, "é": {"z": null}}'
    assert position(text, '/a~1b/~0x/2/k"q') == (1, text.index('"k') + 1)
    assert position(text, "/a~1b/~0x/1") == (1, text.index('"]}"') + 1)
    assert position(text, "/a~1b/~0x/0") == (1, text.index("1,") + 1)
    assert position(text, "/é/z") == (1, text.index('"z"') + 1)


def test_a_missing_pointer_gives_its_deepest_existing_ancestor() -> None:
    text = '{\n  "a": {\n    "b": 1\n  }\n}'
    assert position(text, "/a/nope/deeper") == (2, 3)
    assert position(text, "/nothing") == (1, 1)


def test_only_the_way_to_the_wanted_pointers_is_entered() -> None:
    text = json.dumps({"big": [{"x": i} for i in range(1000)], "target": {"here": 1}})
    found = json_positions(text, ["/target/here"])
    assert set(found) == {"", "/target", "/target/here"}
    assert found["/target/here"] == (1, text.index('"here"') + 1)
