"""Interoperability: example events and code bindings of a schema version; schema discovery
from raw events and stateless inference from samples."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from app.api.requests import documented, flag, json_body, ndjson_lines
from app.core.bindings import Language
from app.core.discovery.envelopes import MAX_TYPE_FIELD
from app.core.ndjson import MEDIA_TYPE as NDJSON
from app.core.vocabulary import number_between
from app.services import bindings, discovery, examples
from app.web import db_session, require_read_access, writer

bp = Blueprint("interop", __name__, url_prefix="/api/v1")


@bp.get("/events/<domain>/<name>/versions/<number>/example")
@documented(
    "A realistic example event that validates against the version (generated from its "
    "examples, defaults, enums, formats and bounds; the same seed gives the same event); 422 "
    "when the schema admits no value the generator can make",
    tag="versions",
    answer="ExampleEvent",
    query={
        "seed": (
            {"type": "integer", "minimum": 0, "maximum": examples.MAX_SEED, "default": 0},
            "Another seed gives another example.",
        )
    },
)
def example(domain: str, name: str, number: str) -> Response:
    require_read_access()
    raw = request.args.get("seed", "0")
    seed = number_between(raw, 0, examples.MAX_SEED)
    if seed is None:
        raise BadRequest(
            f"seed must be a whole number from 0 to {examples.MAX_SEED} (got {raw[:40]!r})"
        )
    found = examples.example(db_session(), domain, name, number, seed)
    return jsonify(found.to_dict())


@bp.get("/events/<domain>/<name>/versions/<number>/bindings/<language>")
@documented(
    "Code bindings of the version: python (pydantic v2 models by datamodel-code-generator) or "
    "typescript (interfaces by json-schema-to-typescript), with the event's description and "
    "version in the root model's docstring; 422 when the generator refuses the schema",
    tag="versions",
    produces=[language.media_type for language in Language],
)
def version_bindings(domain: str, name: str, number: str, language: str) -> Response:
    require_read_access()
    wanted = bindings.language_of(language)
    version, source = bindings.version_binding(db_session(), domain, name, number, wanted)
    response = Response(source, mimetype=wanted.media_type)
    filename = f"{name}_v{version}{wanted.suffix}"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.post("/buses/<bus>/discover")
@documented(
    "Discover schemas from raw events (EventBridge, CloudEvents or plain JSON, one a line): "
    "one inferred schema per type, proposed as a new event type or a new version with its "
    "compatibility verdict and consumer impact; registered only with apply=true, and only "
    "when compatible",
    tag="discovery",
    answer="Discovery",
    stream=(
        "Raw events, one JSON object a line (application/x-ndjson), up to "
        "EVENTRY_MAX_EVENTS_PER_DISCOVERY lines (docs/interop.md, Schema discovery)."
    ),
    flags={
        "enums": "true: a string field of few distinct values gets an enum.",
        "apply": "true: register every compatible proposal (needs a token of the owner).",
    },
    query={
        "type_field": (
            {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_TYPE_FIELD,
                "default": "type",
            },
            "The member that names the type of a plain JSON event, or a JSON pointer to it "
            "(/meta/type).",
        )
    },
)
def discover(bus: str) -> Response:
    apply = bool(flag("apply"))
    actor = writer() if apply else None
    if actor is None:
        require_read_access()
    if request.mimetype != NDJSON:
        raise UnsupportedMediaType(
            f"send the raw events as NDJSON with 'Content-Type: {NDJSON}', one a line "
            f"(got {request.mimetype or 'no content type'!r})"
        )
    type_field = request.args.get("type_field", "type")
    if not 1 <= len(type_field) <= MAX_TYPE_FIELD:
        raise BadRequest(f"type_field must be a member name of 1 to {MAX_TYPE_FIELD} characters")
    options = discovery.Options(type_field, bool(flag("enums")), apply)
    found = discovery.discover(db_session(), actor, bus, ndjson_lines(), options)
    return jsonify(found.to_dict())


@bp.post("/infer")
@documented(
    "Infer a JSON Schema from samples (registers nothing): merged from every sample, with "
    "formats detected, required = present in every sample, and the optional fields' frequency",
    body="infer",
    tag="discovery",
    answer="Inferred",
)
def infer() -> Response:
    require_read_access()
    body = json_body("infer")
    return jsonify(discovery.infer(body["samples"], body.get("enums", False)))
