"""Reads for the catalogue's web pages, each in a fixed number of queries however large it grows."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.db.models import Bus, Consumer, Domain, EventType, SchemaVersion, Team


def domains_overview(session: Session) -> list[tuple[Domain, int]]:
    """Every domain with its owner and buses, and how many event types it holds, by slug."""
    counts = (
        select(EventType.domain_id, func.count(EventType.id).label("events"))
        .group_by(EventType.domain_id)
        .subquery()
    )
    statement = (
        select(Domain, func.coalesce(counts.c.events, 0))
        .outerjoin(counts, counts.c.domain_id == Domain.id)
        .options(selectinload(Domain.owner), selectinload(Domain.buses))
        .order_by(Domain.slug)
    )
    return [(domain, events) for domain, events in session.execute(statement)]


def events_per_bus(session: Session) -> dict[int, int]:
    """How many event types travel on each bus, by bus id."""
    statement = (
        select(EventType.bus_id, func.count(EventType.id))
        .where(EventType.bus_id.is_not(None))
        .group_by(EventType.bus_id)
    )
    return {bus_id: count for bus_id, count in session.execute(statement)}


def recently_changed(session: Session, limit: int) -> list[tuple[EventType, datetime, int | None]]:
    """Event types by their last change (metadata or a new version): (event, when, latest)."""
    newest = (
        select(
            SchemaVersion.event_type_id,
            func.max(SchemaVersion.created_at).label("at"),
            func.max(SchemaVersion.version).label("version"),
        )
        .where(SchemaVersion.deleted_at.is_(None))
        .group_by(SchemaVersion.event_type_id)
        .subquery()
    )
    changed = case(
        (and_(newest.c.at.is_not(None), newest.c.at > EventType.updated_at), newest.c.at),
        else_=EventType.updated_at,
    )
    statement = (
        select(EventType, changed, newest.c.version)
        .outerjoin(newest, newest.c.event_type_id == EventType.id)
        .options(selectinload(EventType.domain))
        .order_by(changed.desc(), EventType.id.desc())
        .limit(limit)
    )
    return [(event_type, at, version) for event_type, at, version in session.execute(statement)]


def domain_with_parts(session: Session, slug: str) -> Domain | None:
    """A domain with its owner and buses loaded, or None."""
    return session.scalar(
        select(Domain)
        .where(Domain.slug == slug)
        .options(selectinload(Domain.owner), selectinload(Domain.buses))
    )


def event_type_ids(session: Session, domain_id: int) -> list[int]:
    """The ids of a domain's event types, by name."""
    statement = select(EventType.id).where(EventType.domain_id == domain_id)
    return list(session.scalars(statement.order_by(EventType.name)))


def event_type_ids_on_bus(session: Session, bus_id: int) -> list[int]:
    """The ids of the event types travelling on a bus, by address."""
    statement = (
        select(EventType.id)
        .join(Domain, Domain.id == EventType.domain_id)
        .where(EventType.bus_id == bus_id)
        .order_by(Domain.slug, EventType.name)
    )
    return list(session.scalars(statement))


def foreign_event_types_on_bus(session: Session, bus: Bus) -> list[EventType]:
    """The event types of other domains travelling on a bus, with their domain, its owner
    and the bus loaded (what their consent is read from)."""
    statement = (
        select(EventType)
        .where(EventType.bus_id == bus.id, EventType.domain_id != bus.domain_id)
        .options(
            selectinload(EventType.domain).selectinload(Domain.owner),
            selectinload(EventType.bus),
        )
    )
    return list(session.scalars(statement))


def bus_with_domain(session: Session, slug: str) -> Bus | None:
    """A bus with its domain loaded, or None."""
    return session.scalar(select(Bus).where(Bus.slug == slug).options(selectinload(Bus.domain)))


def _consumer_statement():
    # Each of these is one row per consumer at most (many-to-one): joined in the one statement
    # rather than read by four more (100 consumers of a bus: 5.0 to 3.5 ms on SQLite).
    return select(Consumer).options(
        joinedload(Consumer.bus),
        joinedload(Consumer.team),
        joinedload(Consumer.event_type).joinedload(EventType.domain),
    )


