"""axe-core (from npm) over every page of the built site, in the light and the dark
scheme: no serious or critical violation.

Each page is loaded once and checked in the light scheme, then switched to the dark one as
the palette toggle does and checked again for what a scheme changes (colours), leaving out
the code column, which is dark in both. The colours of highlighted code (thousands of
tokens on a page, most of axe's time there) are checked once per colour instead, in both
schemes, by `test_every_colour_of_highlighted_code_reads_at_4_5_to_1`. The pages are split
in three parts that run on any worker.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.tools import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PARTS = 3
# Highlighted code: its colours are checked once per colour (see the last test).
CODE = ".im-code pre"
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


def violations(
    page: Any, exclude: list[str], rules: list[str] | None = None, skip: list[str] = ()
) -> list[str]:
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    if skip:
        options["rules"] = {rule: {"enabled": False} for rule in skip}
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
@pytest.mark.parametrize("width", [1440, 390])
def test_no_page_has_a_serious_accessibility_violation(
    browser, site: str, built_site: Path, part: int, width: int
) -> None:
    assert AXE.is_file(), "axe-core is missing: run scripts/setup"
    pages = every_page(built_site)
    assert len(pages) >= 25
    viewport = {"width": width, "height": 900 if width > 1000 else 844}
    context = browser.new_context(viewport=viewport, color_scheme="light")
    context.add_init_script(path=str(AXE))  # in every page as it loads
    page = context.new_page()
    found = {}
    for path in pages[part::PARTS]:
        page.goto(site + path, wait_until="load")
        light = violations(page, [], skip=["color-contrast"])
        light += violations(page, [CODE], ["color-contrast"])
        assert page.evaluate(DARK) != "rgb(255, 255, 255)", "the dark scheme did not apply"
        dark = violations(page, [".im-code"], COLOUR_RULES)
        for scheme, bad in (("light", light), ("dark", dark)):
            if bad:
                found[f"{path} ({scheme})"] = bad
    context.close()
    assert found == {}


# Each distinct (token colour, background) pair of highlighted code on a page, as rgb().
CODE_COLOURS = """() => {
  const pairs = new Set();
  for (const pre of document.querySelectorAll('.im-code pre')) {
    for (const token of [pre, ...pre.querySelectorAll('span')]) {
      let background = null;
      for (let el = token; el && !el.matches('.im-code'); el = el.parentElement) {
        const colour = getComputedStyle(el).backgroundColor;
        if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { background = colour; break; }
      }
      background ??= getComputedStyle(pre).getPropertyValue('--im-code-column').trim();
      if (token.textContent.trim()) pairs.add(getComputedStyle(token).color + '|' + background);
    }
  }
  return [...pairs];
}"""


def _rgba(colour: str) -> tuple[list[float], float]:
    """The channels (0..1) and the opacity of a CSS colour (rgb(), rgba() or #rrggbb)."""
    if colour.startswith("#"):
        return [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)], 1.0
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    return [n / 255 for n in numbers[:3]], numbers[3] if len(numbers) > 3 else 1.0


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of a colour over an opaque background (a translucent
    colour is blended with the background first, as the browser paints it)."""
    back, _ = _rgba(background)
    fore, alpha = _rgba(foreground)
    fore = [alpha * f + (1 - alpha) * b for f, b in zip(fore, back, strict=True)]

    def luminance(channels: list[float]) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(fore), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_says() -> None:
    assert round(contrast("rgb(0, 0, 0)", "#ffffff"), 1) == 21.0
    assert round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 2) == 4.54
    half = contrast("rgb(127.5, 127.5, 127.5)", "#ffffff")
    assert contrast("rgba(0, 0, 0, 0.5)", "#ffffff") == pytest.approx(half)


def test_every_colour_of_highlighted_code_reads_at_4_5_to_1(
    browser, site: str, built_site: Path
) -> None:
    pages = [p for p in every_page(built_site) if "/reference/" in p]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, color_scheme="light")
    page = context.new_page()
    low = {}
    seen = set()
    for path in pages:
        page.goto(site + path, wait_until="load")
        for scheme in ("light", "dark"):
            if scheme == "dark":
                page.evaluate(DARK)
            for pair in page.evaluate(CODE_COLOURS):
                seen.add(pair)
                ratio = contrast(*pair.split("|"))
                if ratio < 4.5:
                    low[f"{pair} ({scheme})"] = f"{ratio:.2f} on {path}"
    context.close()
    assert len(seen) >= 8  # the highlighter's colours were found
    assert low == {}


@pytest.mark.parametrize("path", ["/reference/rest/pools/", "/reference/scenarios/open-pools/"])
def test_colours_read_at_4_5_to_1_on_a_phone_in_both_schemes(browser, site: str, path: str) -> None:
    """At 390 px the theme writes tab labels as links, over the dark code column: their
    colour, and code in links in the dark scheme, read at 4.5:1."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="light")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(site + path, wait_until="load")
    light = violations(page, [CODE], ["color-contrast"])
    page.evaluate(DARK)
    dark = violations(page, [CODE], ["color-contrast"])
    context.close()
    assert (light, dark) == ([], [])
