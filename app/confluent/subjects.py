"""Subjects and their versions: list, look up, register, read and delete."""

from __future__ import annotations

from flask import Blueprint, Response

from app.confluent import wire
from app.core.contract import checked_contract
from app.core.errors import InvalidSchemaInput
from app.services import lookups, subjects, versions
from app.web import db_session, require_read_access, runtime, writer

bp = Blueprint("ccompat_subjects", __name__, url_prefix="/ccompat")
bp.register_error_handler(Exception, wire.error_answer)


@bp.get("/subjects")
def list_subjects() -> Response:
    require_read_access()
    only = wire.flag("deletedOnly") or wire.flag("deleted_only")
    names = subjects.list_subjects(
        db_session(), wire.prefix(), wire.flag("deleted"), deleted_only=only
    )
    return wire.answer(names)


@bp.post("/subjects/<subject>")
def look_up(subject: str) -> Response:
    require_read_access()
    payload = wire.body()
    version = lookups.find_content(
        db_session(), subject, wire.schema_of(payload), _contract(payload), wire.flag("deleted")
    )
    return wire.answer(wire.version_body(subject, version))


@bp.delete("/subjects/<subject>")
def delete_subject(subject: str) -> Response:
    numbers = subjects.delete_subject(db_session(), writer(), subject, wire.flag("permanent"))
    return wire.answer(numbers)


@bp.get("/subjects/<subject>/versions")
def list_versions(subject: str) -> Response:
    require_read_access()
    only = wire.flag("deletedOnly") or wire.flag("deleted_only")
    found = lookups.versions_of(db_session(), subject, wire.flag("deleted") or only)
    if only:
        found = [each for each in found if each.deleted_at is not None]
    return wire.answer([each.version for each in found])


@bp.post("/subjects/<subject>/versions")
def register(subject: str) -> Response:
    payload = wire.body()
    settings = runtime().settings
    outcome = versions.register_under_subject(
        db_session(),
        writer(),
        subject,
        wire.schema_of(payload),
        _contract(payload),
        versions.Wanted(_explicit(payload, "id"), _explicit(payload, "version")),
        subjects.Placement(settings.ccompat_domain, settings.ccompat_bus),
    )
    stored = outcome.version.schema
    body = {"id": stored.id, "version": outcome.version.version, "guid": stored.guid}
    return wire.answer({**body, "schemaType": wire.SCHEMA_TYPE})


@bp.get("/subjects/<subject>/versions/<version>")
def get_version(subject: str, version: str) -> Response:
    require_read_access()
    found = lookups.version_of(db_session(), subject, version, wire.flag("deleted"))
    return wire.answer(wire.version_body(subject, found))


@bp.get("/subjects/<subject>/versions/<version>/schema")
def get_version_schema(subject: str, version: str) -> Response:
    require_read_access()
    found = lookups.version_of(db_session(), subject, version, wire.flag("deleted"))
    return wire.raw_schema(found.schema)


@bp.delete("/subjects/<subject>/versions/<version>")
def delete_version(subject: str, version: str) -> Response:
    session = db_session()
    actor = writer()
    permanent = wire.flag("permanent")
    # Soft-deleted versions are found too: a second soft delete is 40406, not 40402.
    found = lookups.version_of(session, subject, version, deleted=True)
    event_type = found.event_type
    deleted = versions.delete_version(
        session, actor, event_type.domain.slug, event_type.name, found.version, permanent
    )
    return wire.answer(deleted.version)


@bp.get("/subjects/<subject>/versions/<version>/referencedby")
def referenced_by(subject: str, version: str) -> Response:
    require_read_access()
    return wire.answer(lookups.referenced_by(db_session(), subject, version))


@bp.get("/subjects/<subject>/metadata")
def latest_with_metadata(subject: str) -> Response:
    require_read_access()
    found = lookups.latest_with_metadata(
        db_session(), subject, wire.metadata_filter(), wire.flag("deleted")
    )
    return wire.answer(wire.version_body(subject, found))


def _contract(payload: dict):
    return checked_contract(
        payload.get("references"), payload.get("metadata"), payload.get("ruleSet")
    )


def _explicit(payload: dict, word: str) -> int | None:
    # Clients send 0 or -1 (or nothing) for "let the registry choose".
    value = payload.get(word)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidSchemaInput(f"{word} must be a whole number")
    return value if value > 0 else None
