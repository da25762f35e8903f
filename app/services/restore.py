"""The import mode behind `eventry import`: a catalogue's history restored as it was exported.

A registration gives the next number, names the registering token as the author and stamps the
current time; restoring a backup must instead keep each version's number, author, note, times
and soft-deleted state, its content's GUID, references, metadata and rule set, each sample's and
consumer's creation time, the Confluent subjects bound to each event type, and the modes and
compatibility groups of the registry and of each event type. These use cases do that, for an
admin only. They only ever add: a version is restored above the event type's counter,
never over a number given already, so history cannot be rewritten through them. Each is audited
as an import by the importing actor, while the restored rows keep their original author.

Compatibility is not judged again: the history was judged when it was written, under the levels
of the time, which may have changed since; the content is still checked as a JSON Schema. A
version's references name versions restored before it (under subjects bound before it), so an
import restores subjects first, then versions in an order where each reference's target comes
first; modes last. Schema ids are not kept: the importing registry numbers contents anew (an
export names none), while GUIDs are kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.contract import Contract
from app.core.errors import Conflict, InvalidInput
from app.core.schema import Dialect
from app.core.subjects import parse_subject
from app.core.times import format_time, parse_time
from app.core.vocabulary import check_fields
from app.db.base import utcnow
from app.db.models import Consumer, EventType, Sample, Schema, SchemaVersion, Setting, Subject
from app.db.queries import catalog as catalog_queries
from app.db.queries import schemas as schema_queries
from app.db.queries import subjects as subject_queries
from app.services import (
    audit,
    authz,
    catalog,
    contents,
    field_index,
    modes,
    notifications,
    samples,
    schemas,
    subject_settings,
)
from app.services.transaction import atomic
from app.services.views import contract_view, version_view


def restore_version(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    number: int,
    schema: Any,
    history: dict[str, Any],
    contract: Contract | None = None,
    guid: str | None = None,
) -> SchemaVersion:
    """Store a version with the number and history it had: ``history`` may hold note, author,
    created_at and deleted_at (RFC 3339) and dialect (of a schema without ``$schema``);
    ``contract`` its content's references (to versions restored already), metadata and rule
    set; ``guid`` its content's GUID (kept when the content is new here).

    Raises Forbidden (not an admin), InvalidInput (not a JSON Schema, a bad time or dialect, a
    reference naming no restored version, a note or author with control characters, as a
    registration refuses them) and Conflict (the number is not above every number
    the event type has given; the GUID names other content, or the content has another)."""
    authz.admin(actor, "import versions")
    check_fields({key: history.get(key) for key in ("note", "author")})
    created, deleted = _time(history.get("created_at")), _time(history.get("deleted_at"))
    if created is not None and deleted is not None and deleted < created:
        raise InvalidInput("deleted_at is before created_at")
    contract = contract or Contract()
    references = contents.referenced(session, contract)
    document = schemas.stored_meaning(
        session,
        schemas.checked(schema, default=_dialect(history.get("dialect")), references=references),
    )
    with atomic(session):
        event_type = _locked(session, domain, name)
        _above_counter(event_type, number)
        identity = contract.fingerprint(document)
        existing = schema_queries.schema_by_fingerprint(session, identity)
        if guid is not None:
            _check_guid(session, guid, existing)
        stored = contents.store(session, document, contract)
        if guid is not None and existing is None:
            stored.guid = guid
            session.flush()
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
        field_index.index_version(session, version, document)
        after = version_view(version) | _times(version.created_at, version.deleted_at)
        after |= contract_view(stored)
        target = f"event:{domain}.{name}/versions/{number}"
        audit.record(session, actor.name, "version.import", target, after=after)
        if deleted is None:  # a version imported live is news to the domain's webhooks
            notifications.version_registered(session, event_type, version)
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


def restore_subjects(
    session: Session, actor: Actor, domain: str, name: str, names: list[str]
) -> EventType:
    """Bind Confluent subject names to the event type, as the exporting registry had them
    bound (a name bound to it already stays). Raises Forbidden (not an admin), InvalidInput
    (a name no client could send, or a ``<domain>.<EventName>`` name, which needs no binding)
    and Conflict (a name bound to another event type)."""
    authz.admin(actor, "import subjects")
    with atomic(session):
        event_type = _locked(session, domain, name)
        ref = f"{domain}.{name}"
        for subject in names:
            if parse_subject(subject).direct is not None:
                raise InvalidInput(
                    f"{subject!r} names an event type itself and is never bound; bind "
                    "Confluent subjects such as orders-value"
                )
            bound = subject_queries.bound(session, subject)
            if bound is not None and bound.event_type_id != event_type.id:
                other = f"{bound.event_type.domain.slug}.{bound.event_type.name}"
                raise Conflict(f"subject {subject!r} is bound to {other} already, not to {ref}")
            if bound is None:
                session.add(Subject(name=subject, event_type=event_type))
                session.flush()
                target, after = f"subject:{subject}", {"event": ref}
                audit.record(session, actor.name, "subject.import", target, None, after)
                subject_settings.adopt(session, actor, subject, event_type)
    return event_type


def restore_event_settings(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    mode: str | None,
    compatibility_group: str | None,
) -> EventType:
    """Give the event type the mode and compatibility group it had (None: the registry's).
    Raises Forbidden (not an admin), InvalidMode and InvalidInput (a group holding a control
    character)."""
    authz.admin(actor, "import event settings")
    check_fields({"compatibility_group": compatibility_group})
    wanted = modes.parse_mode(mode).value if mode is not None else None
    with atomic(session):
        event_type = _locked(session, domain, name)
        before = _settings_view(event_type)
        event_type.mode = wanted
        event_type.compatibility_group = compatibility_group or None
        session.flush()
        target = f"event:{domain}.{name}/settings"
        after = _settings_view(event_type)
        audit.record(session, actor.name, "event.settings.import", target, before, after)
    return event_type


def restore_settings(
    session: Session, actor: Actor, mode: str, compatibility_group: str | None
) -> Setting:
    """Give the registry the mode and compatibility group it had; an import does this last,
    so a READONLY registry takes its history first. Raises Forbidden, InvalidMode and
    InvalidInput (a group holding a control character)."""
    authz.admin(actor, "import the registry's settings")
    check_fields({"compatibility_group": compatibility_group})
    wanted = modes.parse_mode(mode).value
    with atomic(session):
        setting = session.get(Setting, 1) or Setting(id=1)
        session.add(setting)
        before = _settings_view(setting)
        setting.mode = wanted
        setting.compatibility_group = compatibility_group or None
        session.flush()
        after = _settings_view(setting)
        audit.record(session, actor.name, "config.settings.import", "config", before, after)
    return setting


def _settings_view(holder: EventType | Setting) -> dict[str, str | None]:
    return {"mode": holder.mode, "compatibility_group": holder.compatibility_group}


def _check_guid(session: Session, guid: str, existing: Schema | None) -> None:
    """The GUID is the content's own: no other content holds it, and the content (when stored
    already) holds no other."""
    if existing is not None:
        if existing.guid != guid:
            raise Conflict(
                f"this content is stored with GUID {existing.guid} already; it cannot take {guid}"
            )
        return
    holder = subject_queries.schema_by_guid(session, guid)
    if holder is not None:
        raise Conflict(f"GUID {guid} names other content here (schema id {holder.id})")


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
