"""Language-neutral requests: what a sample does, before any language is chosen."""

from __future__ import annotations

import json
import mimetypes
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote

from instamrkt_docs.http_fields import DOT_SEGMENT, NO_CONTENT, unsendable
from instamrkt_docs.model.common import url_variable
from instamrkt_docs.model.types import Message, Operation, Security, WsOperation
from instamrkt_docs.samples.serialise import (
    form_pairs,
    path_template,
    path_value,
    query_parts,
    simple_value,
    text,
    urlencoded,
)

DEFAULT_CREDENTIAL = "API_KEY"
CLIENT_CERT = ("client.crt", "client.key")  # the files a mutual TLS sample reads


@dataclass
class Credential:
    """Where a sample puts the secret it reads from an environment variable."""

    location: str
    name: str
    prefix: str
    variable: str


@dataclass
class FormPart:
    """One part of a multipart/form-data body: text, or a file the reader has."""

    name: str
    value: str  # the text, or a file's example content
    filename: str = ""  # the file a sample reads (in its folder), for a file part
    content_type: str = ""  # "" for the default, text/plain


@dataclass
class HttpRequest:
    """One HTTP request: method, URL with path and query, headers, credential and body."""

    method: str
    url: str  # with its query
    headers: list[tuple[str, str]]
    credential: Credential | None
    body: Any = None
    has_body: bool = False
    body_kind: str = "json"
    content_type: str | None = None
    expects_json: bool = True
    left_out: list[str] = field(default_factory=list)  # why a part of the example is not sent
    # The Cookie header: the cookie parameters, then `name=` of a cookie credential, whose
    # secret follows (`cookie_secret`); "" for none.
    cookie: str = ""
    cookie_secret: bool = False
    notes: list[str] = field(default_factory=list)  # said in a comment before the call
    # A form body's `name=value` parts, urlencoded (the body is them joined with `&`).
    form: list[str] = field(default_factory=list)
    # mutual TLS: the client certificate and its key, files the reader has
    client_cert: tuple[str, str] | None = None
    # a multipart/form-data body's parts, in order
    parts: list[FormPart] = field(default_factory=list)
    # the other header credentials a security requirement asks for at once (an app id and
    # its key), each read from a variable of its own
    more: list[Credential] = field(default_factory=list)
    # The URL without its query, and the query's (name, value) pairs as a form decodes
    # them: samples pass them the way each language does (curl --data-urlencode, requests'
    # params=, URLSearchParams), which sends the same values.
    path_url: str = ""
    query: list[tuple[str, str]] = field(default_factory=list)

    @property
    def query_as_object(self) -> bool:
        """Whether the query pairs can be written as one object, {name: value}: each name
        once, and each a plain name (a JavaScript object puts keys like "7" first)."""
        names = [name for name, _ in self.query]
        return len(set(names)) == len(names) and all(_PLAIN_KEY.fullmatch(n) for n in names)

    @property
    def reads_files(self) -> bool:
        """Whether the sample reads a local file (a client certificate, an upload)."""
        return self.client_cert is not None or any(p.filename for p in self.parts)


@dataclass
class WsSession:
    """A websocket session: connect, send these messages, read until one matches."""

    url: str
    credential: Credential | None
    send: list[Any] = field(default_factory=list)
    until: tuple[str, Any] | None = None
    wait: int = 30
    expect: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)  # sent with the upgrade
    left_out: list[str] = field(default_factory=list)  # why a header is not sent
    # In a web page, which sends no header with the upgrade: whether the session can be
    # opened there (no header needed, or a credential in the query instead), that
    # credential (its name, and the sample's parameter holding it) and what the spec says
    # it is.
    in_browser: bool = False
    browser_credential: Credential | None = None
    browser_note: list[str] = field(default_factory=list)  # its lines
    # the web page's function's parameters, (name, "url" or "credential"): a page has no
    # environment, so a server URL that starts with a variable is given, then the
    # credential; the URL as the page builds it, after the given base if there is one
    browser_parameters: list[tuple[str, str]] = field(default_factory=list)
    browser_url: str = ""
    browser_base: str = ""  # the parameter giving the URL's start, if one does


# A parameter's style when the spec gives none, by where it goes.
DEFAULT_STYLE = {"path": "simple", "header": "simple", "query": "form", "cookie": "form"}


