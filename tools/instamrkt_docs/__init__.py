"""instamrkt-docs: validate the Instamrkt specs and build their reference site."""

from instamrkt_docs.errors import InstamrktDocsError, SpecError, UsageError
from instamrkt_docs.findings import Finding, Level

__version__ = "0.1.0"

__all__ = ["Finding", "InstamrktDocsError", "Level", "SpecError", "UsageError", "__version__"]
