"""Errors raised by the toolkit.

The tree, drawn once:

    InstamrktDocsError          base of every error the CLI catches
    ├── UsageError              the command was called wrongly (exit status 2)
    ├── SpecError               an input could not be read at all (exit status 1)
    └── OutputError             an output folder holds what the command may not touch (1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from instamrkt_docs.findings import Finding


class InstamrktDocsError(Exception):
    """Base of every error the toolkit raises on purpose."""


class UsageError(InstamrktDocsError):
    """The command line or a setting asks for something impossible."""


class SpecError(InstamrktDocsError):
    """An input could not be read; `finding` says where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"{finding.location()}  {finding.message}")
        self.finding = finding


class OutputError(InstamrktDocsError):
    """A file the command would write or remove is not one it wrote itself."""
