"""The Jinja environment for samples: a user's template folder first, then ours."""

from __future__ import annotations

from pathlib import Path

import jinja2

from instamrkt_docs.samples.filters import FILTERS
from instamrkt_docs.templating import make_environment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The samples' environment; see `templating.make_environment`."""
    return make_environment(PACKAGE_TEMPLATES, user_templates, FILTERS)
