"""`verify` over a corpus of public specs that others wrote, taken from registry packages
(tests/fixtures/public/README.md says which): OpenAPI 3.0 and 3.1, every parameter style,
form and multipart bodies, every kind of security, specs with no server or only relative
and per-operation ones, webhooks, and AsyncAPI 2 and 3 websocket APIs with channel
parameters and replies given by a reply channel.

Each spec is validated, rendered and verified, with no traceback; every sample of it runs
against the mock made from it, and at least 99% pass. A sample that may fail is listed with
the reason the failure is not the sample's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.tools import need

PUBLIC = ROOT / "tests" / "fixtures" / "public"
README = "readme-oas-examples@8.2.2"

# spec -> (its number of samples, {a sample that fails: why that is not the sample's fault})
CORPUS: dict[str, tuple[int, dict[str, str]]] = {
    f"{README}/3.0/petstore.yaml": (60, {}),
    f"{README}/3.1/petstore.yaml": (60, {}),
    f"{README}/3.0/parameters-style.yaml": (75, {}),  # every style, form and multipart
    f"{README}/3.1/parameters-style.yaml": (75, {}),
    f"{README}/3.0/file-uploads.yaml": (9, {}),
    f"{README}/3.0/form-data.yaml": (3, {}),
    f"{README}/3.0/schema-encoding-style.yaml": (3, {}),
    f"{README}/3.0/security.yaml": (45, {}),  # Basic, Bearer, API keys, OAuth 2, OpenID
    f"{README}/3.1/security.yaml": (45, {}),  # ... and mutual TLS
    f"{README}/3.0/server-variables.yaml": (12, {}),
    f"{README}/3.0/server-path-level.yaml": (21, {}),  # path-level and relative servers
    f"{README}/3.0/callbacks.yaml": (3, {}),  # no servers: $API_BASE_URL
    f"{README}/3.0/link-example.yaml": (18, {}),  # no servers either
    f"{README}/3.1/webhooks.yaml": (6, {}),  # sent to $WEBHOOK_URL
    f"{README}/3.0/uspto.yaml": (9, {}),
    f"{README}/3.0/star-trek.yaml": (360, {}),
    "scalar-galaxy@0.2.20/galaxy.yaml": (30, {}),
    "asyncapi-cli@0.59.1/websocket-gemini.yml": (4, {}),  # a channel parameter
    "asyncapi-cli@4.1.1/websocket-gemini-asyncapi.yml": (4, {}),
    # replies given by a reply channel, server messages sent on connect
    "asyncapi-cli@4.1.1/kraken-websocket-request-reply-multiple-channels-asyncapi.yml": (20, {}),
    "asyncapi-cli@4.1.1/kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml": (
        20,
        {},
    ),
}

_FAIL = re.compile(r"^FAIL (?:REST|websocket) (.+) \((Shell|Python|JavaScript)\): (.*)$")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_verify_passes_the_corpus(cli, tmp_path: Path, name: str) -> None:
    need("node")
    need("curl")
    need("chromium")  # a websocket API's web page samples
    samples, allowed = CORPUS[name]
    spec = tmp_path / Path(name).name
    shutil.copy(PUBLIC / name, spec)
    for command in (("validate", str(spec)), ("render", str(spec), "--out", str(tmp_path / "out"))):
        run = cli(*command)
        assert "Traceback" not in run.out + run.err, run.err[-3000:]
        assert run.status in (0, 1), run.err[-3000:]
    run = cli("verify", str(spec))
    output = run.out + run.err
    assert "Traceback" not in output, output[-4000:]
    failed = {
        f"{m.group(1)} ({m.group(2)})": m.group(3)
        for m in map(_FAIL.match, output.splitlines())
        if m
    }
    unexpected = {case: why for case, why in failed.items() if case not in allowed}
    assert not unexpected, output[-6000:]
    last = run.out.strip().splitlines()[-1]
    assert last == f"{samples - len(failed)} passed, {len(failed)} failed", output[-4000:]
    assert (samples - len(failed)) / samples >= 0.99
