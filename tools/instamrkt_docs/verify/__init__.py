"""Verify stage: run every sample the site shows against the mock, and check what it did.

Each sample runs as a reader would run it (bash, the Python interpreter, node), identical to
the published one except for the server URL, which points at the mock under a tag of its
own (`/__run/<tag>`) so that its requests can be told apart. A sample passes when it exits
0, the mock saw the request or message its operation defines (right path, authentication,
a valid body) and answered it, and the sample printed that answer. A web page's sample runs
in Chromium (`verify.browser`). Each scenario's complete
script runs in each language too; it checks every step's success criteria itself and names
the step that failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from instamrkt_docs.errors import UsageError
from instamrkt_docs.load import Workspace
from instamrkt_docs.mock import Entry, MockLog, running
from instamrkt_docs.mock.rest import WEBHOOKS
from instamrkt_docs.model import RestApi, WsApi, build, bundle
from instamrkt_docs.model.common import url_variable
from instamrkt_docs.model.types import Operation, WsOperation
from instamrkt_docs.node_packages import node_modules
from instamrkt_docs.render import load_specs
from instamrkt_docs.samples import Sample, SampleWriter
from instamrkt_docs.samples.requests import CLIENT_CERT, HttpRequest, http_request, ws_session
from instamrkt_docs.scenarios.runner import origin as _origin
from instamrkt_docs.verify import browser

__all__ = ["Case", "Outcome", "ScenarioCase", "cases", "scenario_cases", "verify"]

MOCK_KEY = "imk_test_4kR9vT2mXq8LzP5wN3bH7cJ6"


@dataclass
class Case:
    """One sample to run: an operation in one language."""

    operation: Operation | WsOperation
    sample: Sample
    origin: str
    # what a REST sample sends, as the samples are written from it (credentials, files)
    request: HttpRequest | None = None

    @property
    def api(self) -> str:
        return "REST" if isinstance(self.operation, Operation) else "websocket"

    @property
    def name(self) -> str:
        return f"{self.api} {self.operation.operation_id} ({self.sample.language.label})"

    @property
    def tag(self) -> str:
        key = f"{self.api}.{self.operation.key}.{self.sample.language.key}"
        return re.sub(r"[^A-Za-z0-9_.-]", "-", key)


@dataclass
class ScenarioCase:
    """A complete scenario script in one language."""

    key: str
    language: Any
    code: str
    origins: list[str]

    @property
    def name(self) -> str:
        return f"scenario {self.key} ({self.language.label})"

    @property
    def tag(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]", "-", f"scenario.{self.key}.{self.language.key}")


@dataclass
class Outcome:
    """What running one case showed."""

    case: Case | ScenarioCase
    passed: bool
    reason: str = ""
    output: str = ""
    log: list[str] = field(default_factory=list)


def cases(
    specs: list[Path],
    templates: Path | None = None,
    ref_roots: Iterable[Path] = (),
    unverifiable: list[str] | None = None,
) -> list[Case]:
    """Every sample of every operation of the specs, as the site shows them (the spec's own
    `x-codeSamples` too: see `verify`'s `run_spec_samples`). Operations of a protocol the
    samples are not written for (MQTT, Kafka...) are told to `unverifiable`, a line each
    spec."""
    workspace: Workspace
    workspace, documents = load_specs(specs, ref_roots)
    found = []
    for document in documents:
        protocols: Counter[str] = Counter()
        data = bundle(workspace, document)
        api = build(workspace, document, data)
        writer = SampleWriter(templates, api.credential_variable)
        for operation in api.operations:
            request = None
            if isinstance(api, RestApi):
                samples = writer.for_operation(operation)
                request = http_request(operation, api.credential_variable)
                variable, _ = url_variable(operation.base_url)
                origin = "$" + variable if variable else _origin(operation.base_url)
            else:
                assert isinstance(api, WsApi)
                samples = writer.for_ws_operation(operation)
                if not samples:
                    protocols[operation.protocol or "no protocol"] += 1
                variable, _ = url_variable(operation.url)
                origin = "$" + variable if variable else _origin(operation.url)
            found += [Case(operation, sample, origin, request) for sample in samples]
        if protocols and unverifiable is not None:
            said = ", ".join(f"{n} over {name}" for name, n in sorted(protocols.items()))
            unverifiable.append(
                f"{document.display}: {sum(protocols.values())} operations ({said}); verify "
                "runs samples over HTTP and websocket only"
            )
    return found


def _marker(value: Any) -> str | None:
    """A distinctive string of a payload, which a sample that printed it must show."""
    strings: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and 6 <= len(node) <= 80 and "'" not in node and '"' not in node:
            strings.append(node)

    walk(value)
    return max(strings, key=len) if strings else None


class Runner:
    """Runs cases against a mock at `mock_url`, in `folder`."""

    def __init__(self, mock_url: str, log: MockLog, folder: Path, credential: str) -> None:
        self.mock_url = mock_url
        self.log = log
        self.folder = folder
        self.credential = credential
        path = os.environ.get("PATH", "")
        packages = node_modules("ws")  # the JavaScript samples' `ws`, the shell's `wscat`
        if packages is not None:
            if not (folder / "node_modules").exists():
                (folder / "node_modules").symlink_to(packages)  # how `import "ws"` finds ws
            path = f"{packages / '.bin'}{os.pathsep}{path}"
        self.env = {**os.environ, "PATH": path}

    def command(self, language: str, file: Path) -> list[str]:
        return {
            "shell": ["bash", str(file)],
            "python": [sys.executable, str(file)],
            "javascript": ["node", str(file)],
        }[language]

    def run_any(self, case: Case | ScenarioCase) -> Outcome:
        return self.run_scenario(case) if isinstance(case, ScenarioCase) else self.run(case)

    def run_scenario(self, case: ScenarioCase) -> Outcome:
        """Run a complete scenario script; its own checks of each step decide."""
        code = case.code
        for origin in case.origins:
            scheme = "ws" if origin.startswith(("ws:", "wss:")) else "http"
            code = code.replace(
                origin, self.mock_url.replace("http", scheme, 1) + f"/__run/{case.tag}"
            )
        file = self.folder / f"{case.tag}.{case.language.suffix}"
        file.write_text(code)
        variable = _variable_in(code)
        env = {**self.env, variable: self.credential} if variable else self.env
        try:
            result = subprocess.run(
                self.command(case.language.key, file),
                capture_output=True, text=True, timeout=90, env=env,
                stdin=subprocess.DEVNULL, cwd=self.folder,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return Outcome(case, False, "timed out after 90 s", "", self._lines(case))
        output = (result.stdout + result.stderr).strip()
        lines = self._lines(case)
        if result.returncode != 0:
            failed = next((x for x in output.splitlines() if " failed: " in x), "")
            reason = failed or f"exit status {result.returncode}"
            return Outcome(case, False, reason, output, lines)
        if not lines:
            return Outcome(case, False, "the mock saw nothing from the script", output, lines)
        return Outcome(case, True, "", output, lines)

    def run(self, case: Case) -> Outcome:
        code = case.sample.code
        base, _ = url_variable(case.origin)
        websocket = isinstance(case.operation, WsOperation)
        scheme = "ws" if websocket or case.origin.startswith(("ws:", "wss:")) else "http"
        target = self.mock_url.replace("http", scheme, 1) + f"/__run/{case.tag}"
        env = self.env
        if base:  # the reader's own URL, read from the environment: the mock's
            if base not in code:
                return Outcome(case, False, f"the sample does not read the URL from ${base}")
            operation = case.operation
            if isinstance(operation, Operation) and operation.webhook:
                target += WEBHOOKS + quote(operation.path, safe="")
            env = {**env, base: target}
        elif case.origin not in code:
            return Outcome(case, False, f"the sample does not use the server URL {case.origin}")
        else:
            code = code.replace(case.origin, target)
        if CLIENT_CERT[0] in code:  # mutual TLS: the mock speaks plain HTTP, reads no file
            for name in CLIENT_CERT:
                (self.folder / name).write_text("not read: the mock speaks plain HTTP\n")
        if case.request is not None:  # the files a reader uploads: the example's
            for part in case.request.parts:
                if part.filename and not (self.folder / part.filename).exists():
                    (self.folder / part.filename).write_text(part.value)
        file = self.folder / f"{case.tag}.{case.sample.language.suffix}"
        file.write_text(code)
        variable = _variable(case)
        env = {**env, variable: self._secret(case)} if variable else env
        if case.request is not None:  # credentials asked for together
            env.update({extra.variable: self.credential for extra in case.request.more})
        wait = getattr(case.operation, "sample_wait", None) or 2
        try:
            result = subprocess.run(
                self.command(case.sample.language.key, file),
                capture_output=True,
                text=True,
                timeout=wait + 30,
                env=env,
                stdin=subprocess.DEVNULL,
                cwd=self.folder,
            )
        except subprocess.TimeoutExpired as exc:
            return Outcome(
                case, False, f"timed out after {exc.timeout:.0f} s", "", self._lines(case)
            )
        output = (result.stdout + result.stderr).strip()
        entries = self.log.for_run(case.tag)
        if result.returncode != 0:
            lines = [entry.line() for entry in entries]
            return Outcome(case, False, f"exit status {result.returncode}", output, lines)
        return _verdict(case, entries, result.stdout, output, "print")

    def run_in_browser(self, browser: Any, case: Case) -> Outcome:
        """Run a web page's sample in the browser (see `verify.browser`)."""
        assert isinstance(case.operation, WsOperation)
        session = ws_session(case.operation)
        target = self.mock_url.replace("http", "ws", 1) + f"/__run/{case.tag}"
        code = case.sample.code
        if not session.browser_base:
            if case.origin not in code:
                return Outcome(case, False, f"the sample does not use the server URL {case.origin}")
            code = code.replace(case.origin, target)
        given = {"url": target, "credential": self.credential}
        arguments = [given[kind] for _, kind in session.browser_parameters]
        wait = getattr(case.operation, "sample_wait", None) or 2
        logged, errors = browser.run(code, arguments, wait + 30)
        entries = self.log.for_run(case.tag)
        if errors:
            lines = [entry.line() for entry in entries]
            return Outcome(case, False, errors[0], "\n".join([logged, *errors]).strip(), lines)
        return _verdict(case, entries, logged, logged, "log")

    def _secret(self, case: Case) -> str:
        """What the sample's credential variable holds: the key, or for HTTP Basic (as the
        sample reads it, see `samples.requests`) a user:password."""
        credential = case.request.credential if case.request is not None else None
        if credential is not None and credential.location == "basic":
            return f"verify:{self.credential}"
        return self.credential

    def _lines(self, case: Case | ScenarioCase) -> list[str]:
        return [entry.line() for entry in self.log.for_run(case.tag)]


def _variable(case: Case) -> str | None:
    return _variable_in(case.sample.code)


def _variable_in(code: str) -> str | None:
    match = re.search(r"INSTAMRKT_API_KEY|\bAPI_KEY\b|[A-Z][A-Z0-9_]*_API_KEY", code)
    return match.group(0) if match else None


def scenario_cases(
    specs: list[Path], templates: Path | None = None, ref_roots: Iterable[Path] = ()
) -> list[ScenarioCase]:
    """Every scenario's complete script, in each language."""
    from instamrkt_docs.samples import LANGUAGES
    from instamrkt_docs.scenarios.model import load_scenarios
    from instamrkt_docs.scenarios.scripts import ScriptWriter

    writer = ScriptWriter(templates)
    found = []
    for scenario in load_scenarios(specs, ref_roots=ref_roots):
        origins = [_origin(u) for u in (scenario.rest_base, scenario.stream_url) if u]
        for language in LANGUAGES:
            code = writer.script(scenario, language)
            found.append(ScenarioCase(scenario.key, language, code, origins))
    return found


def _verdict(case: Case, entries: list[Entry], printed: str, output: str, verb: str) -> Outcome:
    """A sample that ran to its end: passed when the mock saw what it should and the sample
    `verb`ed (printed, logged) the mock's answer."""
    lines = [entry.line() for entry in entries]
    answer, problem = _check(case, entries)
    if problem:
        return Outcome(case, False, problem, output, lines)
    marker = _marker(answer)
    if marker and marker not in printed:
        reason = f"the sample did not {verb} the answer ({marker!r})"
        return Outcome(case, False, reason, output, lines)
    return Outcome(case, True, "", output, lines)


def _check(case: Case, entries: list[Entry]) -> tuple[Any, str]:
    """(the answer the mock gave, or a problem) for what the mock saw of a case."""
    operation = case.operation
    if not entries:
        return None, "the mock saw no request from the sample"
    if isinstance(operation, Operation):
        # at a path with a fragment (`/a#x`), the mock answers as whichever operation of
        # `/a` the request fits: the fragment is never sent
        reached = operation.path.split("#")[0] if "#" in operation.path else None
        mine = [
            e
            for e in entries
            if e.kind == "http"
            and (
                e.operation == operation.operation_id
                or (
                    reached
                    and e.what.startswith(f"{operation.method} ")
                    and e.what.endswith(reached)
                )
            )
        ]
        if not mine:
            seen = ", ".join(sorted({e.what for e in entries}))
            return None, f"the mock saw no {operation.method} {operation.path} (it saw {seen})"
        good = [e for e in mine if e.valid and _documented_answer(operation, e.status)]
        if not good:
            return None, f"the mock refused the request: {mine[-1].status} {mine[-1].detail}"
        if case.sample.generated:
            problem = _as_serialised(case, good[-1].sent)
            if problem:
                return None, problem
        return good[-1].payload, ""
    refused = [e for e in entries if not e.valid]
    if refused and operation.is_call:  # an event may be provoked by a bad message (errors)
        return None, f"the mock refused: {refused[0].status} {refused[0].detail}"
    if operation.is_call:
        seen = [e for e in entries if e.kind == "ws-in" and e.operation == operation.operation_id]
        if not seen:
            return None, f"the mock got no {operation.messages[0].name} message"
        if not operation.replies:
            return None, ""  # a message sent with no reply to wait for: received, valid
    sent = [e for e in entries if e.kind == "ws-out" and e.operation == operation.operation_id]
    if not sent:
        return None, "the mock sent no answer for this operation"
    return sent[0].payload, ""


def _as_serialised(case: Case, sent: Any) -> str:
    """What is not byte for byte as the spec serialises it in what a sample sent: its
    query, and a form, JSON or text body ("" when all is)."""
    request = case.request
    if request is None or not isinstance(sent, dict):
        return ""
    query = request.url.split("?", 1)[1] if "?" in request.url else ""
    got = sent.get("query", "")
    if request.credential is not None and request.credential.location == "query":
        key = quote(request.credential.name, safe="") + "="
        got = "&".join(p for p in got.split("&") if not p.startswith(key))
    # a query sent as pairs (params=, --data-urlencode) holds the same values in each
    # language's encoding (`+` or `%20` for a space): its pairs are compared
    same = parse_qsl(got, keep_blank_values=True) == request.query if request.query else False
    if got != query and not same:
        return f"the mock got the query {got!r}, where the spec serialises {query!r}"
    body: bytes = sent.get("body") or b""
    language = case.sample.language.key
    if not request.has_body or (language == "javascript" and request.method in ("GET", "HEAD")):
        return ""
    if request.body_kind == "form":
        wanted = "&".join(request.form).encode()
        if body != wanted:
            return (
                f"the mock got the form {body[:200]!r}, where the spec serialises {wanted[:200]!r}"
            )
    elif request.body_kind == "json":
        try:
            same = json.loads(body) == request.body
        except ValueError:
            same = False
        if not same:
            return f"the mock got the JSON body {body[:200]!r}, not the example"
    elif (
        request.body_kind == "raw"
        and isinstance(request.body, str)
        and body != request.body.encode()
    ):
        return f"the mock got the body {body[:200]!r}, not the example's text"
    return ""


def _documented_answer(operation: Operation, status: str) -> bool:
    """Whether the mock answered a valid request as the spec says it would: a success, or,
    for an operation that documents none, one of the responses it documents (any answer,
    for one that documents no response at all)."""
    final = [r for r in operation.responses if not r.status.startswith("1")]
    if not final:
        return True  # the spec documents no (final) answer: the request was valid, all there is
    if any(r.is_success for r in final):
        return status.startswith("2") or status in {r.status for r in final if r.is_success}
    documented = {r.status for r in final}
    return status in documented or ("default" in documented and status == "200")


def _language(case: Case | ScenarioCase) -> str:
    return case.language.key if isinstance(case, ScenarioCase) else case.sample.language.key


def _selector(case: Case | ScenarioCase) -> str:
    """How `--operation` names a case."""
    if isinstance(case, ScenarioCase):
        return f"scenario:{case.key}"
    return case.operation.operation_id


def _unknown_message(unknown: list[str], names: set[str]) -> str:
    import difflib

    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        parts.append(f"{name!r}{hint}")
    return (
        f"no operation or scenario {', '.join(parts)}: --operation takes an operationId "
        "or scenario:NAME of the specs"
    )


def _spec_written(case: Case | ScenarioCase) -> bool:
    """Whether a case's code is the spec author's own (`x-codeSamples`), not generated."""
    return isinstance(case, Case) and not case.sample.generated


@dataclass
class Report:
    """The outcome of every case run, the names of the spec's own samples not run, and of
    the web page samples not run, with why (no Chromium here)."""

    outcomes: list[Outcome]
    not_run: list[str] = field(default_factory=list)
    no_browser: list[str] = field(default_factory=list)
    no_browser_reason: str = ""
    unverifiable: list[str] = field(default_factory=list)  # a line per spec (see `cases`)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.passed


def verify(
    specs: list[Path],
    templates: Path | None = None,
    jobs: int = 8,
    folder: Path | None = None,
    progress: Callable[[Outcome], None] | None = None,
    only: Iterable[str] = (),
    with_scenarios: bool = True,
    on_start: Callable[[int], None] | None = None,
    languages: Iterable[str] = (),
    ref_roots: Iterable[Path] = (),
    run_spec_samples: bool = False,
) -> Report:
    """Start the mock, run every sample against it, and report each outcome.

    A spec's own samples (`x-codeSamples`) are its author's code: they are run only with
    `run_spec_samples`, and otherwise listed in the report's `not_run`.

    `only` names operationIds and `scenario:NAME`s to run (a usage error for one that does
    not exist), `languages` the sample languages (all by default); `on_start` is told how
    many cases will run, `progress` gets each outcome; `ref_roots` are folders `$ref`s may
    read from besides the specs' own.
    """
    selected = set(only)
    ref_roots = list(ref_roots)
    unverifiable: list[str] = []
    every: list[Case | ScenarioCase] = list(cases(specs, templates, ref_roots, unverifiable))
    if with_scenarios:
        every += scenario_cases(specs, templates, ref_roots)
    names = {_selector(c) for c in every}
    unknown = sorted(selected - names)
    if unknown:
        raise UsageError(_unknown_message(unknown, names))
    keys = set(languages)
    found = [
        c
        for c in every
        if (not selected or _selector(c) in selected) and (not keys or _language(c) in keys)
    ]
    not_run = [] if run_spec_samples else [c for c in found if _spec_written(c)]
    found = [c for c in found if c not in not_run]
    pages = [c for c in found if isinstance(c, Case) and browser.is_browser(c.sample)]
    reason = browser.missing() if pages else ""
    found = [c for c in found if c not in pages]
    if on_start:
        on_start(len(found) + (0 if reason else len(pages)))
    outcomes = []
    with contextlib.ExitStack() as stack:
        if folder is None:  # a folder of its own, so that runs at once never share files
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="verify-")))
        folder.mkdir(parents=True, exist_ok=True)
        url, log = stack.enter_context(
            running(specs, heartbeat=1.0, event_interval=1.0, ref_roots=ref_roots)
        )
        runner = Runner(url, log, folder.resolve(), MOCK_KEY)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for outcome in pool.map(runner.run_any, found):
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
        if pages and not reason:
            with browser.Browser() as chromium:  # Playwright's objects stay in this thread
                for case in pages:
                    outcome = runner.run_in_browser(chromium, case)
                    outcomes.append(outcome)
                    if progress:
                        progress(outcome)
    report = Report(outcomes, [c.name for c in not_run], unverifiable=unverifiable)
    if reason:
        report.no_browser, report.no_browser_reason = [c.name for c in pages], reason
    return report
