"""Schemas by global id and GUID, the schema list, the types served, and compatibility
checks of a candidate against a subject's versions."""

from __future__ import annotations

from flask import Blueprint, Response

from app import http_cache
from app.confluent import wire
from app.confluent.openapi import RAW, array_of, described, ref
from app.services import compatibility, lookups, served
from app.web import db_session, require_read_access

bp = Blueprint("ccompat_schemas", __name__, url_prefix="/ccompat")
# An unknown id is 40403; an id past 2^31-1 matches no route (app.http_input): 40401.
ID_ERRORS = (40401, 40403)
bp.register_error_handler(Exception, wire.error_answer)


@bp.get("/schemas")
@described(
    "List schemas (as versions)",
    "Schemas (v1)",
    {"type": "array", "items": ref("Version")},
    (400,),
    ("subjectPrefix", "latestOnly", "deleted", "offset", "limit"),
)
def list_schemas() -> Response:
    require_read_access()
    offset, limit = wire.whole("offset", 0), wire.whole("limit", -1, least=-1)
    uses = lookups.latest_uses(
        db_session(), wire.prefix(), wire.flag("latestOnly"), wire.flag("deleted")
    )
    uses = uses[offset:] if limit < 0 else uses[offset : offset + limit]
    return wire.answer([wire.version_body(use.subject, use.version) for use in uses])


@bp.get("/schemas/types")
@described(
    "The schema types served",
    "Schemas (v1)",
    {"type": "array", "items": {"const": "JSON"}},
    auth="open",
)
def schema_types() -> Response:
    return wire.answer([wire.SCHEMA_TYPE])


@bp.get("/schemas/ids/<int:schema_id>")
@described(
    "Get a schema by its global id",
    "Schemas (v1)",
    ref("Schema"),
    ID_ERRORS,
    ("subject", "format"),
)
def by_id(schema_id: int) -> Response:
    # Every serializer asks this: answered from the bytes kept for the content (app.http_cache).
    require_read_access()
    found = served.schema_as(db_session(), schema_id, wire.subject_filter())

    def render() -> bytes:
        stored, use = found.load()
        named = {"subject": use.subject, "version": use.version.version} if use else {}
        return wire.encoded({"id": stored.id, **named, **wire.schema_body(stored)})

    body = http_cache.body((*found.key, "ccompat"), render)
    control = http_cache.IMMUTABLE if found.lasting else http_cache.REVALIDATE
    return http_cache.answer(body, wire.media_type(), control)


@bp.get("/schemas/ids/<int:schema_id>/schema")
@described(
    "Get a schema's text by its global id",
    "Schemas (v1)",
    RAW,
    ID_ERRORS,
    ("subject", "format"),
)
def raw_by_id(schema_id: int) -> Response:
    require_read_access()
    stored, _ = lookups.schema_for_subject(db_session(), schema_id, wire.subject_filter())
    return wire.raw_schema(stored)


@bp.get("/schemas/ids/<int:schema_id>/subjects")
@described(
    "Subjects using a schema",
    "Schemas (v1)",
    array_of("string"),
    ID_ERRORS,
    ("subject", "deleted"),
)
def subjects_of(schema_id: int) -> Response:
    require_read_access()
    uses = lookups.uses_of(db_session(), schema_id, wire.subject_filter(), wire.flag("deleted"))
    return wire.answer(sorted({use.subject for use in uses}))


@bp.get("/schemas/ids/<int:schema_id>/versions")
@described(
    "Subject versions using a schema",
    "Schemas (v1)",
    {"type": "array", "items": ref("SubjectVersion")},
    ID_ERRORS,
    ("subject", "deleted"),
)
def versions_of(schema_id: int) -> Response:
    require_read_access()
    uses = lookups.uses_of(db_session(), schema_id, wire.subject_filter(), wire.flag("deleted"))
    return wire.answer([{"subject": use.subject, "version": use.version.version} for use in uses])


@bp.get("/schemas/guids/<guid>")
@described("Get a schema by its GUID", "Schemas (v1)", ref("Schema"), (40403,))
def by_guid(guid: str) -> Response:
    require_read_access()
    stored = lookups.schema_by_guid(db_session(), guid)
    return wire.answer({"id": stored.id, **wire.schema_body(stored)})


@bp.post("/compatibility/subjects/<subject>/versions/<version>")
@described(
    "Test compatibility with one version",
    "Compatibility (v1)",
    ref("CompatibilityCheckResponse"),
    (40401, 40402, 42201, 42202),
    ("verbose", "normalize"),
    "RegisterSchemaRequest",
)
def check_one(subject: str, version: str) -> Response:
    return _check(subject, version)


@bp.post("/compatibility/subjects/<subject>/versions")
@described(
    "Test compatibility with the versions the level compares",
    "Compatibility (v1)",
    ref("CompatibilityCheckResponse"),
    (42201,),
    ("verbose", "normalize"),
    "RegisterSchemaRequest",
)
def check_all(subject: str) -> Response:
    return _check(subject, None)


def _check(subject: str, version: str | None) -> Response:
    require_read_access()
    payload = wire.body()
    # The body is a registration's (RegisterSchemaRequest): its id and version are checked as
    # a registration's are, and play no part in the verdict.
    wire.explicit(payload, "id")
    wire.explicit(payload, "version")
    verdict = compatibility.what_if_subject(
        db_session(), subject, wire.schema_of(payload), wire.contract(payload), version
    )
    body = {"is_compatible": verdict.compatible}
    if wire.flag("verbose"):
        body["messages"] = wire.messages_of(verdict)
    return wire.answer(body)
