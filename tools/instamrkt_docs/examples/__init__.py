"""Examples stage: the spec's own examples first; generated ones only where there are none."""

from instamrkt_docs.examples.generate import branches, example_for
from instamrkt_docs.examples.regex import string_for

__all__ = ["branches", "example_for", "string_for"]
