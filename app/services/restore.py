"""The import mode behind `eventry import`: a catalogue's history restored as it was exported.

A registration gives the next number, names the registering token as the author and stamps the
current time; restoring a backup must instead keep each version's number, author, note, times
and soft-deleted state, and each sample's and consumer's creation time. These use cases do that,
for an admin only. They only ever add: a version is restored above the event type's counter,
never over a number given already, so history cannot be rewritten through them. Each is audited
as an import by the importing actor, while the restored rows keep their original author.

Compatibility is not judged again: the history was judged when it was written, under the levels
of the time, which may have changed since; the content is still checked as a JSON Schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import Conflict, InvalidInput
from app.core.schema import Dialect
from app.core.times import format_time, parse_time
from app.db.base import utcnow
from app.db.models import Consumer, EventType, Sample, SchemaVersion
from app.db.queries import catalog as catalog_queries
from app.db.queries import schemas as schema_queries
from app.services import audit, authz, catalog, samples, schemas
from app.services.transaction import atomic
from app.services.views import version_view


def restore_version(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    number: int,
    schema: Any,
    history: dict[str, Any],
) -> SchemaVersion:
    """Store a version with the number and history it had: ``history`` may hold note, author,
    created_at and deleted_at (RFC 3339) and dialect (of a schema without ``$schema``).

    Raises Forbidden (not an admin), InvalidInput (not a JSON Schema, a bad time or dialect)
    and Conflict (the number is not above every number the event type has given)."""
    authz.admin(actor, "import versions")
    created, deleted = _time(history.get("created_at")), _time(history.get("deleted_at"))
    if created is not None and deleted is not None and deleted < created:
        raise InvalidInput("deleted_at is before created_at")
    document = schemas.stored_meaning(
        session, schemas.checked(schema, default=_dialect(history.get("dialect")))
    )
    with atomic(session):
        event_type = _locked(session, domain, name)
        _above_counter(event_type, number)
        stored = schema_queries.stored_schema(
            session, document.canonical, document.fingerprint, document.dialect.value
        )
        version = SchemaVersion(
            event_type=event_type,
            version=number,
            schema=stored,
            note=history.get("note", ""),
            author=history.get("author") or actor.name,
            created_at=created or utcnow(),
            deleted_at=deleted,
        )
        event_type.last_version = number
        session.add(version)
        session.flush()
        after = version_view(version) | _times(version.created_at, version.deleted_at)
        target = f"event:{domain}.{name}/versions/{number}"
        audit.record(session, actor.name, "version.import", target, after=after)
    return version


def restore_counter(
    session: Session, actor: Actor, domain: str, name: str, last_version: int
) -> EventType:
    """Raise the event type's counter to the last number its exported registry had given, so
    the numbers purged there are never given here either. Never lowers it (Conflict)."""
    authz.admin(actor, "import version counters")
    with atomic(session):
        event_type = _locked(session, domain, name)
        before = event_type.last_version
        if last_version < before:
            raise Conflict(
                f"{domain}.{name} has given number {before} already; the counter never goes back"
            )
        event_type.last_version = last_version
        audit.record(
            session,
            actor.name,
            "event.counter.import",
            f"event:{domain}.{name}",
            {"last_version": before},
            {"last_version": last_version},
        )
    return event_type


def restore_sample(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    sample: dict[str, Any],
) -> Sample:
    """Store a sample (``name``, ``payload``) with the creation time it had (``created_at``)."""
    authz.admin(actor, "import samples")
    created = _time(sample.get("created_at"))
    with atomic(session):
        stored = samples.add_sample(session, actor, domain, name, sample["name"], sample["payload"])
        stored.created_at = created or stored.created_at
    return stored


def restore_consumer(
    session: Session, actor: Actor, name: str, bus: str, created_at: str | None, **fields: Any
) -> Consumer:
    """Register a consumer (the fields of catalog.create_consumer) with the creation time it had."""
    authz.admin(actor, "import consumers")
    created = _time(created_at)
    with atomic(session):
        consumer = catalog.create_consumer(session, actor, name, bus, **fields)
        consumer.created_at = created or consumer.created_at
    return consumer


def _locked(session: Session, domain: str, name: str) -> EventType:
    found = catalog.get_event_type(session, domain, name)
    return catalog_queries.lock_event_type(session, found.id)


def _above_counter(event_type: EventType, number: int) -> None:
    if number <= event_type.last_version:
        ref = f"{event_type.domain.slug}.{event_type.name}"
        raise Conflict(
            f"{ref} has given numbers up to {event_type.last_version} already; an import adds "
            f"versions above them (v{number} is not), so it restores into an empty registry"
        )


def _time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError as error:
        raise InvalidInput(f"not an RFC 3339 time with a zone: {error}") from None


def _dialect(name: str | None) -> Dialect | None:
    if name is None:
        return None
    try:
        return Dialect(name)
    except ValueError:
        known = ", ".join(d.value for d in Dialect)
        raise InvalidInput(f"unknown dialect {name!r}; use one of {known}") from None


def _times(created: datetime, deleted: datetime | None) -> dict[str, str | None]:
    return {"created_at": format_time(created), "deleted_at": deleted and format_time(deleted)}
