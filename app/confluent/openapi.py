"""The OpenAPI 3.1 document of the Confluent-compatible API, served at /ccompat/openapi.json and
built from the routes as the native one is (app.apidoc): each view says what it takes and
answers with ``described``; the shapes, parameters and error codes it names are defined here
once. Shapes follow Confluent's entities (io.confluent.kafka.schemaregistry.client.rest.entities)
with Eventry's extra members (``guid``, ``deleted``, ``errors``); docs/confluent-compat.md is
the prose beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, current_app

from app.apidoc import describe, described_routes, document, path_parameters
from app.confluent import wire
from app.core.vocabulary import CompatibilityLevel, Mode

ATTRIBUTE = "ccompat_openapi"
bp = Blueprint("ccompat_openapi", __name__, url_prefix="/ccompat")

INT32 = {"type": "integer", "format": "int32", "minimum": 1, "maximum": 2**31 - 1}
_ANY_OBJECT = {"type": "object"}


def ref(name: str) -> dict[str, str]:
    """A reference to one of the document's shapes."""
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def array_of(kind: str) -> dict[str, Any]:
    """An array of a JSON type's values (``"string"``, ``"integer"``)."""
    return _array({"type": kind})


def _closed(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


_REFERENCE = _closed(
    ["name", "subject", "version"],
    {"name": {"type": "string"}, "subject": {"type": "string"}, "version": {"type": "integer"}},
)
_CONTENT = {
    "schemaType": {"const": wire.SCHEMA_TYPE},
    "schema": {"type": "string", "description": "The schema as canonical JSON text."},
    "references": _array(ref("SchemaReference")),
    "metadata": {**_ANY_OBJECT, "description": "Data-contract metadata, as registered."},
    "ruleSet": {**_ANY_OBJECT, "description": "Data-contract rule set, as registered."},
    "guid": {"type": "string", "format": "uuid"},
}
_LEVEL = {"enum": list(CompatibilityLevel)}
SCHEMAS: dict[str, Any] = {
    "ErrorMessage": {
        "type": "object",
        "required": ["error_code", "message"],
        "properties": {
            "error_code": {"type": "integer"},
            "message": {"type": "string"},
            "errors": _array(_ANY_OBJECT),
        },
        "additionalProperties": False,
    },
    "SchemaReference": _REFERENCE,
    "RegisterSchemaRequest": {
        "type": "object",
        "description": "Unknown members are accepted and ignored.",
        "properties": {
            "schema": {
                "type": ["string", "object", "boolean"],
                "description": "The JSON Schema as JSON text (as Confluent's clients send it).",
            },
            "schemaType": {
                "type": ["string", "null"],
                "description": "JSON, or absent; AVRO and PROTOBUF answer 42201.",
            },
            "references": {
                "type": ["array", "null"],
                "items": ref("SchemaReference"),
                "description": "null: none.",
            },
            "metadata": {"type": ["object", "null"]},
            "ruleSet": {"type": ["object", "null"]},
            "id": {"type": "integer", "description": "IMPORT mode; 0, -1 or absent: any."},
            "version": {"type": "integer", "description": "IMPORT mode; 0, -1 or absent: any."},
        },
        "required": ["schema"],
    },
    "RegisterSchemaResponse": _closed(
        ["id", "version", "guid", "schemaType"],
        {
            "id": INT32,
            "version": INT32,
            "guid": _CONTENT["guid"],
            "schemaType": _CONTENT["schemaType"],
        },
    ),
    "Schema": _closed(
        ["id", "schemaType", "schema", "references", "guid"],
        {
            "id": INT32,
            "subject": {"type": "string", "description": "With `subject`: the one read."},
            "version": {**INT32, "description": "With `subject`: the version read."},
            **_CONTENT,
        },
    ),
    "Version": _closed(
        ["subject", "version", "id", "guid", "schemaType", "schema", "references", "deleted"],
        {
            "subject": {"type": "string"},
            "version": INT32,
            "id": INT32,
            **_CONTENT,
            "deleted": {"type": "boolean"},
        },
    ),
    "SubjectVersion": _closed(
        ["subject", "version"], {"subject": {"type": "string"}, "version": INT32}
    ),
    "CompatibilityCheckResponse": _closed(
        ["is_compatible"],
        {"is_compatible": {"type": "boolean"}, "messages": _array({"type": "string"})},
    ),
    "Config": _closed([], {"compatibilityLevel": _LEVEL, "compatibilityGroup": {"type": "string"}}),
    "ConfigUpdateRequest": {
        "type": "object",
        "description": "Levels are read in any case. Unknown members are accepted and ignored, "
        "and a member that is null counts as absent (as Confluent's ConfigUpdateRequest reads "
        "JSON null); a body naming neither a level nor a group is 42203.",
        "properties": {
            "compatibility": {"type": ["string", "null"], "examples": ["FULL"]},
            "compatibilityLevel": {
                "description": "As `compatibility` when that is absent (then a level, else "
                "42203); ignored when `compatibility` is given, as an unknown member.",
            },
            "compatibilityGroup": {"type": ["string", "null"], "description": '"" clears it.'},
        },
    },
    "ConfigUpdateResponse": _closed(
        [], {"compatibility": _LEVEL, "compatibilityGroup": {"type": "string"}}
    ),
    "ModeUpdateRequest": {
        "type": "object",
        "required": ["mode"],
        "properties": {"mode": {"type": "string", "description": "Read in any case."}},
    },
    "Mode": _closed(["mode"], {"mode": {"enum": list(Mode)}}),
    "ServerClusterId": _closed(["scope"], {"scope": _ANY_OBJECT}),
    "Association": _closed(
        [
            "subject",
            "resourceName",
            "resourceNamespace",
            "resourceId",
            "resourceType",
            "associationType",
            "frozen",
        ],
        {
            "subject": {"type": "string"},
            "resourceName": {"type": "string"},
            "resourceNamespace": {"type": "string"},
            "resourceId": {"type": "string"},
            "resourceType": {"const": "topic"},
            "associationType": {"const": "value"},
            "frozen": {"type": "boolean"},
        },
    ),
}

# Query booleans as Confluent's Jersey reads them (Boolean.valueOf): `true` in any case is true,
# any other value false; no value is refused, so the document says string, not boolean.
_FLAG = {"type": "string", "examples": ["true", "false"]}
QUERY: dict[str, tuple[dict[str, Any], str]] = {
    "subjectPrefix": ({"type": "string"}, "Only subjects starting so; `:*:` means every one."),
    "deleted": (_FLAG, "Include soft-deleted versions (any case: `true`, `True`)."),
    "deletedOnly": (_FLAG, "Only soft-deleted ones."),
    "deleted_only": (_FLAG, "As `deletedOnly`."),
    "latestOnly": (_FLAG, "Only each subject's latest version."),
    "normalize": (_FLAG, "Accepted; schemas are always stored canonical."),
    "permanent": (_FLAG, "Delete for good (admin; after a soft delete)."),
    "verbose": (_FLAG, "Add `messages` explaining the verdict."),
    "force": (_FLAG, "IMPORT on a registry or subject that has versions."),
    "defaultToGlobal": (_FLAG, "Without a setting of its own, answer the registry's."),
    "offset": (
        {"anyOf": [{"type": "integer", "minimum": 0}, {"const": ""}]},
        "Skip this many (empty: 0).",
    ),
    "limit": (
        {"anyOf": [{"type": "integer", "minimum": -1}, {"const": ""}]},
        "At most this many; -1 or empty: all.",
    ),
    "subject": ({"type": "string"}, "The subject the id is read under (see the docs)."),
    "format": ({"type": "string"}, "Accepted; JSON Schema is answered canonical anyway."),
    "key": (_array({"type": "string"}), "`metadata.properties` keys, paired with `value`."),
    "value": (_array({"type": "string"}), "The values the keys must have, in order."),
    "associationType": ({"type": "string"}, "`value` (default) or `key`."),
    "resourceType": ({"type": "string"}, "Accepted; topics only."),
}
_PATH = {
    "subject": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[^\\u0000-\\u001f\\u007f/]+$",
        "description": "A subject: `<topic>-value`, a record name, `<domain>.<EventName>`, "
        "`:.<domain>:<name>`.",
    },
    "version": {
        "type": "string",
        "pattern": "^ *([Ll][Aa][Tt][Ee][Ss][Tt]|[+-]?[0-9]{1,10}) *$",
        "description": "1 to 2^31-1, `latest` (any case) or -1.",
        "examples": ["latest", "1"],
    },
    "schema_id": INT32,
    "guid": {"type": "string", "format": "uuid"},
    "namespace": {"type": "string"},
    "name": {"type": "string"},
}
# Confluent's error codes: (HTTP status, when). docs/confluent-compat.md#error-codes.
ERRORS: dict[int, tuple[int, str]] = {
    400: (
        400,
        "the URL holds a control character, the body is not a JSON object, or offset/limit "
        "are not whole numbers",
    ),
    40101: (401, "no token, or an unknown, revoked or expired one"),
    40301: (403, "the token may not do this"),
    40401: (404, "subject not found"),
    40402: (404, "version not found"),
    40403: (404, "schema not found"),
    40404: (404, "subject soft-deleted already"),
    40405: (404, "subject not soft-deleted before a permanent delete"),
    40406: (404, "version soft-deleted already"),
    40407: (404, "version not soft-deleted before a permanent delete"),
    40408: (404, "no compatibility level of its own"),
    40409: (404, "no mode of its own"),
    409: (409, "incompatible schema"),
    413: (413, "body too large"),
    422: (422, "a malformed subject or context"),
    42201: (422, "invalid schema, references, metadata or rule set"),
    42202: (422, "invalid version"),
    42203: (422, "invalid compatibility level or group"),
    42204: (422, "invalid mode"),
    42205: (422, "operation not permitted in this mode"),
    42206: (422, "referenced by another schema"),
    429: (429, "rate limited; see Retry-After"),
    50001: (500, "unexpected error"),
    50002: (503, "database unavailable; nothing changed; see Retry-After"),
}
RAW = "raw"  # an answer that is the schema's own JSON text


