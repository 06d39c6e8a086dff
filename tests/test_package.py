"""The public surface of the package."""

from __future__ import annotations

import instamrkt_docs
import instamrkt_docs.load
import instamrkt_docs.validate


def test_all_is_sorted_and_every_name_exists() -> None:
    for module in (instamrkt_docs, instamrkt_docs.load, instamrkt_docs.validate):
        assert list(module.__all__) == sorted(module.__all__), module.__name__
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
