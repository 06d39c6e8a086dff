"""Every rule of `diff` has a fixture pair (tests/diff/cases.py) that finds it, at its
place on both sides; and every rule of the catalogue is covered by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from instamrkt_docs.diff import RULES, compare, side
from tests.diff.cases import CASES, Case


def write(folder: Path, spec: dict) -> Path:
    """A side on disk: one document (openapi.json or asyncapi.json), or a folder of them."""
    folder.mkdir(parents=True)
    files = spec if all(key.endswith(".json") for key in spec) else None
    if files is None:
        name = "asyncapi.json" if "asyncapi" in spec else "openapi.json"
        files = {name: spec}
    for name, document in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(document, indent=2))
    return folder


def changes_of(case: Case, tmp_path: Path) -> list:
    old = write(tmp_path / "old", case.old)
    new = write(tmp_path / "new", case.new)
    with side(str(old), tmp_path) as before, side(str(new), tmp_path) as after:
        return compare(before, after)


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_each_rule_is_found_at_its_place_on_both_sides(case: Case, tmp_path: Path) -> None:
    found = changes_of(case, tmp_path)
    mine = [c for c in found if c.rule == case.rule]
    assert mine, [f"{c.rule} {c.old} {c.new}" for c in found]
    change = mine[0]
    assert change.level == RULES[case.rule].level
    for where, wanted, folder in (
        (change.old, case.old_at, "old"),
        (change.new, case.new_at, "new"),
    ):
        if wanted is None:
            assert where is None, (folder, where)
            continue
        assert where is not None, folder
        assert where.pointer == wanted, (folder, str(where))
        assert f"/{folder}/" in where.file
        assert where.line >= 1 and where.column >= 1
    others = {c.rule for c in found} - {case.rule} - case.also
    others -= {"version-not-bumped"}  # any breaking change without a version bump brings it
    assert not others, [f"{c.rule} {c.old} {c.new}" for c in found if c.rule in others]


def test_every_rule_has_a_fixture_pair_and_there_are_at_least_80() -> None:
    covered = {case.rule for case in CASES}
    assert set(RULES) - covered == set()
    assert len(RULES) >= 80


def test_a_change_in_another_file_is_placed_in_that_file(tmp_path: Path) -> None:
    """Specs of several files: a schema reached through a `$ref` to another file is compared
    there, and its change placed in that file, on both sides."""
    from tests.diff.cases import OBJ, answer, oas, op

    def spec(item: dict) -> dict:
        return {
            "openapi.json": oas({"/items": {"get": op("listItems", responses=answer(
                {"$ref": "schemas.json#/Item"}))}}),
            "schemas.json": {"Item": item},
        }  # fmt: skip

    case = Case("response-property-removed", spec(OBJ), spec({"type": "object", "properties": {
        "b": {"type": "string"}}}), "/Item/properties/a", "/Item")  # fmt: skip
    (change,) = [c for c in changes_of(case, tmp_path) if c.rule == case.rule]
    assert change.old.file.endswith("old/schemas.json") and change.old.pointer == case.old_at
    assert change.new.file.endswith("new/schemas.json") and change.new.pointer == case.new_at
    assert change.old.line > 1 and change.reaches == ["GET /items"]


def test_schemas_that_contain_themselves_are_compared_once(cli, tmp_path: Path) -> None:
    """The recursion fixture (a tree whose children are trees, across files): a change deep
    in it is found, once, without recursing forever (it stopped with RecursionError)."""
    import shutil

    from tests.conftest import ROOT

    old = ROOT / "tests" / "fixtures" / "recursive"
    new = tmp_path / "recursive"
    shutil.copytree(old, new)
    text = (new / "openapi.yaml").read_text()
    assert "type: string" in text
    (new / "openapi.yaml").write_text(text.replace("type: string", "type: integer", 1))
    run = cli("diff", str(old), str(new), "--format", "json")
    assert "Traceback" not in run.err and run.status in (0, 1), run.err
    changes = json.loads(run.out)["changes"]
    assert any(c["rule"].endswith("type-changed") for c in changes), changes
    assert len({(c["rule"], json.dumps(c["old"]), json.dumps(c["new"])) for c in changes}) == len(
        changes
    )
