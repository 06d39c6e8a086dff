"""The `instamrkt-docs` command: parse options, call the library, report, set the exit status.

Exit status: 0 success, 1 the input has problems (all of them are listed), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from instamrkt_docs.errors import InstamrktDocsError, UsageError

DEFAULT_SPEC_DIR = Path("spec")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 itself; keep our format
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="instamrkt-docs",
        description="Validate OpenAPI and AsyncAPI specs and build their reference site.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    validate = commands.add_parser(
        "validate",
        help="check specs against their official schemas and more",
        description="Check OpenAPI 3.0/3.1 and AsyncAPI 2.6/3.0 specs: official schemas, "
        "$refs, examples against schemas, unique names, path parameters.",
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="spec files or folders (default: spec/)"
    )
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    return parser


def _default_paths(paths: list[Path]) -> list[Path]:
    if paths:
        return paths
    if not DEFAULT_SPEC_DIR.is_dir():
        raise UsageError("no spec/ folder here: name the spec files or folders to check")
    return [DEFAULT_SPEC_DIR]


def _validate(args: argparse.Namespace) -> int:
    from instamrkt_docs import report
    from instamrkt_docs.findings import has_errors
    from instamrkt_docs.validate import validate

    progress = None
    if sys.stderr.isatty() and args.format == "text":
        progress = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    result = validate(_default_paths(args.paths), progress=progress)
    render = report.as_json if args.format == "json" else report.as_text
    sys.stdout.write(render(result.findings, result.checked))
    return 1 if has_errors(result.findings) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        if args.command == "validate":
            return _validate(args)
        raise UsageError(f"unknown command {args.command!r}")  # pragma: no cover
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InstamrktDocsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
