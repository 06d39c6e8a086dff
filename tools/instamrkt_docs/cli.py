"""The `instamrkt-docs` command: parse options, call the library, report, set the exit status.

Exit status: 0 success, 1 the input has problems (all of them are listed), 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from instamrkt_docs.errors import InstamrktDocsError, UsageError
from instamrkt_docs.escaping import terminal
from instamrkt_docs.extras import require

DEFAULT_SPEC_DIR = Path("spec")
# The keys the mock accepts (the specs' x-key-pattern), said where a key is missing.
MOCK_KEY_FORM = "imk_test_ and 24 letters or digits, e.g. imk_test_4kR9vT2mXq8LzP5wN3bH7cJ6"


REF_ROOT = ("--ref-root",)
REF_ROOT_OPTIONS: dict = {
    "type": Path,
    "action": "append",
    "default": [],
    "metavar": "DIR",
    "help": "a folder $refs may also read from (repeatable; by default only the folders of "
    "the specs named)",
}
ALLOW_FINDINGS = ("--allow-findings",)
ALLOW_FINDINGS_OPTIONS: dict = {
    "action": "store_true",
    "help": "build even if the specs have findings, printing them (the plugin's option "
    "allow_findings: true does the same)",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 itself; keep our format
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="on an error, show the traceback as well"
    )
    parser = _Parser(
        prog="instamrkt-docs",
        description="Validate OpenAPI and AsyncAPI specs and build their reference site.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    commands.required = True
    validate = commands.add_parser(
        "validate",
        parents=[common],
        help="check specs against their official schemas and more",
        description="Check OpenAPI 3.0/3.1, AsyncAPI 2.x/3.0 and Arazzo 1.1 documents: "
        "official schemas, $refs, examples against schemas, unique names, path parameters, "
        "and scenarios against the specs they drive. Exit status: 0 clean, 1 findings, "
        "2 usage errors.",
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="spec files or folders (default: spec/)"
    )
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    validate.add_argument(*REF_ROOT, **REF_ROOT_OPTIONS)
    new = commands.add_parser(
        "new",
        parents=[common],
        help="make a docs project for your own specs",
        description="Make a docs project in DIR (a new or empty folder) for the specs named: "
        "mkdocs.yml with the plugin and a section per spec, starter pages (introduction, "
        "authentication, errors), .gitignore and a README. It builds and serves at once.",
    )
    new.add_argument("folder", type=Path, metavar="DIR", help="the project's folder")
    new.add_argument(
        "--spec", type=Path, action="append", default=[], metavar="FILE", required=True,
        help="an OpenAPI or AsyncAPI spec, named where it is (repeatable)",
    )  # fmt: skip
    render = commands.add_parser(
        "render",
        parents=[common],
        help="write the reference pages of specs as Markdown",
        description="Render OpenAPI and AsyncAPI specs to Markdown pages with code samples "
        "in shell, Python and JavaScript.",
    )
    render.add_argument(
        "paths", nargs="*", type=Path, metavar="SPEC", help="spec files or folders (default: spec/)"
    )
    render.add_argument(
        "--out",
        type=Path,
        default=Path("docs/reference"),
        help="output folder (default: docs/reference)",
    )
    render.add_argument(
        "--templates", type=Path, help="a folder of templates that replace ours by name"
    )
    render.add_argument(*REF_ROOT, **REF_ROOT_OPTIONS)
    build = commands.add_parser(
        "build",
        parents=[common],
        help="validate, render and build the site",
        description="Validate the specs, render them and build the site. A failure leaves "
        "the previous site as it was.",
    )
    build.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("--site-dir", "-d", type=Path, help="output folder (default: site/)")
    build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    build.add_argument(
        "--no-validate",
        action="store_true",
        help="build without validating the specs at all",
    )
    build.add_argument(*ALLOW_FINDINGS, **ALLOW_FINDINGS_OPTIONS)
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the site with live reload",
        description="Serve the site; a change in spec/ or docs/ rebuilds it and reloads the page.",
    )
    serve.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"))
    serve.add_argument(
        "--dev-addr", "-a", default="127.0.0.1:8000", help="address (default: 127.0.0.1:8000)"
    )
    serve.add_argument(*ALLOW_FINDINGS, **ALLOW_FINDINGS_OPTIONS)
    mock = commands.add_parser(
        "mock",
        parents=[common],
        help="serve the REST and websocket APIs from the specs, as a sandbox",
        description="Serve the specs' REST and websocket APIs on one port, answering with "
        "their examples and validating every request and message.",
    )
    mock.add_argument("paths", nargs="*", type=Path, metavar="SPEC", help="(default: spec/)")
    mock.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
    mock.add_argument("--port", type=int, default=4010, help="port (default: 4010)")
    mock.add_argument(
        "--heartbeat", type=float, help="seconds between heartbeats (default: as the spec says)"
    )
    mock.add_argument(
        "--max-body",
        type=int,
        default=1024 * 1024,
        metavar="BYTES",
        help="the largest request body accepted (default: 1 MB)",
    )
    mock.add_argument(
        "--event-interval",
        type=float,
        default=10.0,
        help="seconds between repeated events of subscribed topics (default: 10)",
    )
    mock.add_argument(*REF_ROOT, **REF_ROOT_OPTIONS)
    verify = commands.add_parser(
        "verify",
        parents=[common],
        help="run every sample of the site against the mock",
        description="Start the mock, run every sample the site shows (REST and websocket, "
        "three languages) against it, and check what each one did.",
    )
    verify.add_argument("paths", nargs="*", type=Path, metavar="SPEC", help="(default: spec/)")
    verify.add_argument(
        "--templates", type=Path, help="the template overrides the site is built with"
    )
    verify.add_argument("--jobs", "-j", type=int, default=8, help="samples run at once")
    verify.add_argument(
        "--operation",
        action="append",
        default=[],
        help="only this operationId, or scenario:NAME (repeatable)",
    )
    verify.add_argument(
        "--run-spec-samples",
        action="store_true",
        help="also run the spec's own x-codeSamples: code its author wrote, run on this "
        "machine (left out by default)",
    )
    verify.add_argument(*REF_ROOT, **REF_ROOT_OPTIONS)
    diff = commands.add_parser(
        "diff",
        parents=[common],
        help="what changed between two versions of the specs, and whom it breaks",
        description="Compare two versions of the specs: each side a spec file, a folder of "
        "specs (REST, websocket and scenarios, matched by their place), or REV:path of this "
        "git repository. Exit status: 0 nothing at or above --fail-on, 1 found, 2 usage.",
    )
    diff.add_argument("old", nargs="?", help="the old side (file, folder or REV:path)")
    diff.add_argument("new", nargs="?", help="the new side (default with --base: spec/)")
    diff.add_argument("--base", metavar="REV", help="compare spec/ at REV with the working tree")
    diff.add_argument(
        "--format",
        choices=("text", "json", "markdown", "junit", "github"),
        default="text",
        help="output format (default: text)",
    )
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "warning", "info"),
        default="breaking",
        help="the level that makes the exit status 1 (default: breaking)",
    )
    diff.add_argument("--config", type=Path, help="rule choices (default: .instamrkt-diff.yaml)")
    diff.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    run_scenario = commands.add_parser(
        "run-scenario",
        parents=[common],
        help="run a sample scenario step by step against a server",
        description="Run one scenario (an Arazzo workflow under spec/scenarios/) step by "
        "step, printing each step, its status and the outputs it passes on. The API key is "
        "read from the environment variable the specs name (INSTAMRKT_API_KEY).",
    )
    run_scenario.add_argument("name", help="the scenario's file name without .arazzo.yaml")
    run_scenario.add_argument(
        "--server", help="the server's origin, e.g. http://127.0.0.1:4010 (default: sandbox)"
    )
    run_scenario.add_argument(
        "--input", action="append", default=[], metavar="NAME=VALUE", help="a workflow input"
    )
    run_scenario.add_argument(
        "--scenarios",
        type=Path,
        default=Path("spec/scenarios"),
        help="the scenarios' folder; the specs they drive are read from it and its parent "
        "(default: spec/scenarios)",
    )
    return parser


def _progress() -> Callable[[str], None]:
    """Stage lines of long work, on standard error."""
    return lambda message: print(terminal(message), file=sys.stderr, flush=True)


def _default_paths(paths: list[Path]) -> list[Path]:
    if paths:
        return paths
    if not DEFAULT_SPEC_DIR.is_dir():
        raise UsageError("no spec/ folder here: name the spec files or folders to check")
    return [DEFAULT_SPEC_DIR]


def _diff(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from instamrkt_docs.diff import Config, compare, report, side
    from instamrkt_docs.diff.config import DEFAULT
    from instamrkt_docs.diff.rules import LEVELS

    if args.list_rules:
        sys.stdout.write(report.rules_list())
        return 0
    if args.base:
        if args.base.startswith("-"):
            raise UsageError(f"not a revision: {args.base}")
        old_spec = f"{args.base}:{args.old or DEFAULT_SPEC_DIR}"
        new_spec = args.new or args.old or str(DEFAULT_SPEC_DIR)
    elif args.old and args.new:
        old_spec, new_spec = args.old, args.new
    else:
        raise UsageError("name the old and the new side, or give --base REV")
    config = None
    if args.config is not None:
        if not args.config.is_file():
            raise UsageError(f"{args.config}: no such file")
        config = Config.read(args.config)
    elif DEFAULT.is_file():
        config = Config.read(DEFAULT)
    with ExitStack() as stack:
        old = stack.enter_context(side(old_spec, Path.cwd()))
        new = stack.enter_context(side(new_spec, Path.cwd()))
        changes = compare(old, new, config)
    output = {
        "text": report.text,
        "json": report.as_json,
        "markdown": report.markdown,
        "github": report.github,
    }.get(args.format)
    sys.stdout.write(output(changes) if output else report.junit(changes, args.fail_on))
    threshold = LEVELS.index(args.fail_on)
    return 1 if any(change.rank >= threshold for change in changes) else 0


def _validate(args: argparse.Namespace) -> int:
    from instamrkt_docs import report
    from instamrkt_docs.findings import has_errors
    from instamrkt_docs.progress import Progress
    from instamrkt_docs.validate import validate

    paths = _default_paths(args.paths)
    progress = Progress("validate")
    try:
        result = validate(paths, progress=progress.status, ref_roots=args.ref_root)
    finally:
        progress.close()
    if not result.checked and not result.findings:
        raise UsageError(
            f"no OpenAPI, AsyncAPI or Arazzo document in {', '.join(map(str, paths))}: "
            "name spec files or a folder that holds some"
        )
    render = report.as_json if args.format == "json" else report.as_text
    sys.stdout.write(render(result.findings, result.checked))
    return 1 if has_errors(result.findings) else 0


def _render(args: argparse.Namespace) -> int:
    from instamrkt_docs.render import render

    if args.templates and not args.templates.is_dir():
        raise UsageError(f"{args.templates}: no such folder")
    result = render(
        _default_paths(args.paths),
        args.out,
        args.templates,
        progress=_progress(),
        ref_roots=args.ref_root,
    )
    pages = sum(len(spec.pages) for spec in result.specs)
    print(
        f"rendered {pages} pages of {len(result.specs)} specs into {args.out} "
        f"({len(result.written)} files written, {len(result.removed)} removed)"
    )
    return 0


def _new(args: argparse.Namespace) -> int:
    from instamrkt_docs.site.new import new_project

    for spec in args.spec:
        if not spec.is_file():
            raise UsageError(f"{spec}: no such file")
    written = new_project(args.folder, args.spec)
    for path in written:
        print(f"wrote {path}")
    print(f"next: cd {args.folder} && instamrkt-docs serve")
    return 0


def _build(args: argparse.Namespace) -> int:
    from instamrkt_docs import report
    from instamrkt_docs.site.build import InvalidSpecs, build_site

    try:
        built = build_site(
            args.config_file,
            args.site_dir,
            strict=not args.no_strict,
            progress=_progress(),
            check_specs=not args.no_validate,
            allow_findings=args.allow_findings,
        )
    except InvalidSpecs as exc:
        sys.stdout.write(report.as_text(exc.findings, exc.checked))
        print("error: the site was not built; the previous one is unchanged", file=sys.stderr)
        return 1
    print(f"built {built.pages} pages into {built.site_dir}")
    return 0


def _mock(args: argparse.Namespace) -> int:
    require("mock", "mock")
    from instamrkt_docs.mock import MockLog, serve

    specs = _default_paths(args.paths)
    serve(
        specs,
        args.host,
        args.port,
        MockLog(stream=sys.stderr),
        args.heartbeat,
        args.event_interval,
        say=lambda line: print(terminal(line), file=sys.stderr, flush=True),
        max_body=args.max_body,
        ref_roots=args.ref_root,
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    require("mock", "verify")  # it runs the samples against the mock
    from instamrkt_docs.progress import Progress
    from instamrkt_docs.verify import Outcome, verify

    progress = Progress("verify")

    def start(total: int) -> None:
        progress.total = total
        progress.say(f"running {total} samples and scenario scripts against the mock")

    def show(outcome: Outcome) -> None:
        progress.step(outcome.case.name, failed=not outcome.passed)
        if outcome.passed:
            return
        lines = [terminal(f"FAIL {outcome.case.name}: {outcome.reason}")]
        lines += [f"    output: {terminal(line)}" for line in outcome.output.splitlines()[-12:]]
        lines += [f"    mock:   {terminal(line)}" for line in outcome.log[-6:]]
        progress.say("\n".join(lines), to=sys.stdout)

    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    try:
        report = verify(
            _default_paths(args.paths),
            args.templates,
            args.jobs,
            progress=show,
            only=args.operation,
            on_start=start,
            ref_roots=args.ref_root,
            run_spec_samples=args.run_spec_samples,
        )
    finally:
        progress.close()
    if report.not_run:
        print(
            f"not run: {len(report.not_run)} samples the spec wrote itself (x-codeSamples), "
            "its author's code; --run-spec-samples runs them"
        )
    for line in report.unverifiable:
        print(f"not run: {terminal(line)}")
    if report.no_browser:
        count = len(report.no_browser)
        print(f"not run: {count} samples for a web page: {report.no_browser_reason}")
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed or not report.outcomes else 0


def _run_scenario(args: argparse.Namespace) -> int:
    require("mock", "run-scenario")  # websocket steps need websockets
    from instamrkt_docs.scenarios.code import needs_key
    from instamrkt_docs.scenarios.model import load_scenarios
    from instamrkt_docs.scenarios.runner import Runner, StepFailed, check_server

    if args.server:
        check_server(args.server)
    if not args.scenarios.is_dir():
        raise UsageError(f"{args.scenarios}: no such folder (name it with --scenarios)")
    # the specs a scenario drives sit beside its folder (spec/ for spec/scenarios)
    found = load_scenarios([args.scenarios], ref_roots=[args.scenarios.resolve().parent])
    scenarios = {s.key: s for s in found}
    if args.name not in scenarios:
        known = ", ".join(sorted(scenarios)) or "none"
        raise UsageError(f"no scenario {args.name!r} in {args.scenarios}; there are: {known}")
    scenario = scenarios[args.name]
    inputs = _inputs(args.input, scenario)
    variable = scenario.credential_variable
    if needs_key(scenario) and not os.environ.get(variable):
        raise UsageError(
            f"set {variable} to your API key first: `export {variable}=imk_test_...` "
            f"(the mock takes any key of the form {MOCK_KEY_FORM})"
        )
    print(terminal(scenario.title))
    try:
        Runner(scenario, args.server).run(inputs)
    except StepFailed as exc:
        print(f"error: {terminal(str(exc))}", file=sys.stderr)
        return 1
    print("all steps passed")
    return 0


def _inputs(items: list[str], scenario: object) -> dict[str, str]:
    """`--input NAME=VALUE` options as a dict; a usage error for a malformed or unknown one."""
    known = getattr(scenario, "inputs", {})
    inputs = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--input {item!r}: write it as NAME=VALUE, e.g. --input poolId=pol_1")
        if name not in known:
            names = ", ".join(sorted(known)) or "none"
            raise UsageError(f"--input {name!r}: the scenario has no such input (it has: {names})")
        inputs[name] = value
    return inputs


def _serve(args: argparse.Namespace) -> int:
    from instamrkt_docs.site.serve import serve_site

    serve_site(args.config_file, args.dev_addr, allow_findings=args.allow_findings)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = _parser().parse_args(argv)
        commands = {
            "validate": _validate,
            "render": _render,
            "new": _new,
            "build": _build,
            "serve": _serve,
            "mock": _mock,
            "verify": _verify,
            "run-scenario": _run_scenario,
            "diff": _diff,
        }
        if args.command in commands:
            return commands[args.command](args)
        raise UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except UsageError as exc:
        _traceback(debug)
        print(f"error: {terminal(str(exc))}", file=sys.stderr)
        return 2
    except InstamrktDocsError as exc:
        _traceback(debug)
        print(f"error: {terminal(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except Exception as exc:  # a bug of ours: say so in one line, the traceback on demand
        _traceback(debug)
        hint = "" if debug else " (run again with --debug for the traceback)"
        print(
            f"error: instamrkt-docs failed unexpectedly: {type(exc).__name__}: "
            f"{terminal(str(exc))}{hint}; "
            "please report it",
            file=sys.stderr,
        )
        return 1


def _traceback(debug: bool) -> None:
    if debug:
        import traceback

        traceback.print_exc()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
