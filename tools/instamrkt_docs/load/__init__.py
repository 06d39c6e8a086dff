"""Load stage: read spec files, keep positions, follow `$ref`s."""

from instamrkt_docs.load.documents import Document, RefError, RemoteRefError, Target, Workspace
from instamrkt_docs.load.source import ParseError, Source, parse

__all__ = [
    "Document",
    "ParseError",
    "RefError",
    "RemoteRefError",
    "Source",
    "Target",
    "Workspace",
    "parse",
]
