"""Reads of the catalogue's lists: counts per domain and bus, and the services named by
producers and consumers."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Bus, Consumer, Domain, EventType, Team


def consumers_per_bus(session: Session, bus_ids: list[int]) -> dict[int, int]:
    """How many consumers subscribe to each of the given buses, by bus id."""
    return _count_by(session, Consumer.bus_id, Consumer.id, bus_ids)


def events_per_domain(session: Session, domain_ids: list[int]) -> dict[int, int]:
    """How many event types each of the given domains holds, by domain id."""
    return _count_by(session, EventType.domain_id, EventType.id, domain_ids)


def buses_per_domain(session: Session, domain_ids: list[int]) -> dict[int, int]:
    """How many buses each of the given domains publishes on, by domain id."""
    return _count_by(session, Bus.domain_id, Bus.id, domain_ids)


def _count_by(session: Session, group: Any, counted: Any, ids: list[int]) -> dict[int, int]:
    statement = select(group, func.count(counted)).where(group.in_(ids)).group_by(group)
    return {key: count for key, count in session.execute(statement)}


def producer_names(session: Session) -> list[str]:
    """Every producer an event type names (empty ones left out), distinct."""
    statement = select(EventType.producer).where(EventType.producer != "").distinct()
    return list(session.scalars(statement))


def consumer_names(session: Session) -> list[str]:
    """Every consumer name, distinct."""
    return list(session.scalars(select(Consumer.name).distinct()))


def published_by(session: Session, producer: str) -> list[EventType]:
    """The event types a producer emits, with domain (and its owner) and bus, by address."""
    statement = (
        select(EventType)
        .join(Domain, EventType.domain_id == Domain.id)
        .where(EventType.producer == producer)
        .options(
            selectinload(EventType.domain).selectinload(Domain.owner),
            selectinload(EventType.bus),
        )
        .order_by(Domain.slug, EventType.name)
    )
    return list(session.scalars(statement))


def consumers_named(session: Session, name: str) -> list[Consumer]:
    """The consumer registrations under one name, with bus, team and event, oldest first."""
    statement = (
        select(Consumer)
        .where(Consumer.name == name)
        .options(
            selectinload(Consumer.bus),
            selectinload(Consumer.team),
            selectinload(Consumer.event_type).selectinload(EventType.domain),
        )
        .order_by(Consumer.id)
    )
    return list(session.scalars(statement))


def slugs(session: Session) -> dict[str, list[str]]:
    """The slugs of every domain, bus and team, each by slug: what a list's filters offer."""
    return {
        "domains": list(session.scalars(select(Domain.slug).order_by(Domain.slug))),
        "buses": list(session.scalars(select(Bus.slug).order_by(Bus.slug))),
        "teams": list(session.scalars(select(Team.slug).order_by(Team.slug))),
    }


def consumers_by_id(session: Session, ids: list[int]) -> dict[int, Consumer]:
    """The consumers that still exist among the given ids, with their buses, by id."""
    statement = select(Consumer).where(Consumer.id.in_(ids)).options(selectinload(Consumer.bus))
    return {consumer.id: consumer for consumer in session.scalars(statement)}


def named_like(session: Session, needle: str, most: int) -> dict[str, list[Any]]:
    """Teams, domains, buses and consumers whose slug, name or description holds ``needle``
    (case-insensitive, the LIKE wildcards taken literally), at most ``most`` of each kind."""
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    values = {"pattern": f"%{escaped}%", "most": most}
    return {kind: list(session.scalars(statement, values)) for kind, statement in _named_like()}


@cache
def _named_like() -> list[tuple[str, Any]]:
    # Built once, the pattern and the count bound per call: building four statements and
    # their cache keys on every search cost as much as running them.
    pattern = bindparam("pattern")

    def like(*columns: Any) -> Any:
        return or_(*(func.lower(c).like(pattern, escape="\\") for c in columns))

    statements = []
    for kind, model, columns, order in (
        ("teams", Team, (Team.slug, Team.name, Team.description), Team.slug),
        ("domains", Domain, (Domain.slug, Domain.name, Domain.description), Domain.slug),
        ("buses", Bus, (Bus.slug, Bus.description), Bus.slug),
        ("consumers", Consumer, (Consumer.name, Consumer.description), Consumer.name),
    ):
        statement = select(model).where(like(*columns)).order_by(order).limit(bindparam("most"))
        if model is Consumer:
            statement = statement.options(selectinload(Consumer.bus), selectinload(Consumer.team))
        statements.append((kind, statement))
    return statements


def bus_domains(session: Session) -> dict[str, str]:
    """Every bus's slug -> the slug of the domain it belongs to."""
    statement = select(Bus.slug, Domain.slug).join(Domain, Bus.domain_id == Domain.id)
    return {bus: domain for bus, domain in session.execute(statement)}


def domain_names(session: Session) -> dict[str, str]:
    """Every domain's slug -> its name."""
    return {slug: name for slug, name in session.execute(select(Domain.slug, Domain.name))}
