"""Build the REST model from an OpenAPI 3.0 or 3.1 document (bundled into one dict)."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

from instamrkt_docs.examples import example_for
from instamrkt_docs.examples.direction import for_direction
from instamrkt_docs.model import models, schemas
from instamrkt_docs.model.common import (
    BASE_VARIABLE,
    WEBHOOK_VARIABLE,
    code_samples,
    credential_variable,
    error_codes,
    fill_variables,
    pick_server,
    schema_examples,
    slug,
    text,
    unique_key,
    url_variable,
)
from instamrkt_docs.model.resolver import Resolver
from instamrkt_docs.model.types import (
    Body,
    ErrorCase,
    Example,
    Group,
    Model,
    Operation,
    Parameter,
    Response,
    RestApi,
    Security,
    Server,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PLACEHOLDER_BASE = "$" + BASE_VARIABLE


def build(data: dict[str, Any], source: str) -> RestApi:
    """The REST model of a bundled OpenAPI document."""
    resolver = Resolver(data)
    info = data.get("info") or {}
    servers = _servers(data.get("servers"))
    chosen = pick_server(servers)
    base_url = chosen.url if chosen else PLACEHOLDER_BASE
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    groups: dict[str, Group] = {}
    for tag in data.get("tags") or []:
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            name = tag["name"]
            groups[name] = Group(slug(name), name, text(tag.get("description")), [])
    taken: set[str] = set()
    for section in ("paths", "webhooks"):
        for path, item in (data.get(section) or {}).items():
            item = resolver.deref(item)
            if not isinstance(item, dict):
                continue
            item_servers = _servers(item.get("servers"))
            for method in METHODS:
                raw = item.get(method)
                if not isinstance(raw, dict):
                    continue
                op_servers = _servers(raw.get("servers")) or item_servers
                url = pick_server(op_servers).url if op_servers else base_url
                if section == "webhooks":
                    url = "$" + WEBHOOK_VARIABLE
                operation = _operation(
                    resolver, path, method, raw, item, data, schemes, url, taken, section
                )
                tag = operation.tags[0] if operation.tags else "Operations"
                if tag not in groups:
                    groups[tag] = Group(slug(tag), tag, "", [])
                groups[tag].operations.append(operation)
    shared = _shared_headers([op for g in groups.values() for op in g.operations])
    group_keys: set[str] = {"index"}  # index.md is the overview page
    ordered = []
    for group in groups.values():
        if group.operations:
            group.key = unique_key(group.key, group_keys)
            for operation in group.operations:
                operation.group_key = group.key
            group.describe = partial(_describe, resolver=resolver, shared=shared)
            group.models, group.headers = group.describe(group.operations)
            ordered.append(group)
    return RestApi(
        title=text(info.get("title")) or "API",
        version=str(info.get("version", "")),
        description=text(info.get("description")),
        servers=servers,
        groups=ordered,
        error_codes=error_codes(data, resolver),
        source=source,
        credential_variable=credential_variable(data),
        url_variables=sorted(
            {url_variable(op.base_url)[0] for g in ordered for op in g.operations} - {""}
        ),
    )


def _shared_headers(
    operations: list[Operation], among: list[Parameter] | None = None
) -> list[Parameter]:
    """The success headers that more than one operation of the API sends alike (described
    once on each page), or those of `among` that these operations send."""
    seen: dict[tuple[str, str, str], Parameter] = {}
    count: Counter[tuple[str, str, str]] = Counter()
    for op in operations:
        for header in op.success.headers if op.success else []:
            key = (header.name.lower(), header.type, header.description)
            seen.setdefault(key, header)
            count[key] += 1
    if among is None:
        return [seen[key] for key, n in count.items() if n > 1]
    wanted = {(h.name.lower(), h.type, h.description) for h in among}
    return [header for key, header in seen.items() if key in wanted]


def _describe(
    operations: list[Operation], resolver: Resolver, shared: list[Parameter]
) -> tuple[list[Model], list[Parameter]]:
    """The models and shared headers of a page with these operations."""
    return models.for_page(_bodies_of(operations), resolver), _shared_headers(operations, shared)


def _bodies_of(operations: list[Operation]) -> list[Body]:
    """Every request and response body of some operations."""
    bodies = []
    for op in operations:
        bodies += [*([op.body] if op.body else []), *op.other_bodies]
        bodies += [body for response in op.responses for body in response.bodies]
    return bodies


def _is31(data: dict[str, Any]) -> bool:
    """Whether a document is OpenAPI 3.1 or later, whose `readOnly` is JSON Schema's (an
    annotation: `required` holds in both directions) rather than 3.0's."""
    return not str(data.get("openapi", "")).startswith("3.0")


