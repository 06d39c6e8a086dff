"""The Markdown copies of pages for readers that are programs (mkdocs-llmstxt's input).

mkdocs-llmstxt turns each page's HTML into Markdown. Before it does, `preprocess` makes
the reference's HTML say plainly what a reader sees: each tab of samples becomes a titled
code block in its language (the theme's highlighted spans become the code's own text),
the row of languages goes, and a `|` inside a table cell stays inside its cell.
The plugin points mkdocs-llmstxt's `preprocess` option at this file.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, NavigableString


def preprocess(soup: BeautifulSoup, output: str) -> None:
    """Rewrite a page's HTML in place before it becomes Markdown."""
    from mkdocs_llmstxt import autoclean

    for row in soup.select(".im-languages"):
        row.decompose()
    for tabs in soup.select(".tabbed-set"):
        labels = [
            label.get_text(" ", strip=True) for label in tabs.select(".tabbed-labels > label")
        ]
        blocks = tabs.select(".tabbed-content > .tabbed-block")
        replacement = soup.new_tag("div")
        for label, block in zip(labels, blocks, strict=False):
            title = soup.new_tag("p")
            strong = soup.new_tag("strong")
            strong.string = label
            title.append(strong)
            replacement.append(title)
            for child in list(block.children):
                replacement.append(child.extract())
        tabs.replace_with(replacement)
    for block in soup.select("div.highlight"):
        block.replace_with(_plain_code(soup, block))
    for cell in soup.select("td, th"):
        for text in cell.find_all(string=True):
            if "|" in text:
                text.replace_with(NavigableString(text.replace("|", "\\|")))
    autoclean(soup)


def _plain_code(soup: BeautifulSoup, block: Any) -> Any:
    """A highlighted block as <pre><code class="language-…"> with its text only."""
    language = next(
        (c[len("language-") :] for c in block.get("class") or () if c.startswith("language-")),
        "",
    )
    code = block.find("code")
    pre = soup.new_tag("pre")
    inner = soup.new_tag("code")
    if language:  # on both: the converter reads the language off the <pre>
        pre["class"] = inner["class"] = [f"language-{language}"]
    inner.string = (code or block).get_text()
    pre.append(inner)
    return pre
