"""Specs written by others: accepted or rejected exactly as the official validators say."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate as openapi_spec_validator

from instamrkt_docs.findings import Level
from instamrkt_docs.validate import validate
from instamrkt_docs.validate.asyncapi_schema import schema_validator

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the same reading, in C
PUBLIC = Path(__file__).resolve().parent.parent / "fixtures" / "public"
SPECS = sorted(p for p in PUBLIC.rglob("*") if p.suffix in (".yaml", ".yml"))
# The findings that correspond to what each official validator checks.
OFFICIAL_RULES = {
    "openapi": {"load", "ref", "openapi-schema", "unique", "path"},
    "asyncapi": {"load", "asyncapi-schema"},
}


# The verdicts are asked for by several tests: kept on one worker, each is reached once.
pytestmark = pytest.mark.xdist_group("public-specs")


@functools.cache
def official_verdict(path: Path) -> tuple[str, bool]:
    """(kind, valid) as the official validator of the spec's kind says."""
    data = yaml.load(path.read_text(), Loader=SAFE_LOADER)
    if "openapi" in data:
        try:
            openapi_spec_validator(data, base_uri=path.resolve().as_uri())
        except Exception:
            return "openapi", False
        return "openapi", True
    plain = json.loads(json.dumps(data, default=str))  # PyYAML makes dates of some strings
    return "asyncapi", schema_validator(str(data["asyncapi"])).is_valid(plain)


def our_errors(path: Path, kind: str) -> list:
    return [
        f
        for f in validate([path]).findings
        if f.level is Level.ERROR and f.rule in OFFICIAL_RULES[kind]
    ]


@pytest.mark.slow
def test_the_corpus_covers_every_family_and_both_verdicts() -> None:
    families = set()
    for path in SPECS:
        data = yaml.load(path.read_text(), Loader=SAFE_LOADER)
        kind = "openapi" if "openapi" in data else "asyncapi"
        families.add((kind, str(data[kind])[:3]))
    assert {("openapi", "3.0"), ("openapi", "3.1"), ("asyncapi", "2.6"), ("asyncapi", "3.0")} <= (
        families
    )
    verdicts = [official_verdict(p)[1] for p in SPECS]
    assert verdicts.count(False) >= 3 and verdicts.count(True) >= 60


@pytest.mark.parametrize("path", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_verdict_matches_the_official_validator(path: Path) -> None:
    kind, valid = official_verdict(path)
    errors = our_errors(path, kind)
    assert (not errors) == valid, [f"{e.location()} {e.message}" for e in errors]


def test_a_broken_copy_of_a_valid_public_spec_is_rejected_by_both(tmp_path: Path) -> None:
    text = (PUBLIC / "scalar-galaxy@0.2.20" / "galaxy.yaml").read_text()
    broken = tmp_path / "galaxy.yaml"
    broken.write_text(text.replace("  title: Scalar Galaxy\n", "", 1))
    assert official_verdict(broken) == ("openapi", False)
    (error,) = our_errors(broken, "openapi")
    assert (error.line, error.pointer, error.message) == (
        2,
        "/info",
        "missing required property 'title'",
    )


def test_real_mistakes_in_public_specs_are_found() -> None:
    """Examples that contradict their own schemas, which the official validators miss."""
    train = PUBLIC / "readme-oas-examples@8.2.2" / "3.1" / "train-travel.yaml"
    found = [(f.line, f.pointer) for f in validate([train]).findings if f.rule == "example"]
    assert found == [
        (684, "/components/schemas/Trip/properties/id/examples/0"),
        (737, "/components/schemas/Booking/properties/id/examples/0"),
        (743, "/components/schemas/Booking/properties/trip_id/examples/0"),
    ]
    kraken = (
        PUBLIC
        / "asyncapi-cli@4.1.1"
        / "kraken-websocket-request-reply-multiple-channels-asyncapi.yml"
    )
    found = [(f.line, f.pointer) for f in validate([kraken]).findings if f.rule == "example"]
    assert found == [
        (157, "/components/messages/subscriptionStatus/examples/0/payload/status"),
        (167, "/components/messages/subscriptionStatus/examples/1/payload/subscription/depth"),
    ]