def consumers_of_domain(
    session: Session, domain_id: int, most: int | None = None
) -> tuple[list[Consumer], int]:
    """The first ``most`` (all for None) consumers of a domain's event types or subscribed to
    its buses, by name, and how many there are."""
    buses = select(Bus.id).where(Bus.domain_id == domain_id)
    events = select(EventType.id).where(EventType.domain_id == domain_id)
    return _first_consumers(
        session, or_(Consumer.bus_id.in_(buses), Consumer.event_type_id.in_(events)), most
    )


def _first_consumers(
    session: Session, condition: ColumnElement[bool], most: int | None
) -> tuple[list[Consumer], int]:
    statement = _consumer_statement().where(condition).order_by(Consumer.name, Consumer.id)
    first = list(session.scalars(statement.limit(most)))
    if most is None:
        return first, len(first)
    # Counted whatever the page holds, so a page makes as many statements at any size.
    count = session.scalar(select(func.count(Consumer.id)).where(condition))
    return first, count or 0


def consumers_of_event(session: Session, event_type: EventType) -> list[Consumer]:
    """The consumers an event type may reach, by name: those on its bus (whatever they declare)
    and those declaring it (wherever they are); whether each receives it is the rules' answer
    (app.services.reception)."""
    # Without a bus, ``bus_id = NULL`` holds for no consumer: those declaring it are left.
    values = {"event": event_type.id, "bus": event_type.bus_id}
    return list(session.scalars(_of_event(), values))


@cache
def _of_event() -> Select:
    # Built once, the ids bound per call (every event page and refresh asks it).
    condition = or_(
        Consumer.event_type_id == bindparam("event"), Consumer.bus_id == bindparam("bus")
    )
    return _consumer_statement().where(condition).order_by(Consumer.name, Consumer.id)


def consumers_reaching(session: Session, event_type_ids: list[int]) -> list[Consumer]:
    """The consumers any of these event types may reach (consumers_of_event's, together), by
    name: one statement for a chunk of event types."""
    return list(session.scalars(_reaching(), {"ids": list(event_type_ids)}))


@cache
def _reaching() -> Select:
    ids = bindparam("ids", expanding=True)
    buses = select(EventType.bus_id).where(EventType.id.in_(ids))
    condition = or_(Consumer.event_type_id.in_(ids), Consumer.bus_id.in_(buses))
    return _consumer_statement().where(condition).order_by(Consumer.name, Consumer.id)


def consumers_where(session: Session, bus_id: int | None = None, team_id: int | None = None):
    """Consumers on a bus or of a team, by name."""
    statement = _consumer_statement()
    if bus_id is not None:
        statement = statement.where(Consumer.bus_id == bus_id)
    if team_id is not None:
        statement = statement.where(Consumer.team_id == team_id)
    return list(session.scalars(statement.order_by(Consumer.name, Consumer.id)))


def first_consumers_on_bus(
    session: Session, bus_id: int, most: int | None
) -> tuple[list[Consumer], int]:
    """The first ``most`` (all for None) consumers on a bus, by name, and how many there are."""
    return _first_consumers(session, Consumer.bus_id == bus_id, most)


def first_consumers_of_team(
    session: Session, team_id: int, most: int | None
) -> tuple[list[Consumer], int]:
    """The first ``most`` (all for None) consumers of a team, by name, and how many there are."""
    return _first_consumers(session, Consumer.team_id == team_id, most)


def team_with_domains(session: Session, slug: str) -> tuple[Team, list[Domain]] | None:
    """A team with its tokens and the domains it owns (with their buses), or None."""
    team = session.scalar(select(Team).where(Team.slug == slug).options(selectinload(Team.tokens)))
    if team is None:
        return None
    domains = session.scalars(
        select(Domain)
        .where(Domain.owner_team_id == team.id)
        .options(selectinload(Domain.buses))
        .order_by(Domain.slug)
    )
    return team, list(domains)


def all_teams(session: Session) -> list[Team]:
    """Every team, by name as people read it (case-insensitive), then by slug."""
    return list(session.scalars(select(Team).order_by(func.lower(Team.name), Team.slug)))


def event_versions(session: Session, event_type_id: int) -> list[SchemaVersion]:
    """Every version of an event type (soft-deleted ones too), by number."""
    return list(
        session.scalars(
            select(SchemaVersion)
            .where(SchemaVersion.event_type_id == event_type_id)
            .order_by(SchemaVersion.version)
        )
    )
