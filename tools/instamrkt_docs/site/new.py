"""`instamrkt-docs new DIR --spec FILE...`: a docs project for someone's own specs.

The project names its specs where they are (relative to its folder: one source of truth),
and holds a `mkdocs.yml` with the plugin and a navigation with a section per spec,
hand-written starter pages (introduction, authentication, errors) drawn from the specs,
a `.gitignore` and a README with its two commands. It builds and serves at once. `new`
makes a new folder, or fills an empty one: it never writes over anything.

Spec text reaches the starter pages only through `escaping.md_text` (Markdown) and
`md_title` (titles), and `mkdocs.yml` only through `yaml.safe_dump`.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from instamrkt_docs.errors import UsageError
from instamrkt_docs.escaping import md_text, md_title, shell_word

GITIGNORE = """\
# what a build makes: the site, the pages rendered from the specs, caches and locks
/site/
/docs/reference/
/.cache/
/.site.*
"""


def new_project(target: Path, specs: list[Path]) -> list[Path]:
    """Make the project in `target`; the files written, in order."""
    from instamrkt_docs.findings import has_errors
    from instamrkt_docs.model import RestApi, build, bundle
    from instamrkt_docs.render import load_specs, spec_folder
    from instamrkt_docs.validate import validate

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target}: not an empty folder; new makes a project in a new one")
    if not specs:
        raise UsageError("name the specs to document: new DIR --spec FILE [--spec FILE ...]")
    workspace, documents = load_specs(specs)
    findings = has_errors(validate(specs).findings)
    kinds = [d.kind for d in documents]
    apis = []
    for document in documents:
        api = build(workspace, document, bundle(workspace, document))
        alone = kinds.count(document.kind) == 1
        apis.append((api, spec_folder(str(document.kind), document.path.stem, alone)))
    rest = [api for api, _ in apis if isinstance(api, RestApi)]
    title = (rest or [api for api, _ in apis])[0].title or "API"
    relative = [os.path.relpath(Path(s).resolve(), target.resolve()) for s in specs]
    files = {
        "mkdocs.yml": _config(title, relative, apis, findings),
        "docs/index.md": _introduction(title, apis),
        "docs/authentication.md": _authentication(apis),
        "docs/errors.md": _errors(apis),
        ".gitignore": GITIGNORE,
        "README.md": _readme(title, relative),
    }
    written = []
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # never over a file
            out.write(text)
        written.append(path)
    return written


def _config(title: str, specs: list[str], apis: list[tuple[Any, str]], findings: bool) -> str:
    """mkdocs.yml; specs with findings are built all the same (`allow_findings`), and the
    comment above says so: `instamrkt-docs validate` lists them."""
    nav: list[Any] = [
        {"Introduction": "index.md"},
        {"Authentication": "authentication.md"},
        {"Errors": "errors.md"},
    ]
    for api, folder in apis:
        nav.append({str(md_title(api.title or folder)): [f"reference/{folder}/index.md"]})
    nav.append({"Changelog": "reference/changelog.md"})
    config = {
        "site_name": str(md_title(title)),
        "theme": {
            "name": "material",
            "font": False,  # no web fonts: the site loads nothing from another host
            "features": ["content.tabs.link", "content.code.copy", "navigation.sections"],
            "palette": [_scheme("default", "night", "dark"), _scheme("slate", "sunny", "light")],
        },
        "plugins": [
            "search",
            {"instamrkt-docs": {"specs": specs, **({"allow_findings": True} if findings else {})}},
        ],
        "nav": nav,
    }
    head = "# The reference of your specs: see README.md. The plugin's options are listed in\n"
    head += "# the instamrkt-docs README (Document your own API).\n"
    if findings:
        head += "# The specs have findings (instamrkt-docs validate lists them): allow_findings\n"
        head += "# builds with them all the same. Fix them, then remove it.\n"
    return head + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def _scheme(name: str, icon: str, other: str) -> dict[str, Any]:
    toggle = {"icon": f"material/weather-{icon}", "name": f"Switch to the {other} scheme"}
    return {"scheme": name, "toggle": toggle}


def _introduction(title: str, apis: list[tuple[Any, str]]) -> str:
    lines = [f"# {md_text(title)}", "", "What this API lets you do, and for whom: say it here.", ""]
    lines += ["Start with [Authentication](authentication.md), then the reference:", ""]
    for api, folder in apis:
        lines.append(f"- [{md_text(api.title or folder)}](reference/{folder}/index.md)")
    lines += ["", "Each error is explained in [Errors](errors.md).", ""]
    return "\n".join(lines)


def _authentication(apis: list[tuple[Any, str]]) -> str:
    schemes: dict[str, Any] = {}
    for api, _ in apis:
        for operation in api.operations:
            for way in _ways(operation.security):
                schemes.setdefault(way.scheme, way)
    lines = ["# Authentication", ""]
    if not schemes:
        lines += ["The specs ask for no credential: anyone may call every operation.", ""]
        return "\n".join(lines)
    lines += ["The specs accept these credentials; say here how to get one and keep it safe.", ""]
    for scheme, way in schemes.items():
        where = f"the {way.location} {way.name}" if way.name else f"the {way.location}"
        lines.append(f"- **{md_text(scheme)}**: {md_text(way.kind)}, sent in {md_text(where)}.")
    lines.append("")
    return "\n".join(lines)


def _ways(security: Any) -> list[Any]:
    """The credentials of an operation's security, whatever its shape (REST: a list of
    requirements, each a list of schemes; websocket: a list of schemes)."""
    found = []
    for item in security or []:
        found += item if isinstance(item, list) else [item]
    return found


def _errors(apis: list[tuple[Any, str]]) -> str:
    statuses: Counter[str] = Counter()
    meaning: dict[str, str] = {}
    for api, _ in apis:
        for operation in api.operations:
            for response in getattr(operation, "responses", []):
                if response.status[:1] in ("4", "5"):
                    statuses[response.status] += 1
                    meaning.setdefault(response.status, response.description)
    lines = ["# Errors", "", "What an error answer holds, and what a client does: say it here."]
    if statuses:
        lines += ["", "The statuses the REST operations document:", ""]
        lines += ["| Status | Operations | Meaning |", "|---|---|---|"]
        for status in sorted(statuses):
            lines.append(f"| {md_text(status)} | {statuses[status]} | {md_text(meaning[status])} |")
        lines.append("")
    return "\n".join(lines)


def _readme(title: str, specs: list[str]) -> str:
    words = " ".join(shell_word(spec) for spec in specs)
    return f"""# {md_text(title)}: documentation

```sh
instamrkt-docs serve
```

```sh
instamrkt-docs build && instamrkt-docs verify {words}
```

The first serves the reference with live reload on http://127.0.0.1:8000: a spec or page
you save shows at once. The second builds the site into `site/` (a plain static site) and
runs every code sample it shows against a mock made from the specs. The specs are named in
`mkdocs.yml`; the pages in `docs/` are yours to write.
"""