def described(
    summary: str,
    tag: str,
    answer: dict[str, Any] | str,
    errors: tuple[int, ...] = (),
    query: tuple[str, ...] = (),
    body: str | None = None,
    auth: str = "read",
) -> Callable:
    """Describe a /ccompat view: its success ``answer`` (a schema, or RAW), the Confluent
    ``errors`` it may answer besides those every operation may, its ``query`` parameters, its
    ``body`` (a component name) and ``auth`` ("write", "read" or "open")."""
    meta = {
        "summary": summary,
        "tag": tag,
        "answer": answer,
        "errors": errors,
        "query": query,
        "body": body,
        "auth": auth,
    }
    return describe(ATTRIBUTE, meta)


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """This document."""
    return wire.answer(build_document(current_app))


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of every described /ccompat route."""
    paths: dict[str, dict[str, Any]] = {}
    for rule, path, method, meta in described_routes(app, ATTRIBUTE):
        operation = {
            "operationId": f"ccompat_{rule.endpoint.rpartition('.')[2]}",
            "summary": meta["summary"],
            "tags": [meta["tag"]],
            "parameters": _parameters(rule, meta),
            "responses": _responses(rule, meta),
            "security": _SECURITY[meta["auth"]],
        }
        if meta["body"]:
            operation["requestBody"] = {"required": True, "content": _media(ref(meta["body"]))}
        paths.setdefault(path, {})[method] = operation
    description = (
        "Confluent Schema Registry's REST API, for JSON Schema, over Eventry "
        "(docs/confluent-compat.md). Errors are `{error_code, message}` with Confluent's codes. "
        "Reads need a token only under EVENTRY_READ_AUTH=token. Query booleans are read as "
        "Confluent reads them: `true` in any case is true, anything else false. Unknown body "
        "members are accepted and ignored, as Confluent's clients rely on. The native API is "
        "described at /api/v1/openapi.json."
    )
    return document("Eventry: Confluent-compatible API", description, paths, {"schemas": SCHEMAS})


_SECURITY = {
    "write": [{"bearer": []}, {"basic": []}],
    "read": [{}, {"bearer": []}, {"basic": []}],
    "open": [],
}


def _media(schema: dict[str, Any]) -> dict[str, Any]:
    return {media: {"schema": schema} for media in wire.MEDIA_TYPES}


def _parameters(rule, meta: dict[str, Any]) -> list[dict[str, Any]]:
    found = path_parameters(rule, _PATH)
    for name in meta["query"]:
        schema, text = QUERY[name]
        found.append({"name": name, "in": "query", "schema": schema, "description": text})
    return found


def _responses(rule, meta: dict[str, Any]) -> dict[str, Any]:
    answer = meta["answer"]
    schema = {"description": "The schema's JSON text."} if answer == RAW else answer
    found: dict[str, Any] = {"200": {"description": "Success", "content": _media(schema)}}
    # Any URL may hold a control character, which every route refuses (400, app.http_input).
    codes = [*meta["errors"], 400, 429, 50001, 50002]
    codes += [40101] if meta["auth"] != "open" else []
    codes += [413] if meta["body"] else []
    codes += [422] if "<subject>" in rule.rule else []
    by_status: dict[int, list[int]] = {}
    for code in sorted(set(codes)):
        by_status.setdefault(ERRORS[code][0], []).append(code)
    for status, listed in sorted(by_status.items()):
        text = "; ".join(f"{code}: {ERRORS[code][1]}" for code in listed)
        error = {"allOf": [ref("ErrorMessage")], "properties": {"error_code": {"enum": listed}}}
        found[str(status)] = {"description": text, "content": _media(error)}
    return found
