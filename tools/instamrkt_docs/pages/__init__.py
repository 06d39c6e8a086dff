"""Pages stage: Markdown reference pages from Jinja templates.

`Pages.for_api` turns one spec's model and its samples into pages: an overview, then a
page per group (a tag; for websocket a tag or a channel), or for a group too big for one
page an index page and a page per part of it (see `split`). Templates are found in the
user's folder first (`rest/operation.md.jinja` there replaces ours).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2

from instamrkt_docs.model.common import unique_key
from instamrkt_docs.model.types import ErrorCode, Group, RestApi, WsApi
from instamrkt_docs.pages.filters import FILTERS
from instamrkt_docs.pages.split import (
    BUDGET,
    INDEX_ROWS,
    MODELS_PAGE,
    Part,
    model_chunks,
    model_weight,
    plan,
    weight,
)
from instamrkt_docs.samples import Sample, SampleWriter
from instamrkt_docs.templating import make_environment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"

__all__ = ["PACKAGE_TEMPLATES", "Page", "Pages", "SpecPages"]


@dataclass
class Page:
    """A page to write: its path under the output folder, title and Markdown."""

    path: str
    title: str
    text: str
    in_nav: bool = True  # the parts of a split group are reached from its index page


@dataclass
class SpecPages:
    """One spec's pages, its overview first, and the samples they show."""

    api: RestApi | WsApi
    folder: str
    pages: list[Page] = field(default_factory=list)
    samples: dict[str, list[Sample]] = field(default_factory=dict)


