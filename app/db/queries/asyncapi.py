"""What an AsyncAPI import or export reads: a domain's or the catalogue's buses, event types
and consumers, loaded with what the document names of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Bus, Consumer, Domain, EventType


def buses(session: Session, domain_id: int | None, at: datetime | None = None) -> list[Bus]:
    """Buses by slug, of one domain or all; only those created at or before ``at`` when given."""
    statement = select(Bus).options(selectinload(Bus.domain)).order_by(Bus.slug)
    if at is not None:
        statement = statement.where(Bus.created_at <= at)
    if domain_id is not None:
        statement = statement.where(Bus.domain_id == domain_id)
    return list(session.scalars(statement))


def event_types(
    session: Session,
    domain_id: int | None = None,
    producer: str | None = None,
    at: datetime | None = None,
) -> list[EventType]:
    """Event types by domain and name, of one domain and one producer when given; only those
    created at or before ``at`` when given."""
    statement = (
        select(EventType)
        .join(Domain, EventType.domain_id == Domain.id)
        .options(
            selectinload(EventType.domain),
            selectinload(EventType.bus),
            selectinload(EventType.samples),
        )
        .order_by(Domain.slug, EventType.name)
    )
    if domain_id is not None:
        statement = statement.where(EventType.domain_id == domain_id)
    if producer is not None:
        statement = statement.where(EventType.producer == producer)
    if at is not None:
        statement = statement.where(EventType.created_at <= at)
    return list(session.scalars(statement))


def consumers(
    session: Session,
    bus_ids: list[int] | None = None,
    name: str | None = None,
    at: datetime | None = None,
) -> list[Consumer]:
    """Consumers, oldest first: on some buses, of one name, or all; only those created at or
    before ``at`` when given."""
    statement = (
        select(Consumer)
        .options(
            selectinload(Consumer.bus),
            selectinload(Consumer.team),
            selectinload(Consumer.event_type).selectinload(EventType.domain),
        )
        .order_by(Consumer.id)
    )
    if bus_ids is not None:
        statement = statement.where(Consumer.bus_id.in_(bus_ids))
    if name is not None:
        statement = statement.where(Consumer.name == name)
    if at is not None:
        statement = statement.where(Consumer.created_at <= at)
    return list(session.scalars(statement))
