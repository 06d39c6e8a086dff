"""The npm packages that samples and pages use (`ws`, `wscat`, `mermaid`), found as Node
finds them: in the nearest `node_modules` from the current folder up, else in the
toolkit's own checkout, where `scripts/setup` installs them."""

from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def node_modules(package: str) -> Path | None:
    """The `node_modules` folder that has `package`, or None when none has it."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents, CHECKOUT):
        if (folder / "node_modules" / package / "package.json").is_file():
            return folder / "node_modules"
    return None
