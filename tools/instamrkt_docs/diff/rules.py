"""The catalogue of changes `diff` reports: a stable id, a level and a line for each.

Levels: `breaking` (a client written against the old spec stops working), `warning` (it
may: read the change) and `info` (nothing a client must do). Schema rules exist in two
directions: `request-…` for what a client sends (REST requests, the messages it sends),
where narrowing is breaking; `response-…` for what it receives (responses, the messages
the server sends), where widening is. A project may silence a rule or give it another
level in its config (`config.py`), with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("info", "warning", "breaking")


@dataclass(frozen=True)
class Rule:
    """One kind of change."""

    id: str
    level: str
    summary: str
    example: str


def _rules(*rows: tuple[str, str, str, str]) -> dict[str, Rule]:
    return {row[0]: Rule(*row) for row in rows}


# Schema rules, written once and taken in both directions: (suffix, request level,
# response level, summary, example)
_SCHEMA = [
    (
        "property-removed",
        "warning",
        "breaking",
        "a property is no longer described",
        "`pool.closesAt` removed",
    ),
    (
        "property-removed-after-deprecation",
        "info",
        "warning",
        "a deprecated property is no longer described",
        "`pool.legacyId` removed after deprecation",
    ),
    ("property-added", "info", "info", "a new optional property", "`pool.currency` added"),
    (
        "property-added-required",
        "breaking",
        "info",
        "a new required property",
        "`bet.playerRef` added, required",
    ),
    (
        "property-became-required",
        "breaking",
        "info",
        "an optional property became required",
        "`bet.playerRef` now required",
    ),
    (
        "property-became-optional",
        "info",
        "breaking",
        "a required property became optional",
        "`pool.closesAt` may now be absent",
    ),
    (
        "type-changed",
        "breaking",
        "breaking",
        "the value's type changed",
        "`stake`: integer → string",
    ),
    (
        "type-widened",
        "info",
        "breaking",
        "the value may now be of more types",
        "`stake`: integer → number",
    ),
    (
        "type-narrowed",
        "breaking",
        "info",
        "the value may now be of fewer types",
        "`stake`: number → integer",
    ),
    ("became-nullable", "info", "breaking", "the value may now be null", "`closesAt` nullable"),
    (
        "became-not-nullable",
        "breaking",
        "info",
        "the value may no longer be null",
        "`closesAt` not nullable",
    ),
    ("enum-value-removed", "breaking", "info", "an enum value is gone", "`status`: `void` removed"),
    (
        "enum-value-added",
        "info",
        "warning",
        "a new enum value",
        "`status`: `suspended` added (exhaustive switches miss it)",
    ),
    ("enum-added", "breaking", "info", "the value is now limited to a list", "`currency` enum"),
    (
        "enum-removed",
        "info",
        "warning",
        "the value is no longer limited to a list",
        "`currency` any string",
    ),
    (
        "const-changed",
        "breaking",
        "breaking",
        "the constant value changed",
        "`type`: `bet` → `wager`",
    ),
    ("max-length-decreased", "breaking", "info", "a string's maxLength went down", "64 → 32"),
    ("max-length-increased", "info", "warning", "a string's maxLength went up", "32 → 64"),
    ("min-length-increased", "breaking", "info", "a string's minLength went up", "1 → 3"),
    ("min-length-decreased", "info", "warning", "a string's minLength went down", "3 → 1"),
    ("maximum-decreased", "breaking", "info", "a number's maximum went down", "1000 → 500"),
    ("maximum-increased", "info", "warning", "a number's maximum went up", "500 → 1000"),
    ("minimum-increased", "breaking", "info", "a number's minimum went up", "0 → 1"),
    ("minimum-decreased", "info", "warning", "a number's minimum went down", "1 → 0"),
    ("max-items-decreased", "breaking", "info", "an array's maxItems went down", "100 → 50"),
    ("max-items-increased", "info", "warning", "an array's maxItems went up", "50 → 100"),
    ("min-items-increased", "breaking", "info", "an array's minItems went up", "0 → 1"),
    ("min-items-decreased", "info", "warning", "an array's minItems went down", "1 → 0"),
    ("pattern-added", "breaking", "info", "a string must now match a pattern", "`^[A-Z]{3}$`"),
    (
        "pattern-changed",
        "warning",
        "warning",
        "a string's pattern changed",
        "`^[a-z]+$` → `^[a-z0-9]+$`",
    ),
    ("pattern-removed", "info", "warning", "a string no longer has a pattern", "any string"),
    ("format-added", "breaking", "info", "a string must now have a format", "`date-time`"),
    ("format-changed", "breaking", "breaking", "a value's format changed", "`date` → `date-time`"),
    ("format-removed", "info", "warning", "a value no longer has a format", "any string"),
    ("one-of-branch-added", "info", "warning", "oneOf has a new branch", "`Refund` added"),
    ("one-of-branch-removed", "breaking", "info", "a oneOf branch is gone", "`Refund` removed"),
    ("any-of-branch-added", "info", "warning", "anyOf has a new branch", "`Refund` added"),
    ("any-of-branch-removed", "breaking", "info", "an anyOf branch is gone", "`Refund` removed"),
    ("all-of-part-added", "breaking", "warning", "allOf has a new part", "`Audited` added"),
    ("all-of-part-removed", "info", "breaking", "an allOf part is gone", "`Audited` removed"),
    (
        "additional-properties-forbidden",
        "breaking",
        "info",
        "properties not described are no longer allowed",
        "`additionalProperties: false`",
    ),
    (
        "additional-properties-allowed",
        "info",
        "warning",
        "properties not described are now allowed",
        "`additionalProperties` removed",
    ),
    (
        "property-became-read-only",
        "warning",
        "info",
        "a property is now read-only (a client no longer sets it)",
        "`id` readOnly",
    ),
    (
        "property-became-write-only",
        "info",
        "breaking",
        "a property is now write-only (no longer returned)",
        "`secret` writeOnly",
    ),
    ("default-changed", "warning", "info", "a value's default changed", "`limit`: 20 → 50"),
    ("multiple-of-changed", "breaking", "warning", "a number's multipleOf changed", "1 → 5"),
]

_OTHERS = [
    # operations and paths
    (
        "operation-removed",
        "breaking",
        "an operation is gone, without being deprecated first",
        "`DELETE /pools/{poolId}` removed",
    ),
    (
        "operation-removed-after-deprecation",
        "warning",
        "a deprecated operation is gone",
        "`GET /v1/legacy` removed after deprecation",
    ),
    (
        "operation-removed-before-sunset",
        "breaking",
        "a deprecated operation is gone before its x-sunset date",
        "sunset 2027-01-01",
    ),
    ("operation-added", "info", "a new operation", "`POST /pools/{poolId}/void`"),
    ("operation-deprecated", "warning", "an operation is now deprecated", "`GET /v1/legacy`"),
    ("operation-undeprecated", "info", "an operation is no longer deprecated", "`GET /v1/legacy`"),
    (
        "operation-id-changed",
        "warning",
        "an operationId changed (generated clients rename it)",
        "`getPool` → `retrievePool`",
    ),
    (
        "operation-sunset-added",
        "warning",
        "an operation has a sunset date now",
        "`x-sunset: 2027-01-01`",
    ),
    (
        "operation-stability-decreased",
        "warning",
        "an operation's stability marker went down",
        "`x-stability-level: stable` → `beta`",
    ),
    ("webhook-removed", "breaking", "a webhook is no longer sent", "`poolSettled`"),
    ("webhook-added", "info", "a new webhook", "`poolSettled`"),
    # parameters
    (
        "request-parameter-removed",
        "warning",
        "a parameter is gone (a client still sending it may be refused)",
        "query `expand`",
    ),
    ("request-parameter-added", "info", "a new optional parameter", "query `expand`"),
    (
        "request-parameter-added-required",
        "breaking",
        "a new required parameter",
        "header `Idempotency-Key`",
    ),
    (
        "request-parameter-became-required",
        "breaking",
        "an optional parameter became required",
        "query `currency`",
    ),
    (
        "request-parameter-became-optional",
        "info",
        "a required parameter became optional",
        "query `currency`",
    ),
    (
        "request-parameter-location-changed",
        "breaking",
        "a parameter moved (query, header...)",
        "`apiKey`: query → header",
    ),
    (
        "request-parameter-style-changed",
        "breaking",
        "a parameter is serialised in another style",
        "`ids`: form → pipeDelimited",
    ),
    (
        "request-parameter-explode-changed",
        "breaking",
        "a parameter's explode changed",
        "`ids`: explode true → false",
    ),
    ("request-parameter-deprecated", "warning", "a parameter is now deprecated", "`legacyId`"),
    # request bodies
    (
        "request-body-added-required",
        "breaking",
        "the operation now needs a request body",
        "`POST /pools/{poolId}/close`",
    ),
    ("request-body-added", "info", "the operation now takes an optional request body", ""),
    ("request-body-removed", "warning", "the operation no longer takes a request body", ""),
    ("request-body-became-required", "breaking", "the request body became required", ""),
    ("request-body-became-optional", "info", "the request body became optional", ""),
    (
        "request-media-type-removed",
        "breaking",
        "a request media type is no longer taken",
        "`application/xml`",
    ),
    ("request-media-type-added", "info", "a new request media type", "`multipart/form-data`"),
    # responses
    (
        "response-success-status-removed",
        "breaking",
        "a success status is no longer answered",
        "`201`",
    ),
    ("response-status-removed", "warning", "an error status is no longer documented", "`409`"),
    ("response-status-added", "info", "a new documented status", "`429`"),
    ("response-success-status-added", "warning", "a new success status to handle", "`202`"),
    ("response-media-type-removed", "breaking", "a response media type is gone", "`text/csv`"),
    ("response-media-type-added", "info", "a new response media type", "`text/csv`"),
    (
        "response-header-removed",
        "breaking",
        "a response header is no longer sent",
        "`RateLimit-Remaining`",
    ),
    ("response-header-added", "info", "a new response header", "`RateLimit-Reset`"),
    (
        "response-header-became-optional",
        "warning",
        "a response header may now be absent",
        "`Location`",
    ),
    # security
    (
        "security-requirement-added",
        "breaking",
        "an operation needs a credential it did not",
        "`bearer` on `GET /pools`",
    ),
    (
        "security-requirement-removed",
        "info",
        "an operation needs a credential less",
        "`GET /status` now public",
    ),
    ("security-scope-added", "breaking", "an operation needs a scope more", "`pools:write`"),
    ("security-scope-removed", "info", "an operation needs a scope less", "`pools:write`"),
    (
        "security-scheme-changed",
        "breaking",
        "a security scheme works another way now",
        "apiKey header `X-Key` → `Authorization`",
    ),
    ("security-scheme-removed", "breaking", "a security scheme is gone", "`apiKey`"),
    ("security-scheme-added", "info", "a new security scheme", "`oauth2`"),
    # named schemas (client libraries generate a type for each)
    (
        "schema-removed",
        "warning",
        "a named schema is gone (generated client code that names its type breaks)",
        "`components/schemas/LegacyPool`",
    ),
    ("schema-added", "info", "a new named schema", "`components/schemas/Refund`"),
    # servers
    ("server-removed", "breaking", "a server is gone", "`https://sandbox.example.com`"),
    ("server-added", "info", "a new server", "`https://eu.example.com`"),
    # the document
    (
        "version-not-bumped",
        "warning",
        "breaking changes without a new info.version",
        "`1.4.0` on both sides",
    ),
    ("version-changed", "info", "info.version changed", "`1.4.0` → `2.0.0`"),
    ("spec-removed", "breaking", "a spec of the folder is gone", "`asyncapi.yaml`"),
    ("spec-added", "info", "a new spec in the folder", "`webhooks.yaml`"),
    # AsyncAPI
    ("channel-removed", "breaking", "a channel is gone", "`/v1/stream`"),
    ("channel-added", "info", "a new channel", "`/v2/stream`"),
    (
        "channel-address-changed",
        "breaking",
        "a channel's address changed",
        "`/v1/stream` → `/v2/stream`",
    ),
    ("channel-parameter-added", "breaking", "a channel address has a new parameter", "`{region}`"),
    ("channel-parameter-removed", "breaking", "a channel address parameter is gone", "`{region}`"),
    (
        "channel-binding-changed",
        "warning",
        "a channel's protocol bindings changed",
        "ws `query.heartbeat`",
    ),
    ("async-operation-removed", "breaking", "a websocket operation is gone", "`placeBet`"),
    ("async-operation-added", "info", "a new websocket operation", "`voidBet`"),
    (
        "async-operation-action-changed",
        "breaking",
        "an operation's action changed",
        "`send` → `receive`",
    ),
    (
        "async-operation-channel-changed",
        "breaking",
        "an operation moved to another channel",
        "`/v1/stream` → `/v1/bets`",
    ),
    ("async-reply-removed", "breaking", "an operation no longer replies", "`placeBet`"),
    ("async-reply-added", "warning", "an operation now replies", "`heartbeat`"),
    ("message-removed", "breaking", "a message of an operation is gone", "`betPlaced`"),
    ("message-added", "info", "an operation has a new message (sent by the client)", "`betVoided`"),
    (
        "message-added-received",
        "warning",
        "an operation has a new message the client receives",
        "`poolSuspended`",
    ),
    (
        "message-correlation-id-changed",
        "breaking",
        "a message is matched to its reply by another field",
        "`$message.payload#/id` → `#/requestId`",
    ),
    ("message-correlation-id-removed", "breaking", "a message has no correlation id now", ""),
    (
        "message-content-type-changed",
        "breaking",
        "a message's content type changed",
        "`application/json` → `application/avro`",
    ),
    (
        "async-security-requirement-added",
        "breaking",
        "an operation needs a credential it did not",
        "`apiKey` on `placeBet`",
    ),
    (
        "async-security-requirement-removed",
        "info",
        "an operation needs a credential less",
        "`apiKey` on `heartbeat`",
    ),
    ("async-server-removed", "breaking", "a server is gone", "`production`"),
    ("async-server-added", "info", "a new server", "`eu`"),
    (
        "async-server-protocol-changed",
        "breaking",
        "a server speaks another protocol",
        "`ws` → `wss`",
    ),
    # scenarios (Arazzo workflows over the specs)
    (
        "scenario-step-operation-missing",
        "breaking",
        "a scenario's step calls an operation or message that no longer exists",
        "`placeBet`",
    ),
    (
        "scenario-step-inputs-invalid",
        "breaking",
        "a scenario's step sends a body the new schema refuses",
        "`stake` now required",
    ),
]


RULES: dict[str, Rule] = _rules(
    *[
        (f"{side}-{suffix}", level, f"{what}: {summary}", example)
        for suffix, request, response, summary, example in _SCHEMA
        for side, level, what in (
            ("request", request, "sent by the client"),
            ("response", response, "received by the client"),
        )
    ],
    *_OTHERS,
)