def _servers(raw: Any) -> list[Server]:
    servers = []
    for server in raw if isinstance(raw, list) else []:
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            url = fill_variables(server["url"], server.get("variables")).rstrip("/")
            if not url.startswith(("http://", "https://")):
                url = PLACEHOLDER_BASE + ("/" + url.lstrip("/") if url.strip("/") else "")
            servers.append(Server(url, text(server.get("description"))))
    return servers


def _operation(
    resolver: Resolver,
    path: str,
    method: str,
    raw: dict,
    item: dict,
    data: dict,
    schemes: dict,
    base_url: str,
    taken: set[str],
    section: str,
) -> Operation:
    operation_id = text(raw.get("operationId"))
    key = unique_key(slug(operation_id) if operation_id else slug(f"{method} {path}"), taken)
    parameters = _parameters(resolver, item.get("parameters"), raw.get("parameters"))
    bodies = _request_bodies(resolver, raw.get("requestBody"))
    responses = [
        _response(resolver, str(status), response)
        for status, response in (raw.get("responses") or {}).items()
    ]
    security_raw = raw.get("security", data.get("security"))
    return Operation(
        key=key,
        operation_id=operation_id or key,
        method=method.upper(),
        path=path,
        # a readable method and path when there is no summary, not the operationId
        summary=text(raw.get("summary")) or f"{method.upper()} {path}",
        description=text(raw.get("description")),
        tags=[str(t) for t in raw.get("tags") or []],
        base_url=base_url,
        security=_security(security_raw, schemes, resolver),
        parameters=parameters,
        body=bodies[0] if bodies else None,
        other_bodies=bodies[1:],
        responses=responses,
        errors=_errors(responses),
        code_samples=code_samples(raw),
        deprecated=bool(raw.get("deprecated")),
        webhook=section == "webhooks",
    )


def _parameters(resolver: Resolver, *lists: Any) -> list[Parameter]:
    merged: dict[tuple[str, str], Parameter] = {}
    for raw_list in lists:
        for raw in raw_list if isinstance(raw_list, list) else []:
            param = resolver.deref(raw)
            if not isinstance(param, dict) or "name" not in param:
                continue
            built = _parameter(resolver, param, str(param.get("in", "query")))
            merged[(built.name, built.location)] = built
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    return sorted(merged.values(), key=lambda p: order.get(p.location, 4))


def _parameter(resolver: Resolver, param: dict, location: str, name: str = "") -> Parameter:
    schema = param.get("schema")
    if schema is None and isinstance(param.get("content"), dict) and param["content"]:
        schema = next(iter(param["content"].values())).get("schema")
    example, has_example = _parameter_example(resolver, param, schema)
    if example == "" and not param.get("allowEmptyValue"):
        has_example = False  # an empty default is no value to send (`?expand=` is refused)
    return Parameter(
        name=name or str(param.get("name")),
        location=location,
        required=bool(param.get("required")) or location == "path",
        type=schemas.type_name(schema, resolver) if schema is not None else "string",
        description=text(param.get("description")) or schemas.description(schema, resolver),
        constraints=schemas.constraints(schema, resolver) if schema is not None else [],
        example=example,
        has_example=has_example,
        deprecated=bool(param.get("deprecated")),
        style=str(param.get("style") or ""),
        explode=param["explode"] if isinstance(param.get("explode"), bool) else None,
        allow_reserved=param.get("allowReserved") is True,
    )


def _parameter_example(resolver: Resolver, param: dict, schema: Any) -> tuple[Any, bool]:
    if "example" in param:
        return param["example"], True
    examples = param.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            example = resolver.deref(example)
            if isinstance(example, dict) and "value" in example:
                return example["value"], True
    if schema is not None:
        resolved = resolver.deref(schema)
        if isinstance(resolved, dict) and (
            "example" in resolved or resolved.get("examples") or "default" in resolved
        ):
            return example_for(schema, resolver.deref), True
        return example_for(schema, resolver.deref), False
    return "string", False


def _bodies(
    resolver: Resolver, content: Any, description: str, required: bool, mode: str = "read"
) -> list[Body]:
    """The bodies of each media type; `mode` is "write" for a request, "read" for a
    response (examples taken from the schema leave out what the other direction carries)."""
    bodies = []
    for media_type, media in content.items() if isinstance(content, dict) else []:
        media = resolver.deref(media)
        if not isinstance(media, dict):
            continue
        schema = media.get("schema")
        model, model_key, rows = models.model_of(schema, resolver)
        bodies.append(
            Body(
                media_type=str(media_type),
                type_name=schemas.type_name(schema, resolver) if schema is not None else "any",
                examples=_media_examples(resolver, media, schema, mode),
                description=description,
                required=required,
                model=model,
                model_key=model_key,
                rows=rows,
                schema=schema,
                encoding=resolver.deref(media.get("encoding")),
                parts=(
                    _multipart(resolver, schema, media.get("encoding"))
                    if str(media_type).split(";")[0].strip().lower() == "multipart/form-data"
                    else {}
                ),
                kept_names=_kept_names(resolver, schema),
            )
        )
    bodies.sort(key=lambda b: not b.is_json)
    return bodies


