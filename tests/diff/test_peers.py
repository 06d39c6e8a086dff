"""`diff` beside the peers, on the same pairs: api-smart-diff on two published versions of
GitHub's REST description (npm @octokit/openapi 22.0.0 and 23.0.2), @asyncapi/diff on the
AsyncAPI fixture pairs. Both peers come from the npm registry (benchmarks/npm.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.npm import github_spec, npm_file, npm_modules
from instamrkt_docs.diff import RULES
from instamrkt_docs.load import Workspace, pointers
from tests.conftest import ROOT
from tests.diff.cases import ASYNC_CASES, Case, aas
from tests.tools import need

# one worker installs the peers and fetches the specs (npm into one cache folder)
pytestmark = pytest.mark.xdist_group("peer-diff")
PEER = ROOT / "benchmarks" / "peer_diff.mjs"
OLD_GITHUB = ("@octokit/openapi@22.0.0", "package/generated/api.github.com.json")


def peer(tool: str, package: str, *args: str) -> list[str]:
    env = {**os.environ, "NODE_PATH": str(npm_modules(package))}
    result = subprocess.run(
        [need("node"), str(PEER), tool, *args], capture_output=True, text=True, env=env,
        timeout=300, check=True,
    )  # fmt: skip
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def github(tmp_path_factory) -> tuple[list[dict], list[dict]]:
    """(our changes, api-smart-diff's diffs) from GitHub's 22.0.0 to 23.0.2."""
    from instamrkt_docs.cli import main

    old, new = npm_file(*OLD_GITHUB), github_spec()
    out = tmp_path_factory.mktemp("github") / "ours.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["diff", str(old), str(new), "--format", "json"])
    assert status == 1
    out.write_text(buffer.getvalue())
    ours = json.loads(buffer.getvalue())["changes"]
    theirs = [json.loads(line) for line in peer("api-smart-diff", "api-smart-diff@1.0.6",
                                                 str(old), str(new))]  # fmt: skip
    return ours, theirs


def _schema_key(pointer: str) -> str:
    """A pointer cut after its last property name (the field a change is about)."""
    parts = pointer.split("/")
    if "properties" in parts:
        return "/".join(parts[: len(parts) - parts[::-1].index("properties") + 1])
    return "/".join(parts[:4])  # /components/schemas/<name>


def _found(
    diff: dict, ours: list[dict], by_operation: dict[str, list[dict]], physical: Callable
) -> bool:
    """Whether one of our changes is the peer's diff: at the same operation, about the same
    property, enum, parameter or status (a removed named schema: our schema-removed)."""
    path = [str(p) for p in diff["path"]]
    if path[0] == "components" and path[1] == "schemas" and len(path) == 3:
        return any(c["rule"] == "schema-removed" and c["old"]["pointer"].endswith("/" + path[2])
                   for c in ours)  # fmt: skip
    if path[0] == "components" and len(path) == 3:  # a named response, parameter...: gone
        users = physical({"action": "users", "path": path})  # the operations that used it
        return all(
            f"{u}" in by_operation
            and any(c["rule"] == "operation-removed" for c in by_operation[u])
            for u in users
        )
    if path[0] == "components":  # the peer walks through $refs: ours says it where it is
        key = _schema_key(physical(diff))
        return any(
            k == key or k.startswith(key + "/") or key.startswith(k + "/")
            for c in ours
            for k in map(_schema_key, _pointers(c).split())
        )
    if path[0] != "paths" or len(path) < 3:
        return False
    changes = by_operation.get(f"{path[2].upper()} {path[1]}", [])
    if "properties" in path:
        name = path[len(path) - 1 - path[::-1].index("properties") + 1 :][:1]
        name = name[0] if name else ""
        return any(f"/properties/{name}" in _pointers(c) or re.search(rf"\b{re.escape(name)}\b", c["message"])
                   or re.search(r"(all|one|any)-of|type-", c["rule"]) for c in changes)  # fmt: skip
    if "enum" in path:
        return any("enum" in c["rule"] for c in changes)
    if "parameters" in path:
        return any("parameter" in c["rule"] or "parameter" in c["message"] for c in changes)
    return bool(changes)


def _pointers(change: dict) -> str:
    return " ".join((change[side] or {}).get("pointer", "") for side in ("old", "new"))


def test_every_breaking_change_api_smart_diff_finds_ours_finds_too(github) -> None:
    ours, theirs = github
    by_operation: dict[str, list[dict]] = {}
    for change in ours:
        for reach in change["reaches"]:
            by_operation.setdefault(reach, []).append(change)
    breaking = [d for d in theirs if d["type"] == "breaking"]
    assert len(breaking) > 500
    workspaces = {}
    for side, spec in (("old", npm_file(*OLD_GITHUB)), ("new", github_spec())):
        workspace = Workspace()
        workspaces[side] = (workspace, workspace.load(spec))

    def physical(diff: dict) -> Any:
        """Where the peer's path (through $refs) really is: new side for an addition; for
        `users`, the old operations that refer to that component."""
        if diff["action"] == "users":
            ref = json.dumps("#/" + "/".join(diff["path"]))
            data = workspaces["old"][1].data
            return [f"{method.upper()} {path}" for path, item in data["paths"].items()
                    for method, op in item.items() if ref in json.dumps(op)]  # fmt: skip
        workspace, document = workspaces["old" if diff["action"] == "remove" else "new"]
        pointer = pointers.join(str(p) for p in diff["path"])
        return workspace.follow(document, pointer).pointer

    missed = [d for d in breaking if not _found(d, ours, by_operation, physical)]
    assert missed == []


# Changes of ours the peer does not report, each checked by hand in both specs:
# (rule, operation, what to find in the message, the name the peer's paths would hold, why
# it is right); the peer reports nothing under that name at that operation
OURS_ONLY = [
    ("request-property-became-required", "DELETE /orgs/{org}/code-security/configurations/detach",
     "selected_repository_ids is required now", "selected_repository_ids",
     "the body's `required` went from absent to [selected_repository_ids]: a client that "
     "sent no ids is refused"),
    ("request-property-became-required", "POST /orgs/{org}/projectsV2/{project_number}/fields",
     "iteration_configuration.start_date is required now", "start_date",
     "projects-v2-field-iteration-configuration gained required [start_date, duration]"),
    ("request-property-became-required", "POST /orgs/{org}/projectsV2/{project_number}/fields",
     "iteration_configuration.duration is required now", "duration", "the same `required` list"),
    ("request-property-became-required", "POST /orgs/{org}/projectsV2/{project_number}/fields",
     "iteration_configuration.iterations[].title is required now", "title",
     "each iteration gained required [title, start_date, duration]"),
    ("request-property-became-required", "POST /orgs/{org}/projectsV2/{project_number}/fields",
     "iteration_configuration.iterations[].start_date is required now", "start_date", "the same list"),
    ("request-property-became-required", "POST /orgs/{org}/projectsV2/{project_number}/fields",
     "iteration_configuration.iterations[].duration is required now", "duration", "the same list"),
    ("response-became-nullable", "GET /orgs/{org}/attestations/{subject_digest}",
     "attestations[].bundle may be null now", "bundle",
     "bundle gained `nullable: true`: a client reading bundle.mediaType fails on null"),
    ("response-format-removed", "PATCH /organizations/{org}/settings/billing/budgets/{budget_id}",
     "budget.budget_amount: format 'float' no more", "budget_amount",
     "budget_amount went from number/float to integer: the format is gone"),
    ("response-type-narrowed", "PATCH /organizations/{org}/settings/billing/budgets/{budget_id}",
     "budget.budget_amount: number → integer", "budget_amount",
     "fewer values a client receives (every integer is a number): info, not breaking"),
    ("response-property-became-required",
     "PATCH /organizations/{org}/settings/billing/budgets/{budget_id}", "message is required now", "message",
     "the answer gained required [budget, message]: always sent now, nothing to do"),
    ("request-property-became-optional", "PATCH /repos/{owner}/{repo}/dependabot/alerts/{alert_number}",
     "state is optional now", "state", "the body's required [state] is gone"),
    ("request-property-added", "PUT /orgs/{org}/actions/oidc/customization/sub",
     "use_immutable_subject is new", "use_immutable_subject", "a new optional property of the body"),
    ("request-property-became-optional", "PUT /orgs/{org}/actions/oidc/customization/sub",
     "include_claim_keys is optional now", "include_claim_keys", "required [include_claim_keys] is gone"),
    ("response-property-became-required", "POST /orgs/{org}/artifacts/metadata/deployment-record",
     "total_count is required now", "total_count", "the answer gained required [total_count]"),
    ("response-property-added", "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
     "[].pin is new", "pin", "timeline-comment-event gained `pin`"),
    ("response-property-added", "GET /installation/repositories",
     "repositories[].custom_properties is new", "custom_properties",
     "items became allOf [repository, {custom_properties}]: one property more, none less "
     "(the peer, which does not merge allOf, reports every property of repository removed)"),
    ("response-property-added", "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline",
     "[].minimized is new", "minimized", "timeline-comment-event gained `minimized`"),
    ("response-minimum-increased", "PATCH /organizations/{org}/settings/billing/budgets/{budget_id}",
     "budget.budget_amount: minimum 0 now", "budget_amount",
     "budget_amount gained `minimum: 0`: fewer values received, nothing to do (info)"),
    ("response-property-became-required", "POST /orgs/{org}/artifacts/metadata/storage-record",
     "total_count is required now", "total_count", "the answer gained required [total_count]"),
    ("response-property-became-required",
     "POST /orgs/{org}/artifacts/metadata/deployment-record/cluster/{cluster}",
     "total_count is required now", "total_count", "the answer gained required [total_count]"),
]  # fmt: skip


def test_twenty_changes_only_ours_reports_each_checked_by_hand(github) -> None:
    ours, theirs = github
    assert len(OURS_ONLY) == 20
    for rule, operation, words, name, _why in OURS_ONLY:
        mine = [c for c in ours if c["rule"] == rule and operation in c["reaches"]
                and words in c["message"]]  # fmt: skip
        assert mine, (rule, operation, words)
        method, path = operation.split(" ", 1)
        peer_here = [d for d in theirs if [str(p) for p in d["path"][:3]] == ["paths", path, method.lower()]
                     and name in [str(p) for p in d["path"]]]  # fmt: skip
        assert peer_here == [], (operation, name, peer_here[:2])


# Pairs beyond the rule fixtures: a message's payload, in each direction
SENT = {"action": "receive", "channel": {"$ref": "#/channels/s"},
        "messages": [{"$ref": "#/channels/s/messages/tick"}]}  # fmt: skip


def _payload(schema: dict, action: str) -> dict:
    return aas({"s": {"address": "/s", "messages": {"tick": {"payload": schema}}}},
               {"go": {**SENT, "action": action}})  # fmt: skip


OBJ = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
TICK = "/channels/s/messages/tick/payload"
PAYLOAD_CASES = [
    Case("request-property-became-required", _payload(OBJ, "receive"),
         _payload({**OBJ, "required": ["a"]}, "receive"), TICK, TICK),
    Case("response-property-removed", _payload(OBJ, "send"),
         _payload({"type": "object", "properties": {"a": {"type": "string"}}}, "send"), TICK, TICK),
    Case("response-enum-value-added", _payload({"type": "string", "enum": ["x"]}, "send"),
         _payload({"type": "string", "enum": ["x", "y"]}, "send"), TICK, TICK),
    Case("request-type-changed", _payload({"type": "string"}, "receive"),
         _payload({"type": "boolean"}, "receive"), TICK, TICK),
]  # fmt: skip

# Where ours and @asyncapi/diff class a pair differently, and why ours is right
DIFFERS = {
    "channel-binding-changed": "the peer leaves it unclassified; a ws binding's query and "
    "headers are part of how a client connects, so ours asks for a look (warning)",
    "async-operation-channel-changed": "the peer leaves it unclassified; the operation's "
    "messages now travel on another address, where the old clients are not",
    "async-reply-added": "the peer says non-breaking; a client that sent and closed now "
    "leaves an answer unread, and one with exhaustive handlers meets a new message (warning)",
    "message-added-received": "the peer says non-breaking; the client receives a message "
    "it has no handler for (warning), while one it may send is info",
    "message-correlation-id-changed": "the peer leaves it unclassified; replies are matched "
    "by another field now, so a client matching by the old one never finds its reply",
    "response-enum-value-added": "the peer leaves it unclassified; a client with an "
    "exhaustive switch over the values it receives meets one it does not know (warning)",
    "request-property-became-required": "the peer leaves it unclassified; a client that "
    "omitted the field is refused",
    "response-property-removed": "the peer leaves it unclassified; a client reading it "
    "finds nothing",
    "request-type-changed": "the peer leaves it unclassified; the old values are refused",
    "async-security-requirement-removed": "the peer says breaking; a client that still sends "
    "the credential is not refused for it: there is nothing it must change (info)",
}
_TYPES = {"breaking": "breaking", "non-breaking": "info", "unclassified": None}


def test_asyncapi_diff_agrees_or_the_test_says_why(tmp_path: Path) -> None:
    cases = ASYNC_CASES + PAYLOAD_CASES
    pairs = tmp_path / "pairs.json"
    pairs.write_text(json.dumps([[c.old, c.new] for c in cases]))
    lines = peer("asyncapi-diff-pairs", "@asyncapi/diff@0.5.0", str(pairs))
    assert len(lines) == len(cases)
    agreed, differed = [], []
    for case, line in zip(cases, lines, strict=True):
        found = json.loads(line)
        assert found, case.rule  # the peer sees a change in every pair
        levels = {_TYPES[d["type"]] for d in found}
        ours = RULES[case.rule].level
        if levels == {ours}:
            agreed.append(case.rule)
        else:
            assert case.rule in DIFFERS, (case.rule, ours, found)
            differed.append(case.rule)
    assert set(differed) == set(DIFFERS)
    assert len(agreed) >= 15
