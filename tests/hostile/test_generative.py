"""Hostile strings in every slot the model reads, drawn by hypothesis: OpenAPI, AsyncAPI and
Arazzo alike. Each draw is built into a site, every reference page is opened in Chromium
(no dialog, no element or handler a spec made, no request elsewhere), and every sample and
scenario script is run (`verify`): no marker file is ever made, and nothing ends in a
traceback. Bounded so that it fits in CI: a few draws, each a whole site.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from benchmarks.serve_reload import copy_project
from instamrkt_docs.errors import InstamrktDocsError
from instamrkt_docs.site.build import build_site
from instamrkt_docs.verify import verify
from tests.hostile.browse import reference_pages, what_ran

pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.slow]

# draws per run, the same in every run; IMK_GENERATIVE_DRAWS=50 explores further, with
# new draws each time (about 5 s a draw)
DRAWS = int(os.environ.get("IMK_GENERATIVE_DRAWS", "3"))
EXPLORING = "IMK_GENERATIVE_DRAWS" in os.environ
MARK = "imk-pwned"
ATOMS = [
    "<imk-poison>", "<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "\r", "\n",
    "\r\n", "\u2028", "\u2029", "\x00", "\x1b[31m", "```", "~~~", "```mermaid",
    '--8<-- "imk-secret.txt"', ";--8<-- x", "{: data-imk-poison=1}", "{#x onclick=alert(3)}",
    "![i](x){onerror=alert(4)}", "[l](javascript:alert(5))", f"$(touch {MARK})",
    f"`touch {MARK}`", "${process.exit(9)}", "${x}", "\\", "\\`", "'", '"', "*", "_", "[1-3]",
    "{a,b}", "?", "|", ";", "&", "#", "%0a", "::error::forged", "<!--", "-->", "</div>",
    '<div markdown="1">', "    ", "\t", "é", "\U0001f600", "--", "+", "=", "@",
]  # fmt: skip
hostile = st.lists(
    st.one_of(st.sampled_from(ATOMS), st.text(min_size=1, max_size=3)), min_size=1, max_size=5
).map("".join)
SLOTS = [
    "title", "description", "tag", "summary", "operation_id", "path_text", "query_name",
    "header_name", "param_description", "example", "status_description", "property",
    "property_description", "enum", "sample_source", "scope", "server_description",
    "code_status", "code_description", "message_name", "message_title", "message_type",
    "ws_field", "address_text", "step_id", "step_description", "input_default",
    "literal_value", "output_name", "header_out", "key_header", "cookie_name", "variable",
    "webhook", "channel_param", "binding_query", "ws_tag", "input_name", "workflow_summary",
    "media_type_param", "example_name",
]  # fmt: skip


def _openapi(s: dict[str, str]) -> dict[str, Any]:
    path = "/items/" + s["path_text"].replace("/", "-").replace("{", "(").replace("}", ")")
    properties = {s["property"]: {"type": "string", "description": s["property_description"],
                                  "enum": [s["enum"], "plain"], "example": s["enum"]}}  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {"title": s["title"], "version": "1", "description": s["description"]},
        "servers": [
            {"url": "https://api.example.com/v1", "description": s["server_description"]},
            {"url": "https://{region}.example.com/v1", "variables": {"region": {
                "default": s["variable"], "enum": [s["variable"], "eu"],
                "description": s["variable"]}}},
        ],
        "tags": [{"name": s["tag"], "description": s["description"]}],
        "webhooks": {s["webhook"]: {"post": {"operationId": "hook", "summary": s["webhook"],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"},
                "example": {"k": s["example"]}}}},
            "responses": {"200": {"description": s["status_description"]}}}}},
        "components": {
            "securitySchemes": {
                "key": {"type": "http", "scheme": "bearer", "description": s["description"]},
                "app": {"type": "apiKey", "in": "header", "name": s["key_header"]},
                "oauth": {"type": "oauth2", "flows": {"clientCredentials": {
                    "tokenUrl": "https://auth.example.com/t", "scopes": {s["scope"]: s["scope"]}}}},
            },
            "schemas": {
                "Thing": {"type": "object", "description": s["description"],
                          "properties": properties},
                "Code": {"type": "string", "enum": ["bad"], "x-codes": {"bad": {
                    "status": s["code_status"], "description": s["code_description"]}}},
            },
        },
        "paths": {
            path + "/{id}": {"post": {
                "operationId": s["operation_id"],
                "tags": [s["tag"]],
                "summary": s["summary"],
                "description": s["description"],
                "security": [{"key": [], "app": []}, {"oauth": [s["scope"]]}],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                     "example": s["example"], "description": s["param_description"]},
                    {"name": s["query_name"], "in": "query", "schema": {"type": "string"},
                     "example": s["example"], "description": s["param_description"]},
                    {"name": s["header_name"], "in": "header", "schema": {"type": "string"},
                     "example": s["example"]},
                    {"name": s["cookie_name"], "in": "cookie", "schema": {"type": "string"},
                     "example": s["example"]},
                ],
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"},
                    "example": {s["property"]: s["enum"]}}}},
                "responses": {"200": {
                    "description": s["status_description"],
                    "headers": {s["header_out"]: {"description": s["description"],
                                                  "schema": {"type": "string"},
                                                  "example": s["example"]}},
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"},
                                             "examples": {s["example_name"]: {
                                                 "summary": s["summary"],
                                                 "value": {s["property"]: s["example"]}}}},
                        "text/plain; charset=" + s["media_type_param"]: {
                            "schema": {"type": "string"}, "example": s["example"]},
                    }}},
                "x-codeSamples": [{"lang": "shell", "source": s["sample_source"]}],
            }},
            "/plain": {"get": {"operationId": "plain", "tags": [s["tag"]],
                               "responses": {"200": {"description": s["status_description"]}}}},
        },
    }  # fmt: skip


def _asyncapi(s: dict[str, str]) -> dict[str, Any]:
    message = {
        "name": s["message_name"],
        "title": s["message_title"],
        "summary": s["description"],
        "payload": {"type": "object", "properties": {
            "type": {"const": s["message_type"]},
            s["ws_field"]: {"type": "string", "description": s["property_description"]}}},
        "examples": [{"name": "e", "payload": {"type": s["message_type"],
                                               s["ws_field"]: s["example"]}}],
    }  # fmt: skip
    address = "/stream/" + s["address_text"].replace("{", "(").replace("}", ")") + "/{room}"
    return {
        "asyncapi": "3.0.0",
        "info": {"title": s["title"], "version": "1", "description": s["description"]},
        "servers": {"s": {"host": "api.example.com", "protocol": "wss",
                          "description": s["server_description"]}},
        "channels": {"c": {
            "address": address,
            "messages": {"thing": message},
            "parameters": {"room": {"description": s["channel_param"],
                                    "default": s["channel_param"], "examples": [s["channel_param"]]}},
            "bindings": {"ws": {"query": {"type": "object", "required": [s["binding_query"]],
                                          "properties": {s["binding_query"]: {
                                              "type": "string", "default": s["example"]}}}}},
        }},
        "operations": {"sendThing": {"action": "send", "title": s["message_title"],
                                     "tags": [{"name": s["ws_tag"]}],
                                     "summary": s["summary"], "channel": {"$ref": "#/channels/c"},
                                     "messages": [{"$ref": "#/channels/c/messages/thing"}]}},
    }  # fmt: skip


def _arazzo(s: dict[str, str]) -> dict[str, Any]:
    return {
        "arazzo": "1.1.0",
        "info": {"title": s["title"], "summary": s["summary"], "version": "1",
                 "description": s["description"]},
        "sourceDescriptions": [
            {"name": "api", "url": "../openapi.json", "type": "openapi"},
            {"name": "stream", "url": "../asyncapi.json", "type": "asyncapi"},
        ],
        "workflows": [{
            "workflowId": "w",
            "summary": s["workflow_summary"],
            "description": s["workflow_summary"],
            "inputs": {"type": "object", "properties": {
                "v": {"type": "string", "default": s["input_default"]},
                s["input_name"]: {"type": "string", "default": s["input_default"],
                                  "description": s["description"]}}},
            "steps": [
                {"stepId": s["step_id"], "description": s["step_description"],
                 "operationId": "$sourceDescriptions.api.plain",
                 "successCriteria": [{"condition": "$statusCode == 200"}],
                 "outputs": {s["output_name"]: "$statusCode"}},
                {"stepId": "post", "description": s["step_description"],
                 "operationId": f"$sourceDescriptions.api.{s['operation_id']}",
                 "parameters": [{"name": "id", "in": "path", "value": s["literal_value"]}],
                 "requestBody": {"contentType": "application/json", "payload": {
                     s["property"]: "{$inputs.v}" + s["literal_value"]}}},
                {"stepId": "send", "operationId": "$sourceDescriptions.stream.sendThing",
                 "action": "send", "requestBody": {"payload": {
                     "type": s["message_type"], s["ws_field"]: "$inputs.v"}}},
            ],
        }],
    }  # fmt: skip


def _check(slots: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory(prefix="imk-generative-") as folder:
        root = Path(folder)
        project = copy_project(root / "project")
        shutil.rmtree(project / "spec")
        (project / "spec" / "scenarios").mkdir(parents=True)
        (project / "docs" / "imk-secret.txt").write_text("imk-secret-of-the-docs")
        (project / "spec" / "openapi.json").write_text(json.dumps(_openapi(slots)))
        (project / "spec" / "asyncapi.json").write_text(json.dumps(_asyncapi(slots)))
        (project / "spec" / "scenarios" / "w.arazzo.yaml").write_text(json.dumps(_arazzo(slots)))
        site = project / "site"
        try:
            build_site(project / "mkdocs.yml", site, strict=False, check_specs=False)
        except InstamrktDocsError as error:  # refused with a message, not a crash: fine
            assert "unexpectedly" not in str(error)
            return
        pages = reference_pages(site)
        found, dialogs, strange = what_ran(site, pages)
        assert found == [] and dialogs == [] and strange == []
        html = "".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
        assert "imk-secret-of-the-docs" not in html
        runs = root / "runs"
        try:
            report = verify([project / "spec"], jobs=4, folder=runs)
        except InstamrktDocsError as error:
            assert "unexpectedly" not in str(error)
        else:
            assert report.outcomes  # the samples and scripts did run
        assert not list(root.rglob(MARK)), "a sample or script ran the spec's text"
        assert not Path(MARK).exists()


@settings(
    max_examples=DRAWS,
    deadline=None,
    derandomize=not EXPLORING,  # in CI the same draws: a failure is a fault, never chance
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(st.fixed_dictionaries({slot: hostile for slot in SLOTS}))
def test_hostile_strings_in_every_slot_run_nothing(slots: dict[str, str]) -> None:
    _check(slots)