# What makes an object's valid properties depend on more than its `required` list.
_PROPERTY_RULES = (
    "oneOf", "anyOf", "not", "if", "minProperties", "dependentRequired", "dependentSchemas",
    "dependencies", "unevaluatedProperties", "$dynamicRef",
)  # fmt: skip


def _kept_names(resolver: Resolver, schema: Any, depth: int = 0) -> frozenset[str] | None:
    """The properties an object body's example must keep to stay valid (see
    `Body.kept_names`): its `required`, and its allOf members' (8 levels at most)."""
    node = resolver.deref(schema)
    if not isinstance(node, dict) or depth > 8 or any(rule in node for rule in _PROPERTY_RULES):
        return None
    shaped = isinstance(node.get("properties"), dict) or "allOf" in node
    if node.get("type") not in ("object", None) or not shaped:
        return None
    names = {str(n) for n in node.get("required") or [] if isinstance(n, str)}
    members = node.get("allOf")
    for member in members if isinstance(members, list) else []:
        found = _kept_names(resolver, member, depth + 1)
        if found is None:
            return None
        names |= found
    return frozenset(names)


def _multipart(resolver: Resolver, schema: Any, encoding: Any) -> dict[str, tuple[str, str]]:
    """How each property of a multipart/form-data body is sent (see `Body.parts`): as its
    Encoding Object's `contentType` says, else by its schema (OpenAPI's defaults: a binary
    string is a file, an object JSON, an array one part per item)."""
    resolved = resolver.deref(schema)
    properties = resolved.get("properties") if isinstance(resolved, dict) else None
    encodings = resolver.deref(encoding)
    encodings = encodings if isinstance(encodings, dict) else {}
    found = {}
    for name, prop in properties.items() if isinstance(properties, dict) else []:
        rules = resolver.deref(encodings.get(name))
        declared = rules.get("contentType") if isinstance(rules, dict) else None
        declared = declared.split(",")[0].strip() if isinstance(declared, str) else ""
        kind, default = _part_kind(resolver, prop)
        if kind == "repeat":
            items = resolver.deref(resolver.deref(prop).get("items"))
            if _part_kind(resolver, items)[0] == "file":
                kind, default = "files", _part_kind(resolver, items)[1]
        if declared and kind == "text" and not declared.startswith("text/"):
            kind = "json" if "json" in declared else "file"
        found[str(name)] = (kind, declared or default)
    return found


def _part_kind(resolver: Resolver, schema: Any) -> tuple[str, str]:
    schema = resolver.deref(schema)
    if not isinstance(schema, dict):
        return "text", ""
    kind = schema.get("type")
    if schema.get("format") == "binary" or "contentMediaType" in schema:
        return "file", str(schema.get("contentMediaType") or "application/octet-stream")
    if kind == "array" or (kind is None and "items" in schema):
        items = resolver.deref(schema.get("items"))
        nested = isinstance(items, dict) and (
            items.get("type") in ("object", "array") or "properties" in items
        )
        return ("json", "application/json") if nested else ("repeat", "")
    if kind == "object" or (kind is None and "properties" in schema):
        return "json", "application/json"
    return "text", ""


def _media_examples(resolver: Resolver, media: dict, schema: Any, mode: str) -> list[Example]:
    examples = media.get("examples")
    found = []
    if isinstance(examples, dict):
        for name, example in examples.items():
            example = resolver.deref(example)
            if isinstance(example, dict) and "value" in example:
                found.append(
                    Example(
                        name=str(name),
                        value=example["value"],
                        summary=text(example.get("summary")),
                        description=text(example.get("description")),
                    )
                )
    if found:
        return found
    if "example" in media:
        return [Example(name="example", value=media["example"])]
    if schema is None:
        return []
    found = schema_examples(schema, resolver)
    for example in found:
        example.value = for_direction(
            example.value, schema, resolver.deref, mode, keep_required=_is31(resolver.data)
        )
    return found


def _request_bodies(resolver: Resolver, raw: Any) -> list[Body]:
    body = resolver.deref(raw)
    if not isinstance(body, dict):
        return []
    return _bodies(
        resolver,
        body.get("content"),
        text(body.get("description")),
        bool(body.get("required")),
        mode="write",
    )


