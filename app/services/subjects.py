"""Confluent subjects as event types: which event type a subject names, binding a new subject
on its first registration, listing and deleting subjects.

The rules of reading a subject name are in app.core.subjects; docs/confluent-compat.md tells
users how a subject finds its event type.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import (
    AlreadyDeleted,
    Forbidden,
    NotFound,
    NotSoftDeleted,
    StillReferenced,
)
from app.core.subjects import SubjectName, event_name_for, parse_subject, record_name
from app.db.base import utcnow
from app.db.models import EventType, Subject
from app.db.queries import catalog as catalog_queries
from app.db.queries import subjects as subject_queries
from app.services import audit, authz, catalog, modes, subject_settings
from app.services.transaction import atomic
from app.services.views import version_view

NAMED = "named by the subject"


@dataclass(frozen=True)
class Placement:
    """Where a subject nothing is bound to gets its event type: the default domain (created on
    first use) and, when set and existing, the default bus (EVENTRY_CCOMPAT_DOMAIN and
    EVENTRY_CCOMPAT_BUS)."""

    domain: str = "unassigned"
    bus: str | None = None


def find(session: Session, subject: str) -> EventType:
    """Return the event type a subject names: its binding, else ``<domain>.<EventName>`` (or
    a context's ``:.<domain>:<EventName>``). Raises NotFound (Confluent's 40401) and
    InvalidInput for a subject no client could send."""
    name = parse_subject(subject)
    found = _existing(session, name)
    if found is None:
        raise NotFound(f"Subject '{subject}' not found.")
    return found


def _existing(session: Session, name: SubjectName) -> EventType | None:
    return subject_queries.named_event_type(session, name.key, name.direct)


def for_registration(
    session: Session, actor: Actor, subject: str, schema: object, placement: Placement
) -> EventType:
    """Return the event type a registration under the subject goes to, binding the subject
    (and creating the event type) when nothing is bound yet; every write is audited, and the
    audit entry of a new binding says how the event type was chosen.

    A new subject goes, in this order, to: the event type ``<domain>.<EventName>`` names
    (created in that existing domain); an event type of the schema's ``title`` on the
    subject's topic bus, or anywhere when only one has that name; for a ``<topic>-value`` (or
    ``-key``) subject, the one event type the topic's bus carries; else a new event type named
    after the title (else the topic, else the subject) in the domain of the topic's bus when the
    actor owns it, else the one domain the actor's team owns, else the landing domain (which
    Eventry creates, owned by a team of its own name, and where every team may register).
    Only event types the actor may register to are candidates.

    Raises InvalidInput (a subject no client could send), NotFound (a direct subject's domain
    does not exist), Forbidden (the actor may not write there)."""
    name = parse_subject(subject)
    found = _existing(session, name)
    if found is not None:
        return found
    with atomic(session):
        event_type, how = _place(session, actor, name, record_name(schema), placement)
        if how != NAMED:
            session.add(Subject(name=name.key, event_type=event_type))
            session.flush()
            target = f"subject:{name.key}"
            after = {"event": _ref(event_type), "chosen": how}
            audit.record(session, actor.name, "subject.bind", target, after=after)
        subject_settings.adopt(session, actor, name.key, event_type)
    return event_type


def _place(
    session: Session, actor: Actor, name: SubjectName, record: str, placement: Placement
) -> tuple[EventType, str]:
    direct = name.direct
    if direct is not None and catalog_queries.domain_by_slug(session, direct[0]) is not None:
        return catalog.create_event_type(session, actor, *direct), NAMED
    # A dotted name whose first part is no domain is a record name (``acme.PaymentFailed``).
    topic = name.topic or name.record_topic(record)
    bus = catalog_queries.bus_by_slug(session, topic) if topic else None
    wanted = event_name_for(record, name.local if topic is None else topic)
    same = _named(session, actor, wanted, bus.id if bus is not None else None, placement)
    if same is not None:
        return same, f"the event type named {wanted} by the schema's title or the subject"
    sole = _sole_on_bus(session, actor, bus, placement) if name.topic else None
    if sole is not None:
        return sole, f"the one event type the topic's bus {bus.slug} carries"
    domain, why = _domain_for(session, actor, name, bus, placement)
    existing = catalog_queries.event_type_by_name(session, domain, wanted)
    if existing is not None:
        return existing, f"{domain}.{wanted} exists ({why})"
    bus_slug = bus.slug if bus is not None else _default_bus(session, placement)
    created = catalog.create_event_type(
        session,
        actor,
        domain,
        wanted,
        landing=placement.domain,
        bus=bus_slug,
        description=f"Registered as {name.text}",
    )
    return created, f"created in {domain} ({why})"


def _named(
    session: Session, actor: Actor, event_name: str, bus_id: int | None, placement: Placement
) -> EventType | None:
    candidates = [
        each
        for each in catalog_queries.event_types_named(session, event_name)
        if _may_register(actor, each, placement)
    ]
    on_bus = [each for each in candidates if bus_id is not None and each.bus_id == bus_id]
    if len(on_bus) == 1:
        return on_bus[0]
    return candidates[0] if len(candidates) == 1 and bus_id is None else None


def _sole_on_bus(session: Session, actor: Actor, bus, placement: Placement) -> EventType | None:
    # TopicNameStrategy: the topic's subject is the event type its bus carries, when only one.
    if bus is None:
        return None
    carried = catalog_queries.event_types_on_bus(session, bus.id)
    if len(carried) == 1 and _may_register(actor, carried[0], placement):
        return carried[0]
    return None


def _may_register(actor: Actor, event_type: EventType, placement: Placement) -> bool:
    # A subject is never bound to an event type its registrant could not register to.
    try:
        authz.registrar(actor, event_type.domain, placement.domain)
    except Forbidden:
        return False
    return True


def _domain_for(
    session: Session, actor: Actor, name: SubjectName, bus, placement: Placement
) -> tuple[str, str]:
    if name.context is not None:
        return name.context, "the subject's context"
    if bus is not None and (actor.admin or bus.domain.owner.slug == actor.team):
        return bus.domain.slug, f"the domain of the topic's bus {bus.slug}"
    if actor.team is not None:
        owned = subject_queries.team_domains(session, actor.team)
        if len(owned) == 1:
            return owned[0].slug, f"the one domain team {actor.team} owns"
    _ensure_default_domain(session, actor, placement.domain)
    return placement.domain, "the default domain for new subjects"


def _ensure_default_domain(session: Session, actor: Actor, slug: str) -> None:
    if catalog_queries.domain_by_slug(session, slug) is not None:
        return
    # The landing domain belongs to no producing team but to one of its own name, created by
    # Eventry (whoever first needs it); every team may register there (authz.registrar).
    system = Actor.system("eventry (ccompat landing domain)")
    if catalog_queries.team_by_slug(session, slug) is None:
        catalog.create_team(session, system, slug, "Events registered through /ccompat")
    catalog.create_domain(
        session, system, slug, "Unassigned events", slug, "Subjects registered through /ccompat"
    )


def _default_bus(session: Session, placement: Placement) -> str | None:
    if placement.bus and catalog_queries.bus_by_slug(session, placement.bus) is not None:
        return placement.bus
    return None


def _ref(event_type: EventType) -> str:
    return f"{event_type.domain.slug}.{event_type.name}"


def subject_names(session: Session, event_types: list[EventType]) -> dict[int, list[str]]:
    """The subject names each event type answers to: its bound subjects, else
    ``<domain>.<EventName>``."""
    bound = subject_queries.names_by_event_type(session, [each.id for each in event_types])
    return {each.id: bound.get(each.id) or [_ref(each)] for each in event_types}


def list_subjects(
    session: Session, prefix: str = "", deleted: bool = False, deleted_only: bool = False
) -> list[str]:
    """Subject names, sorted: those with a live version; with ``deleted`` also those whose
    versions are all soft-deleted; with ``deleted_only`` those alone. ``prefix`` filters
    (Confluent's ``subjectPrefix``)."""
    rows = subject_queries.with_versions(session)
    names = subject_names(session, [event_type for event_type, _, _ in rows])
    found = []
    for event_type, live, _ in rows:
        wanted = (live == 0) if deleted_only else (live > 0 or deleted)
        if wanted:
            found += [each for each in names[event_type.id] if each.startswith(prefix)]
    return sorted(found)


def contexts(session: Session) -> list[str]:
    """Confluent's contexts: the default context "." and one per domain (``.orders``)."""
    return [".", *(f".{slug}" for slug in catalog_queries.domain_slugs(session))]


def delete_subject(session: Session, actor: Actor, subject: str, permanent: bool) -> list[int]:
    """Delete every version of the subject's event type, returning their numbers: softly, or
    (``permanent``, admin only, after a soft delete) for good, with the subject's bindings.

    Raises NotFound (40401), Forbidden, AlreadyDeleted (40404: soft-deleted already),
    NotSoftDeleted (40405: a permanent delete of live versions) and StillReferenced (42206)."""
    with atomic(session):
        event_type = find(session, subject)
        authz.domain_owner(actor, event_type.domain)
        modes.check_write(
            session, event_type, subject=subject
        )  # READONLY refuses deletes too (42205)
        every = subject_queries.all_versions(session, event_type.id)
        live = [each for each in every if each.deleted_at is None]
        if not every:
            raise NotFound(f"Subject '{subject}' not found.")
        if permanent:
            return _purge(session, actor, subject, event_type, every, live)
        if not live:
            raise AlreadyDeleted(f"Subject '{subject}' was soft deleted.", "subject")
        for version in live:
            before = version_view(version)
            version.deleted_at = utcnow()
            session.flush()
            target = f"event:{_ref(event_type)}/versions/{version.version}"
            audit.record(
                session, actor.name, "version.delete", target, before, version_view(version)
            )
        return [each.version for each in live]


def _purge(session, actor, subject, event_type, every, live) -> list[int]:
    authz.admin(actor, "delete subjects permanently")
    if live:
        raise NotSoftDeleted(
            f"Subject '{subject}' was not deleted first before being permanently deleted.",
            "subject",
        )
    for version in every:
        refuse_if_referenced(session, actor, version)
    for version in every:
        target = f"event:{_ref(event_type)}/versions/{version.version}"
        audit.record(session, actor.name, "version.purge", target, version_view(version), None)
        session.delete(version)
    for binding in subject_queries.bindings_of(session, event_type.id):
        audit.record(session, actor.name, "subject.unbind", f"subject:{binding.name}", None, None)
        session.delete(binding)
    session.flush()
    return [each.version for each in every]


def refuse_if_referenced(session: Session, actor: Actor, version) -> None:
    """Before a permanent delete of the version: raise StillReferenced (42206) when a version
    (live or soft-deleted) still references it; else drop the references to it that contents no
    version uses any more still hold (their referrers were purged), each drop audited
    (``schema.unreference``). The contents themselves stay, so their global ids are never given
    to other content (Confluent never reuses an id); no version number is reused either, so no
    registration can name the dropped reference again."""
    users = subject_queries.referencing_versions(session, version.id)
    if users:
        named = ", ".join(f"{_ref(u.event_type)} version {u.version}" for u in users[:5])
        raise StillReferenced(
            f"version {version.version} of {_ref(version.event_type)} is referenced by {named}: "
            "delete those first"
        )
    for reference in subject_queries.unused_references(session, version.id):
        before = {
            "name": reference.name,
            "subject": reference.subject,
            "version": reference.version,
        }
        target = f"schema:{reference.schema_id}"
        audit.record(session, actor.name, "schema.unreference", target, before, None)
        session.delete(reference)
    session.flush()