class Pages:
    """Renders reference pages with templates a user may override one by one."""

    def __init__(self, templates: Path | None = None) -> None:
        self.user_templates = templates
        self.env: jinja2.Environment = make_environment(PACKAGE_TEMPLATES, templates, FILTERS)
        # model key -> the page describing it, when not the page being rendered: given to
        # the pages of a split group (the macros are imported with their context)
        self.env.globals["model_pages"] = MappingProxyType({})

    def for_api(
        self, api: RestApi | WsApi, folder: str, downloads: list[tuple[str, str]]
    ) -> SpecPages:
        """The pages of one spec, under `folder`."""
        writer = SampleWriter(self.user_templates, api.credential_variable)
        result = SpecPages(api, folder)
        for operation in api.operations:
            if isinstance(api, RestApi):
                result.samples[operation.key] = writer.for_operation(operation)
            else:
                result.samples[operation.key] = writer.for_ws_operation(operation)
        kind = "rest" if isinstance(api, RestApi) else "websocket"
        page_template = self.env.get_template(f"{kind}/page.md.jinja")
        group_pages = []
        for group in api.groups:
            weigh = self._weigher(group, result)
            parts = plan(group.operations, weigh)
            if len(parts) == 1:
                text = page_template.render(
                    api=api, group=group, samples=result.samples, downloads=downloads
                )
                group_pages.append(Page(f"{folder}/{group.key}.md", group.name, text))
                continue
            group_pages += self._split(api, group, parts, folder, page_template, result, weigh)
        index = self.env.get_template("reference/index.md.jinja").render(
            api=api,
            pages=[
                (p.title, p.path.removeprefix(folder + "/").removesuffix("index.md"))
                for p in group_pages
                if p.in_nav
            ],
            downloads=[(label, "../" + href) for label, href in downloads],
        )
        result.pages = [Page(f"{folder}/index.md", api.title, index), *group_pages]
        return result

    @staticmethod
    def _weigher(group: Group, result: SpecPages) -> Callable[[list[Any]], int]:
        """The weight of a page with some of a group's operations (see `split`)."""
        weights = {op.key: weight(op, result.samples[op.key]) for op in group.operations}

        def weigh(operations: list[Any]) -> int:
            size = sum(weights[op.key] for op in operations)
            if operations == group.operations:
                return size + model_weight(group.models)
            return size  # a part's models may go to the models pages (see `_split`)

        return weigh

    def _split(
        self,
        api: RestApi | WsApi,
        group: Group,
        parts: list[Part],
        folder: str,
        page_template: jinja2.Template,
        result: SpecPages,
        weigh: Callable[[list[Any]], int],
    ) -> list[Page]:
        """A group too big for one page: an index page, a page per part, and the pages of
        the models that more than one part uses, or that would make their part's page too
        heavy (each model is described on one page)."""
        subs = []
        for part in parts:
            sub = Group(
                f"{group.key}/{part.key}", f"{group.name}: {part.name}", "", part.operations
            )
            if group.describe is not None:
                sub.models, sub.headers = group.describe(part.operations)
            subs.append(sub)
        uses = Counter(model.key for sub in subs for model in sub.models)
        shared = {model.key: model for sub in subs for model in sub.models if uses[model.key] > 1}
        for sub in subs:
            own = [model for model in sub.models if model.key not in shared]
            if weigh(sub.operations) + model_weight(own) > BUDGET:
                shared.update((model.key, model) for model in own)
        taken = {"index", *(part.key for part in parts)}
        chunks = [
            (MODELS_PAGE if n == 0 else unique_key(f"{MODELS_PAGE}-{n + 1}", taken), chunk)
            for n, chunk in enumerate(model_chunks(list(shared.values())))
        ]
        # the page each model is described on: a models page, or the one part using it
        where = {model.key: key for key, chunk in chunks for model in chunk}
        for sub, part in zip(subs, parts, strict=True):
            sub.models = [model for model in sub.models if model.key not in shared]
            where.update((model.key, part.key) for model in sub.models)
        pages = []
        for sub, part in zip(subs, parts, strict=True):
            for operation in sub.operations:
                operation.group_key = sub.key
            text = page_template.render(
                api=api,
                group=sub,
                samples=result.samples,
                downloads=[],
                part_of=group,
                model_pages={k: f"../{page}/" for k, page in where.items() if page != part.key},
            )
            pages.append(Page(f"{folder}/{sub.key}.md", sub.name, text, in_nav=False))
        models_pages = []
        for key, chunk in chunks:
            name = f"{group.name}: models"
            if len(chunks) > 1:  # named by the models it begins and ends with
                first, last = chunk[0].name, chunk[-1].name
                name += f" ({first} to {last})" if len(chunk) > 1 else f" ({first})"
            models = Group(f"{group.key}/{key}", name, "", [])
            models.models = chunk
            text = self.env.get_template("reference/models.md.jinja").render(
                api=api,
                group=models,
                part_of=group,
                model_pages={k: f"../{page}/" for k, page in where.items() if page != key},
            )
            pages.append(Page(f"{folder}/{models.key}.md", models.name, text, in_nav=False))
            models_pages.append((key, name.removeprefix(f"{group.name}: ")))
        index = self.env.get_template("reference/group.md.jinja").render(
            api=api,
            group=group,
            parts=parts,
            models_pages=models_pages,
            compact=len(group.operations) > INDEX_ROWS,
        )
        return [Page(f"{folder}/{group.key}/index.md", group.name, index), *pages]

    def scenarios(self, scenarios: list[Any], folder: str = "scenarios") -> dict[str, str]:
        """The scenario pages and scripts: relative path -> content."""
        from instamrkt_docs.samples import LANGUAGES
        from instamrkt_docs.scenarios import words
        from instamrkt_docs.scenarios.code import needs_key
        from instamrkt_docs.scenarios.scripts import ScriptWriter

        writer = ScriptWriter(self.user_templates)
        self.env.globals["needs_key"] = needs_key
        self.env.globals["in_words"] = words.condition
        self.env.globals["expression_in_words"] = words.expression
        page = self.env.get_template("scenarios/page.md.jinja")
        files = {}
        for scenario in scenarios:
            scripts = writer.scripts(scenario)
            downloads = {lang.key: f"{scenario.key}.{lang.suffix}" for lang in LANGUAGES}
            for lang in LANGUAGES:
                files[f"{folder}/scripts/{downloads[lang.key]}"] = scripts[lang.key]
            files[f"{folder}/{scenario.key}.md"] = page.render(
                scenario=scenario,
                step_code={lang.key: writer.steps(scenario, lang) for lang in LANGUAGES},
                scripts=scripts,
                downloads=downloads,
                languages=LANGUAGES,
                mermaid="../../assets/mermaid.min.js",
            )
        index = self.env.get_template("scenarios/index.md.jinja")
        files[f"{folder}/index.md"] = index.render(scenarios=scenarios)
        return files

    def changelog(self, versions: list[Any], links: dict[str, str]) -> str:
        """The changelog page, by version (see `diff.history.versions`)."""
        return self.env.get_template("reference/changelog.md.jinja").render(
            versions=versions, links=links
        )

    def error_codes(self, codes: list[ErrorCode]) -> str:
        """The Markdown table of every error code."""
        return self.env.get_template("reference/error_codes.md.jinja").render(codes=codes)
