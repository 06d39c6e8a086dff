"""Reading files and following `$ref`s across them."""

from __future__ import annotations

from pathlib import Path

import pytest

from instamrkt_docs.errors import SpecError
from instamrkt_docs.load import RefError, RemoteRefError, Workspace

MULTI = Path(__file__).resolve().parent.parent / "fixtures" / "validate" / "multi"


def test_a_file_is_read_once() -> None:
    workspace = Workspace()
    first = workspace.load(MULTI / "openapi.yaml")
    assert workspace.load(MULTI / "openapi.yaml") is first
    assert first.kind == "openapi" and first.version == "3.1.0"


def test_refs_resolve_across_files() -> None:
    workspace = Workspace()
    root = workspace.load(MULTI / "openapi.yaml")
    target = workspace.resolve(root, "components/schemas.yaml#/Game/properties/status")
    assert target.document.path.name == "schemas.yaml"
    assert target.pointer == "/Game/properties/status"
    assert target.value["enum"][0] == "open"


def test_follow_turns_a_logical_path_into_the_physical_place() -> None:
    workspace = Workspace()
    root = workspace.load(MULTI / "openapi.yaml")
    logical = "/paths/~1games~1{gameId}/get/responses/200/content/application~1json/schema/required"
    target = workspace.follow(root, logical)
    assert target.document.path.name == "schemas.yaml"
    assert target.pointer == "/Game/required"


def test_unresolvable_and_remote_refs_say_why(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text("a: 1\n")
    workspace = Workspace()
    document = workspace.load(spec)
    with pytest.raises(RefError, match="has nothing at '/b'"):
        workspace.resolve(document, "#/b")
    with pytest.raises(RefError, match=r"cannot read '.*missing\.yaml': no such file"):
        workspace.resolve(document, "missing.yaml#/a")
    with pytest.raises(RemoteRefError):
        workspace.resolve(document, "https://example.com/schema.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"a: \xff\n", "not UTF-8 text")],
)
def test_unreadable_files_raise_a_located_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_bytes(content)
    with pytest.raises(SpecError) as caught:
        Workspace().load(spec)
    assert caught.value.finding.message == message
    assert caught.value.finding.line == 1