def extra_variable(scheme: str, taken: set[str]) -> str:
    """The environment variable of a second credential: its scheme's name in capitals."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", scheme).strip("_").upper() or "CREDENTIAL"
    stem = stem if stem[0].isalpha() else f"X_{stem}"
    found, number = f"{stem}_API_KEY", 2
    while found in taken:
        found, number = f"{stem}_{number}_API_KEY", number + 1
    return found


def credential_of(security: list[Security], variable: str) -> Credential | None:
    """The credential of the first way to authenticate, read from `variable`."""
    if not security:
        return None
    first = security[0]
    if first.location == "protocol":
        return None  # a client certificate, SCRAM...: no header a sample sets
    if first.prefix.strip().lower() == "basic":  # user:password, base64 on the wire
        return Credential("basic", first.name, first.prefix, variable)
    return Credential(first.location, first.name, first.prefix, variable)


def http_request(operation: Operation, variable: str = DEFAULT_CREDENTIAL) -> HttpRequest:
    """The request an operation's sample makes, with the spec's first examples."""
    path = path_template(operation.path.split("#")[0])  # a fragment is never sent
    query: list[str] = []
    cursor = ""
    headers: list[tuple[str, str]] = []
    cookies: list[str] = []
    left_out: list[str] = []
    for param in operation.parameters:
        style = param.style or DEFAULT_STYLE.get(param.location, "form")
        explode = param.explode if param.explode is not None else style == "form"
        if param.location == "path":
            value = path_value(param.name, param.example, style, explode)
            if value in (".", ".."):
                left_out.append(f"path {param.name!r} is {value!r}: {DOT_SEGMENT}")
            path = path.replace("{" + param.name + "}", value)
        elif param.required or param.has_example:
            if param.location == "query" and not param.required and is_cursor(param.name):
                cursor = param.name  # a list's first page is asked for without one
            elif param.location == "query":
                query += query_parts(
                    param.name, param.example, style, explode, param.allow_reserved
                )
            elif param.location in ("header", "cookie"):
                value = simple_value(param.example, explode and param.location == "header")
                problem = unsendable(param.name, value)
                if problem:
                    left_out.append(f"{param.location} {param.name!r} left out: {problem}")
                elif param.location == "header":
                    headers.append((param.name, value))
                else:
                    cookies.append(f"{param.name}={value}")
    path_url = operation.base_url if operation.webhook else operation.base_url + path
    url = path_url + ("?" + "&".join(query) if query else "")
    credential = None
    more: list[Credential] = []
    if operation.security and all(operation.security):  # no anonymous alternative
        credential = credential_of(operation.security[0], variable)
        for extra in operation.security[0][1:]:  # schemes asked for together with it
            if extra.location == "header" and extra.prefix.strip().lower() != "basic":
                name = extra_variable(extra.scheme, {variable, *(c.variable for c in more)})
                more.append(Credential("header", extra.name, extra.prefix, name))
            elif extra.location != "protocol":
                left_out.append(
                    f"{extra.scheme} is needed too ({extra.location} {extra.name}); "
                    "this sample sends the first credential only"
                )
    body = operation.body
    success = operation.success
    request = HttpRequest(
        method=operation.method,
        url=url,
        headers=headers,
        credential=credential,
        expects_json=bool(
            success
            and success.body
            and success.body.is_json
            and not (success.status.isdigit() and int(success.status) in NO_CONTENT)
        ),
        left_out=left_out,
        cookie="; ".join(cookies),
        more=more,
        path_url=path_url,
        query=_pairs(query),
    )
    if (
        operation.security
        and operation.security[0]
        and operation.security[0][0].kind == "mutualTLS"
    ):
        request.client_cert = CLIENT_CERT
        request.notes.append(
            f"mutual TLS: {CLIENT_CERT[0]} is your client certificate, {CLIENT_CERT[1]} its key"
        )
    if cursor:
        request.notes.append(f"the first page: {cursor} is for the pages after it")
    if credential and operation.security[0][0].obtained:
        request.notes.append(f"{credential.variable} holds {operation.security[0][0].obtained}")
    if credential and credential.location == "basic":
        request.notes.append(
            f"{credential.variable} holds the user name and password as user:password"
        )
    if credential and credential.location == "cookie":
        request.cookie += ("; " if request.cookie else "") + f"{credential.name}="
        request.cookie_secret = True
    if body is not None and body.examples:
        request.has_body = True
        request.body = _sampled(body.examples[0].value, body.kept_names, request.notes)
        request.content_type = concrete(body.media_type)
        request.body_kind = _body_kind(body.media_type)
        if request.body_kind == "raw" and not isinstance(request.body, str):
            request.body = json.dumps(request.body, ensure_ascii=False)
        if request.body_kind == "multipart" and isinstance(request.body, dict):
            request.parts = form_parts(request.body, body.parts, request.left_out)
        if request.body_kind == "form":
            # the exact text on the wire, the same in every language
            if isinstance(request.body, dict):
                request.form = urlencoded(form_pairs(request.body, body.encoding))
            else:
                request.form = [text(request.body)]  # as the spec gives it
            request.body = "&".join(request.form)
    return request


# A body of more properties than this is sampled: its required ones and a few others.
BIG_BODY = 12
OPTIONAL_KEPT = 3


def _sampled(value: Any, kept: frozenset[str] | None, notes: list[str]) -> Any:
    """A big object body as a sample sends it: the properties its schema requires and the
    first few others (the page shows the whole example beside the sample)."""
    if not isinstance(value, dict) or len(value) <= BIG_BODY or kept is None:
        return value
    optional = [name for name in value if name not in kept][:OPTIONAL_KEPT]
    sampled = {name: item for name, item in value.items() if name in kept or name in optional}
    if len(sampled) == len(value):
        return value
    left = len(value) - len(sampled)
    notes.append(
        f"{left} optional fields of the body are left out; the whole example is on the page"
    )
    return sampled


def _pairs(parts: list[str]) -> list[tuple[str, str]]:
    """A query's `name=value` parts as (name, value) pairs, when sending the pairs the way
    a language encodes them loses nothing: no part keeps a delimiter or reserved character
    raw (`a=x,y`, allowReserved), which the spec's own encoding tells apart from an
    encoded one. Otherwise [] (the samples then send the spec's query as it is)."""
    pairs = parse_qsl("&".join(parts), keep_blank_values=True)
    if len(pairs) != len(parts):
        return []
    for part, (name, value) in zip(parts, pairs, strict=True):
        if not name or part != f"{quote(name, safe='')}={quote(value, safe='')}":
            return []
    return pairs


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# Query parameters that carry where a page of a list starts: the first page has none.
_CURSOR = re.compile(
    r"(?:page_?)?cursor|after|before|starting_?after|ending_?before|(?:next_?|page_?)?token"
    r"|continuation(?:_?token)?|marker",
    re.I,
)


def is_cursor(name: str) -> bool:
    """Whether a query parameter names the page of a list to start from (`cursor`,
    `starting_after`, `pageToken`...): an example of one points into someone's data."""
    return bool(_CURSOR.fullmatch(name))


_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")
_FILE_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


# What a part's name cannot hold: curl's --form reads a name up to its first `=` (what
# follows is the content, which `@` or `<` would make a file to read) and stops at `;`
_UNSAFE_PART_NAME = re.compile(r'[=;"\\\x00-\x1f\x7f]')


def form_parts(
    value: dict[str, Any], kinds: dict[str, tuple[str, str]], left_out: list[str] | None = None
) -> list[FormPart]:
    """The parts of a multipart/form-data body, each sent as `kinds` says (`Body.parts`);
    a part whose name no client can send as it is is left out, the reason in `left_out`."""
    parts: list[FormPart] = []
    taken: set[str] = set()
    for name, item in value.items():
        if _UNSAFE_PART_NAME.search(str(name)):
            if left_out is not None:
                left_out.append(f'part {str(name)!r} left out: its name has = ; \\ or "')
            continue
        default = "text" if not isinstance(item, (dict, list)) else "json"
        kind, content_type = kinds.get(str(name), (default, ""))
        content_type = content_type if _MEDIA_TYPE.fullmatch(content_type) else ""
        if kind in ("file", "files"):
            for one in item if kind == "files" and isinstance(item, list) else [item]:
                file = _file_name(str(name), content_type, taken)
                parts.append(FormPart(str(name), text(one), file, content_type))
        elif kind == "repeat" and isinstance(item, list):
            parts += [FormPart(str(name), text(one), "", content_type) for one in item]
        elif kind == "json":
            parts.append(FormPart(str(name), text(item), "", content_type or "application/json"))
        else:
            parts.append(FormPart(str(name), text(item), "", content_type))
    return parts


def _file_name(name: str, content_type: str, taken: set[str]) -> str:
    """A plain file name for an upload: the property's name, the type's extension."""
    stem = _FILE_CHARACTERS.sub("-", name).strip("-")[:40] or "file"
    extension = (mimetypes.guess_extension(content_type) if content_type else None) or ".bin"
    found, number = f"{stem}{extension}", 2
    while found in taken:
        found, number = f"{stem}-{number}{extension}", number + 1
    taken.add(found)
    return found


def concrete(media_type: str) -> str:
    """A media type a request can carry: a range (`*/*`, `image/*`) is no Content-Type."""
    kind, _, sub = media_type.split(";")[0].strip().partition("/")
    if kind == "*" or sub == "*":
        return "text/plain" if kind == "text" else "application/octet-stream"
    return media_type


def _body_kind(media_type: str) -> str:
    media = media_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media == "multipart/form-data":
        return "multipart"
    return "raw"


def ws_session(operation: WsOperation, variable: str = DEFAULT_CREDENTIAL) -> WsSession:
    """The session an operation's websocket sample runs."""
    url = operation.url
    for name, value in operation.parameters.items():  # the channel's address, filled in
        url = url.replace("{" + name + "}", quote(text(value), safe=""))
    if operation.query:
        query = [part for k, v in operation.query.items() for part in query_parts(k, v)]
        url += ("&" if "?" in url else "?") + "&".join(query)
    session = WsSession(url=url, credential=credential_of(operation.security, variable))
    for name, value in operation.headers.items():  # the ws binding's required headers
        written = simple_value(value)
        problem = unsendable(name, written)
        if problem:
            session.left_out.append(f"header {name!r} left out: {problem}")
        else:
            session.headers.append((name, written))
    if operation.is_call:
        message = operation.messages[0] if operation.messages else None
        payload = message.examples[0].value if message and message.examples else {}
        session.send = [payload]
        reply = operation.replies[0] if operation.replies else None
        session.until, session.expect = _call_until(message, reply, payload)
        if reply is None:
            session.until, session.expect = None, ""
    else:
        message = operation.messages[0] if operation.messages else None
        session.send = list(operation.sample_send)
        if message and message.discriminator:
            session.until = message.discriminator
            session.expect = f"{_article(message.discriminator[1])} message"
        else:
            session.expect = "the first message"
    if operation.sample_wait:
        session.wait = operation.sample_wait
    query = next((way for way in operation.security if way.location == "query"), None)
    session.in_browser = not session.headers and (not operation.security or query is not None)
    base, session.browser_url = url_variable(url)
    if base:
        session.browser_base = _camel(base)
        session.browser_parameters.append((session.browser_base, "url"))
    if query is not None:
        name = _parameter(query.name, {n for n, _ in session.browser_parameters})
        session.browser_credential = Credential("query", query.name, "", name)
        session.browser_parameters.append((name, "credential"))
        note = f"{name}: {_first_sentence(query.description)}"
        session.browser_note = textwrap.wrap(note, 84) if query.description else []
    return session


def _camel(variable: str) -> str:
    """A parameter for a URL the environment would give (`API_WS_URL`: `apiWsUrl`)."""
    head, *rest = variable.lower().split("_")
    return head + "".join(word.title() for word in rest)


# Words a parameter cannot be named (JavaScript's reserved words, and the sample's own names).
_JS_RESERVED = frozenset({
    "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
    "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function",
    "if", "implements", "import", "in", "instanceof", "interface", "let", "new", "null",
    "package", "private", "protected", "public", "return", "static", "super", "switch", "this",
    "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "url", "socket",
    "message", "event",
})  # fmt: skip


def _parameter(name: str, taken: set[str]) -> str:
    """A JavaScript parameter named after a credential (`ticket`), or `credential`."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,39}", name):
        return "credential"
    found = name.replace("-", "_")
    return "credential" if found in _JS_RESERVED or found in taken else found


def _first_sentence(text: str) -> str:
    """A description's first sentence, on one line."""
    line = " ".join(text.split())
    found = re.search(r"(?<=[.!?])\s", line)
    return line[: found.start()] if found else line


def _call_until(
    message: Message | None, reply: Message | None, payload: Any
) -> tuple[tuple[str, Any] | None, str]:
    field_name = (message.correlation_field if message else None) or (
        reply.correlation_field if reply else None
    )
    if field_name and isinstance(payload, dict) and field_name in payload:
        return (
            field_name,
            payload[field_name],
        ), f"the reply with {field_name} {payload[field_name]!r}"
    if reply and reply.discriminator:
        return reply.discriminator, f"{_article(reply.discriminator[1])} message"
    return None, "the first message"


def _article(word: Any) -> str:
    """`word` after "a" or "an", as it is said."""
    text = str(word)
    return f"an {text}" if text[:1].lower() in "aeio" else f"a {text}"
