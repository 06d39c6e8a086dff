"""Helpers that both spec families' model builders use."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult, quote, urlsplit

from instamrkt_docs.escaping import file_name
from instamrkt_docs.examples import branches, example_for
from instamrkt_docs.model.resolver import Resolver
from instamrkt_docs.model.types import CodeSample, ErrorCode, Example, Server

# A URL that samples read from an environment variable: `$API_BASE_URL/pets`. The spec names
# no server (or only a relative one), so no host is invented: the reader sets it.
BASE_VARIABLE = "API_BASE_URL"
# A webhook is sent to the address its receiver registered: the whole URL is the reader's.
WEBHOOK_VARIABLE = "WEBHOOK_URL"
# The websocket server of an AsyncAPI spec that names none.
WS_VARIABLE = "API_WS_URL"
_URL_VARIABLE = re.compile(r"\$([A-Z][A-Z0-9_]*)")


def url_variable(url: str) -> tuple[str, str]:
    """(the environment variable a URL starts with, the rest); ("", url) for none."""
    match = _URL_VARIABLE.match(url)
    return (match.group(1), url[match.end() :]) if match else ("", url)


_LANGUAGES = {
    "shell": "shell",
    "sh": "shell",
    "bash": "shell",
    "curl": "shell",
    "python": "python",
    "py": "python",
    "javascript": "javascript",
    "js": "javascript",
    "node": "javascript",
    "node.js": "javascript",
}


def slug(text: str) -> str:
    """A URL-safe, lowercase form of a name, short enough for a file name."""
    return str(file_name(text, empty="section"))


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free; marks it taken."""
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def text(value: Any) -> str:
    """A string from a spec field that should be text, stripped ('' when absent)."""
    return value.strip() if isinstance(value, str) else ""


def pick_server(servers: list[Server]) -> Server | None:
    """The server samples use: a sandbox if there is one, else the first."""
    for server in servers:
        if "sandbox" in f"{server.url} {server.description}".lower():
            return server
    return servers[0] if servers else None


def fill_variables(url: str, variables: Any) -> str:
    """A server URL with its `{variables}` replaced by their defaults (percent-encoded
    where a character could not stand in a URL)."""
    if isinstance(variables, dict):
        for name, variable in variables.items():
            default = variable.get("default") if isinstance(variable, dict) else None
            enum = variable.get("enum") if isinstance(variable, dict) else None
            if default is None and isinstance(enum, list) and enum:
                default = enum[0]
            value = str(default if default is not None else name)
            url = url.replace("{" + str(name) + "}", quote(value, safe=_URL_SAFE))
    return url


_URL_SAFE = "-._~!$&'()*+,;=:@/%"


def split_url(url: str) -> SplitResult:
    """A URL's parts, for any text a spec gives as one: where `urlsplit` refuses it (a `[`
    that starts no IPv6 address), with its brackets percent-encoded."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit(url.replace("[", "%5B").replace("]", "%5D"))


def schema_examples(schema: Any, resolver: Resolver) -> list[Example]:
    """Examples for a schema with none given by the spec: one per oneOf branch, or one."""
    resolved = resolver.deref(schema)
    if isinstance(resolved, dict) and isinstance(resolved.get("examples"), list):
        values = resolved["examples"]
        if values:
            return [Example(name=f"example {i + 1}", value=v) for i, v in enumerate(values)]
    if isinstance(resolved, dict) and "example" in resolved:
        return [Example(name="example", value=resolved["example"])]
    per_branch = branches(schema, resolver.deref)
    if per_branch:
        return [Example(name=label, value=value, generated=True) for label, value in per_branch]
    return [Example(name="generated", value=example_for(schema, resolver.deref), generated=True)]


def code_samples(node: dict) -> list[CodeSample]:
    """A spec's own samples (`x-codeSamples`, `x-code-samples`) in our three languages."""
    raw = node.get("x-codeSamples", node.get("x-code-samples"))
    samples = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("source"), str):
            continue
        language = _LANGUAGES.get(str(item.get("lang", "")).lower())
        if language:
            samples.append(CodeSample(language, text(item.get("label")), item["source"]))
    return samples


def error_codes(data: dict, resolver: Resolver) -> list[ErrorCode]:
    """Error codes documented with `x-codes` on a schema enum, in enum order."""
    found: list[ErrorCode] = []
    schemas = (data.get("components") or {}).get("schemas") or {}
    for schema in schemas.values():
        schema = resolver.deref(schema)
        codes = schema.get("x-codes") if isinstance(schema, dict) else None
        if not isinstance(codes, dict):
            continue
        enum = schema.get("enum")
        for code in enum if isinstance(enum, list) else list(codes):
            if not isinstance(code, (str, int)) or isinstance(code, bool):
                continue
            info = codes.get(code)
            info = info if isinstance(info, dict) else {}  # validate says what is wrong
            found.append(
                ErrorCode(str(code), str(info.get("status", "")), text(info.get("description")))
            )
    return found


def credential_variable(data: dict) -> str:
    """The environment variable samples read the secret from (`x-samples.credentialVariable`)."""
    options = data.get("x-samples")
    name = options.get("credentialVariable") if isinstance(options, dict) else None
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", name):
        return name
    return "API_KEY"  # anything else could not be written safely in every language
