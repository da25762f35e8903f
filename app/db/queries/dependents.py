"""What depends on an entity, so that deleting it would orphan something."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from app.db import analysis_marks, search_index
from app.db.models import Bus, Consumer, Domain, EventType, Sample, SchemaVersion


def of_domain(session: Session, domain_id: int) -> list[str]:
    """Buses and event types of a domain, named."""
    buses = session.scalars(select(Bus.slug).where(Bus.domain_id == domain_id).order_by(Bus.slug))
    events = session.scalars(
        select(EventType.name).where(EventType.domain_id == domain_id).order_by(EventType.name)
    )
    return [f"bus {slug}" for slug in buses] + [f"event type {name}" for name in events]


def of_bus(session: Session, bus_id: int) -> list[str]:
    """Event types travelling on a bus and consumers listening to it, named."""
    events = session.execute(
        select(Domain.slug, EventType.name)
        .join(EventType, EventType.domain_id == Domain.id)
        .where(EventType.bus_id == bus_id)
        .order_by(Domain.slug, EventType.name)
    )
    consumers = session.scalars(
        select(Consumer.name).where(Consumer.bus_id == bus_id).order_by(Consumer.name)
    )
    return [f"event type {d}.{n}" for d, n in events] + [f"consumer {c}" for c in consumers]


def of_event_type(session: Session, event_type_id: int) -> list[str]:
    """Consumers of an event type, named."""
    consumers = session.scalars(
        select(Consumer.name).where(Consumer.event_type_id == event_type_id).order_by(Consumer.name)
    )
    return [f"consumer {name}" for name in consumers]


def of_version(session: Session, event_type_id: int, number: int, latest: bool) -> list[str]:
    """Consumers that consume this version of the event type, named: those that declare it,
    and, when it is the ``latest`` live version, those that follow the latest (declare none)."""
    uses = Consumer.version == number
    if latest:
        uses = or_(uses, Consumer.version.is_(None))
    consumers = session.scalars(
        select(Consumer.name)
        .where(Consumer.event_type_id == event_type_id, uses)
        .order_by(Consumer.name)
    )
    return [f"consumer {name}" for name in consumers]


def release_bus(session: Session, bus_id: int) -> None:
    """What a forced deletion of a bus does to its dependents: its consumers go (a consumer
    is a subscription to the bus), its event types stay, on no bus."""
    on_bus = select(EventType.id).where(EventType.bus_id == bus_id)
    declared = select(Consumer.event_type_id).where(Consumer.bus_id == bus_id)
    touched = [*session.scalars(on_bus), *session.scalars(declared)]
    search_index.note_event_types(session, touched)
    analysis_marks.note_event_types(session, touched)
    session.execute(delete(Consumer).where(Consumer.bus_id == bus_id))
    session.execute(update(EventType).where(EventType.bus_id == bus_id).values(bus_id=None))


def release_event_type(session: Session, event_type_id: int) -> None:
    """What a forced deletion of an event type does to its consumers: they stay on their bus,
    declaring no event type (nor version)."""
    search_index.note_event_types(session, [event_type_id])
    analysis_marks.note_event_types(session, [event_type_id])
    # Their answers about the other events of their buses named what they declared.
    declaring = select(Consumer.bus_id).where(Consumer.event_type_id == event_type_id)
    for bus_id in set(session.scalars(declaring)):
        analysis_marks.note_bus(session, bus_id)
    session.execute(
        update(Consumer)
        .where(Consumer.event_type_id == event_type_id)
        .values(event_type_id=None, version=None)
    )


def delete_event_type_contents(session: Session, event_type_id: int) -> None:
    """Delete an event type's versions and samples (its own parts, not dependents)."""
    search_index.note_event_types(session, [event_type_id])
    analysis_marks.note_event_types(session, [event_type_id])
    session.execute(delete(SchemaVersion).where(SchemaVersion.event_type_id == event_type_id))
    session.execute(delete(Sample).where(Sample.event_type_id == event_type_id))
