"""Interoperability: example events and code bindings of a schema version."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from app.api.requests import documented
from app.core.bindings import Language
from app.core.vocabulary import is_digits
from app.services import bindings, examples
from app.web import db_session, require_read_access

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
    if not is_digits(raw) or len(raw) > 10 or int(raw) > examples.MAX_SEED:
        raise BadRequest(
            f"seed must be a whole number from 0 to {examples.MAX_SEED} (got {raw[:40]!r})"
        )
    found = examples.example(db_session(), domain, name, number, int(raw))
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
