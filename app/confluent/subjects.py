"""Subjects and their versions: list, look up, register, read and delete."""

from __future__ import annotations

from flask import Blueprint, Response

from app.confluent import wire
from app.confluent.openapi import RAW, array_of, described, ref
from app.services import lookups, subjects, versions
from app.web import db_session, require_read_access, runtime, writer

bp = Blueprint("ccompat_subjects", __name__, url_prefix="/ccompat")
bp.register_error_handler(Exception, wire.error_answer)


@bp.get("/subjects")
@described(
    "List subjects",
    "Subjects (v1)",
    array_of("string"),
    query=("subjectPrefix", "deleted", "deletedOnly", "deleted_only"),
)
def list_subjects() -> Response:
    require_read_access()
    only = wire.flag("deletedOnly") or wire.flag("deleted_only")
    names = subjects.list_subjects(
        db_session(), wire.prefix(), wire.flag("deleted"), deleted_only=only
    )
    return wire.answer(names)


@bp.post("/subjects/<subject>")
@described(
    "Look up a schema under a subject",
    "Subjects (v1)",
    ref("Version"),
    (40401, 40403, 42201),
    ("deleted", "normalize"),
    "RegisterSchemaRequest",
)
def look_up(subject: str) -> Response:
    require_read_access()
    payload = wire.body()
    version = lookups.find_content(
        db_session(), subject, wire.schema_of(payload), wire.contract(payload), wire.flag("deleted")
    )
    return wire.answer(wire.version_body(subject, version))


@bp.delete("/subjects/<subject>")
@described(
    "Delete a subject's versions (soft, or permanent)",
    "Subjects (v1)",
    array_of("integer"),
    (40301, 40401, 40404, 40405, 42205, 42206),
    ("permanent",),
    auth="write",
)
def delete_subject(subject: str) -> Response:
    numbers = subjects.delete_subject(db_session(), writer(), subject, wire.flag("permanent"))
    return wire.answer(numbers)


@bp.get("/subjects/<subject>/versions")
@described(
    "List a subject's versions",
    "Subjects (v1)",
    array_of("integer"),
    (40401,),
    ("deleted", "deletedOnly", "deleted_only"),
)
def list_versions(subject: str) -> Response:
    require_read_access()
    only = wire.flag("deletedOnly") or wire.flag("deleted_only")
    found = lookups.versions_of(db_session(), subject, wire.flag("deleted") or only)
    if only:
        found = [each for each in found if each.deleted_at is not None]
    return wire.answer([each.version for each in found])


@bp.post("/subjects/<subject>/versions")
@described(
    "Register a schema under a subject",
    "Subjects (v1)",
    ref("RegisterSchemaResponse"),
    (409, 40301, 40401, 42201, 42205),
    ("normalize",),
    "RegisterSchemaRequest",
    "write",
)
def register(subject: str) -> Response:
    payload = wire.body()
    settings = runtime().settings
    outcome = versions.register_under_subject(
        db_session(),
        writer(),
        subject,
        wire.schema_of(payload),
        wire.contract(payload),
        versions.Wanted(wire.explicit(payload, "id"), wire.explicit(payload, "version")),
        subjects.Placement(settings.ccompat_domain, settings.ccompat_bus),
    )
    stored = outcome.version.schema
    body = {"id": stored.id, "version": outcome.version.version, "guid": stored.guid}
    return wire.answer({**body, "schemaType": wire.SCHEMA_TYPE})


@bp.get("/subjects/<subject>/versions/<version>")
@described(
    "Get a version of a subject",
    "Subjects (v1)",
    ref("Version"),
    (40401, 40402, 42202),
    ("deleted",),
)
def get_version(subject: str, version: str) -> Response:
    require_read_access()
    found = lookups.version_of(db_session(), subject, version, wire.flag("deleted"))
    return wire.answer(wire.version_body(subject, found))


@bp.get("/subjects/<subject>/versions/<version>/schema")
@described(
    "Get the schema text of a version", "Subjects (v1)", RAW, (40401, 40402, 42202), ("deleted",)
)
def get_version_schema(subject: str, version: str) -> Response:
    require_read_access()
    found = lookups.version_of(db_session(), subject, version, wire.flag("deleted"))
    return wire.raw_schema(found.schema)


@bp.delete("/subjects/<subject>/versions/<version>")
@described(
    "Delete a version (soft, or permanent)",
    "Subjects (v1)",
    {"type": "integer"},
    (40301, 40401, 40402, 40406, 40407, 42202, 42205, 42206),
    ("permanent",),
    auth="write",
)
def delete_version(subject: str, version: str) -> Response:
    session = db_session()
    actor = writer()
    permanent = wire.flag("permanent")
    # Soft-deleted versions are found too: a second soft delete is 40406, not 40402.
    found = lookups.version_of(session, subject, version, deleted=True)
    event_type = found.event_type
    deleted = versions.delete_version(
        session, actor, event_type.domain.slug, event_type.name, found.version, permanent, subject
    )
    return wire.answer(deleted.version)


@bp.get("/subjects/<subject>/versions/<version>/referencedby")
@described(
    "Ids of the schemas referencing a version",
    "Subjects (v1)",
    array_of("integer"),
    (40401, 40402, 42202),
)
def referenced_by(subject: str, version: str) -> Response:
    require_read_access()
    return wire.answer(lookups.referenced_by(db_session(), subject, version))


@bp.get("/subjects/<subject>/metadata")
@described(
    "The newest version with these metadata properties",
    "Subjects (v1)",
    ref("Version"),
    (40401, 40402),
    ("key", "value", "deleted"),
)
def latest_with_metadata(subject: str) -> Response:
    require_read_access()
    found = lookups.latest_with_metadata(
        db_session(), subject, wire.metadata_filter(), wire.flag("deleted")
    )
    return wire.answer(wire.version_body(subject, found))