def _response(resolver: Resolver, status: str, raw: Any) -> Response:
    response = resolver.deref(raw)
    response = response if isinstance(response, dict) else {}
    headers = [
        _parameter(resolver, resolver.deref(header), "header", str(name))
        for name, header in (response.get("headers") or {}).items()
        if isinstance(resolver.deref(header), dict)
    ]
    return Response(
        status=status,
        description=text(response.get("description")),
        headers=headers,
        bodies=_bodies(resolver, response.get("content"), "", False),
    )


def _errors(responses: list[Response]) -> list[ErrorCase]:
    errors = []
    for response in responses:
        if response.is_success:
            continue
        body = response.body
        coded = []
        for example in (
            body.examples if body and not all(e.generated for e in body.examples) else []
        ):
            code = _error_code(example.value)
            if code:
                coded.append(ErrorCase(response.status, code, example.summary, example.name))
        if coded:
            unique: dict[str, ErrorCase] = {}
            for case in coded:
                unique.setdefault(case.code, case)
            errors.extend(unique.values())
        else:
            errors.append(ErrorCase(response.status, "", response.description))
    return errors


def _error_code(value: Any) -> str:
    if isinstance(value, dict):
        inner = value.get("error")
        if isinstance(inner, dict) and isinstance(inner.get("code"), str):
            return inner["code"]
        if isinstance(value.get("code"), str):
            return value["code"]
    return ""


def _security(raw: Any, schemes: dict, resolver: Resolver) -> list[list[Security]]:
    """The ways to authenticate: a list of alternatives, each a list of credentials."""
    alternatives = []
    for requirement in raw if isinstance(raw, list) else []:
        if not isinstance(requirement, dict):
            continue
        if not requirement:
            alternatives.append([])  # anonymous access allowed
            continue
        credentials = []
        for name, scopes in requirement.items():
            scheme = resolver.deref(schemes.get(name))
            if isinstance(scheme, dict):
                credentials.append(security_of(name, scheme, scopes))
        alternatives.append(credentials)
    return alternatives


def security_of(name: str, scheme: dict, scopes: Any = ()) -> Security:
    """How a security scheme puts its credential in a request."""
    kind = str(scheme.get("type", ""))
    description = text(scheme.get("description"))
    scope_list = [str(s) for s in scopes] if isinstance(scopes, list) else []
    pattern = scheme.get("x-key-pattern") if isinstance(scheme.get("x-key-pattern"), str) else None
    if kind in ("apiKey", "httpApiKey"):
        location, header = str(scheme.get("in", "header")), str(scheme.get("name", "X-API-Key"))
        return Security(name, kind, location, header, "", description, scope_list, pattern)
    if kind in PROTOCOL_SCHEMES:  # not an HTTP header: the protocol's client does it
        what = PROTOCOL_SCHEMES[kind]
        return Security(name, kind, "protocol", what, "", description, scope_list, pattern)
    prefix = "Basic " if str(scheme.get("scheme", "")).lower() == "basic" else "Bearer "
    found = Security(
        name, kind, "header", "Authorization", prefix, description, scope_list, pattern
    )
    found.obtained = _obtained(kind, scheme, scope_list)
    return found


# OAuth 2 flows, those a program can run itself first
_FLOWS = ("clientCredentials", "authorizationCode", "password", "deviceAuthorization", "implicit")


def _obtained(kind: str, scheme: dict, scopes: list[str]) -> str:
    """Where the token of an OAuth 2 or OpenID Connect scheme comes from, in words."""
    scoped = (
        f" with the scope{'s' if len(scopes) > 1 else ''} {', '.join(scopes)}" if scopes else ""
    )
    if kind == "oauth2":
        flows = scheme.get("flows") if isinstance(scheme.get("flows"), dict) else {}
        for flow in _FLOWS:
            details = flows.get(flow)
            if isinstance(details, dict):
                url = details.get("tokenUrl") or details.get("authorizationUrl")
                where = f" from {url}" if isinstance(url, str) and url else ""
                return f"an OAuth 2 access token{scoped}, obtained first{where} ({flow} flow)"
        return f"an OAuth 2 access token{scoped}, obtained first"
    if kind == "openIdConnect":
        url = scheme.get("openIdConnectUrl")
        where = f" (its provider is described at {url})" if isinstance(url, str) and url else ""
        return f"an OpenID Connect access token{scoped}, obtained first{where}"
    return ""


# Security schemes that are no HTTP header, by the names their specifications give them.
PROTOCOL_SCHEMES = {
    "mutualTLS": "mutual TLS (a client certificate)",
    "X509": "an X.509 client certificate",
    "userPassword": "a user name and password",
    "scramSha256": "SCRAM-SHA-256",
    "scramSha512": "SCRAM-SHA-512",
    "plain": "SASL PLAIN",
    "gssapi": "GSSAPI (Kerberos)",
    "symmetricEncryption": "symmetric encryption",
    "asymmetricEncryption": "asymmetric encryption",
}
