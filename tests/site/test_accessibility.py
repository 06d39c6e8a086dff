"""axe-core (from npm) over every page of the built site, in the light and the dark
scheme: no serious or critical violation.

Each page is loaded once and checked in the light scheme, then switched to the dark one as
the palette toggle does and checked again for what a scheme changes (colours), leaving out
the code column, which is dark in both. The pages are split in three parts that run on any
worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tools import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PARTS = 3
# What a scheme changes: colours. The dark pass runs the rules that look at them.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# As the palette toggle does, but at once: the theme's colour transitions would otherwise
# be measured halfway.
DARK = """() => {
  const still = document.createElement('style');
  still.textContent = '*, *::before, *::after { transition: none !important; }';
  document.head.append(still);
  document.body.setAttribute('data-md-color-scheme', 'slate');
  return getComputedStyle(document.body).backgroundColor;
}"""


def every_page(site_dir: Path) -> list[str]:
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    return ["/" + p.removesuffix("index.html") for p in pages]


# The browser lays out only the sections near the screen (`content-visibility`); axe reads
# the colours of the others as they are before layout. Every section is laid out for it.
LAID_OUT = """() => {
  const all = document.createElement('style');
  all.textContent = '.im-section { content-visibility: visible !important; }';
  document.head.append(all);
}"""


def violations(page: Any, exclude: list[str], rules: list[str] | None = None) -> list[str]:
    page.evaluate(LAID_OUT)
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate(
        "([exclude, options]) => axe.run({exclude: exclude.map(s => [s])}, options)",
        [exclude, options],
    )
    return [
        f"{v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("part", range(PARTS))
def test_no_page_has_a_serious_accessibility_violation(
    browser, site: str, built_site: Path, part: int
) -> None:
    assert AXE.is_file(), "axe-core is missing: run scripts/setup"
    pages = every_page(built_site)
    assert len(pages) >= 25
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="light")
    context.add_init_script(path=str(AXE))  # in every page as it loads
    page = context.new_page()
    found = {}
    for path in pages[part::PARTS]:
        page.goto(site + path, wait_until="load")
        light = violations(page, [])
        assert page.evaluate(DARK) != "rgb(255, 255, 255)", "the dark scheme did not apply"
        dark = violations(page, [".im-code"], COLOUR_RULES)
        for scheme, bad in (("light", light), ("dark", dark)):
            if bad:
                found[f"{path} ({scheme})"] = bad
    context.close()
    assert found == {}
