"""Look-ups of teams, domains, buses, event types and consumers."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager

from app.db.models import Bus, Consumer, Domain, EventType, Sample, Schema, SchemaVersion, Team


def team_by_slug(session: Session, slug: str) -> Team | None:
    """Return the team with this slug, or None."""
    return session.scalar(select(Team).where(Team.slug == slug))


def domain_by_slug(session: Session, slug: str) -> Domain | None:
    """Return the domain with this slug, or None."""
    return session.scalar(select(Domain).where(Domain.slug == slug))


def domain_slugs(session: Session) -> list[str]:
    """Return every domain's slug, sorted."""
    return list(session.scalars(select(Domain.slug).order_by(Domain.slug)))


def bus_by_slug(session: Session, slug: str) -> Bus | None:
    """Return the bus with this slug, or None."""
    return session.scalar(select(Bus).where(Bus.slug == slug))


def event_type_by_name(
    session: Session, domain_slug: str, name: str, lock: bool = False, wait: bool = True
) -> EventType | None:
    """Return the event type `domain_slug.name`, or None; with ``lock`` row-locked until the
    transaction ends, as ``lock_event_type`` does, in the same one statement. Its domain and
    the domain's owning team come in that statement too (every writer checks them). With
    ``lock`` and not ``wait``, None also when another transaction holds the row's lock
    (PostgreSQL's SKIP LOCKED; on SQLite the write transaction holds the whole database)."""
    statement = _by_name(lock, lock and not wait)
    return session.scalar(statement, {"domain": domain_slug, "name": name})


@cache
def _by_name(lock: bool, skip_locked: bool) -> Select:
    # Built once per variant, the names bound per call: every registration finds its event type
    # (twice when it waits for the lock), and building an ORM statement with its joins, loader
    # options and cache key cost more than running it.
    query = (
        select(EventType)
        .join(EventType.domain)
        .join(Domain.owner)
        .options(contains_eager(EventType.domain).contains_eager(Domain.owner))
        .where(Domain.slug == bindparam("domain"), EventType.name == bindparam("name"))
    )
    if lock:
        query = query.with_for_update(of=EventType, skip_locked=skip_locked)
        query = query.execution_options(populate_existing=True)
    return query


def event_types_named(session: Session, name: str) -> list[EventType]:
    """Return every event type of this name, in any domain, by domain slug."""
    return list(
        session.scalars(
            select(EventType).join(Domain).where(EventType.name == name).order_by(Domain.slug)
        )
    )


def event_types_on_bus(session: Session, bus_id: int) -> list[EventType]:
    """Return the event types the bus carries, by domain slug and name."""
    return list(
        session.scalars(
            select(EventType)
            .join(Domain)
            .where(EventType.bus_id == bus_id)
            .order_by(Domain.slug, EventType.name)
        )
    )


def lock_event_type(session: Session, event_type_id: int) -> EventType:
    """Return the event type, row-locked until the transaction ends (versions number under it).

    The values read under the lock replace any the session loaded before it (populate_existing):
    ``last_version`` must be the one a concurrent registration committed while this one waited."""
    return session.scalars(
        select(EventType)
        .where(EventType.id == event_type_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def consumer_by_identity(
    session: Session, name: str, bus_id: int, event_type_id: int | None
) -> Consumer | None:
    """Return the consumer with this name on this bus for this event type (or none), or None."""
    return session.scalar(
        select(Consumer).where(
            Consumer.name == name,
            Consumer.bus_id == bus_id,
            Consumer.event_type_id.is_(None)
            if event_type_id is None
            else Consumer.event_type_id == event_type_id,
        )
    )


def catalogue_counts(session: Session) -> dict[str, int]:
    """Return how many teams, domains, buses, event types, consumers, versions and schemas exist."""
    models = {
        "teams": Team,
        "domains": Domain,
        "buses": Bus,
        "event_types": EventType,
        "consumers": Consumer,
        "schema_versions": SchemaVersion,
        "schemas": Schema,
        "samples": Sample,
    }
    return {
        key: session.scalar(select(func.count()).select_from(model)) or 0
        for key, model in models.items()
    }


def buses_declaring(session: Session, names: list[str], except_bus_id: int) -> dict[str, list[str]]:
    """For each of these consumer names, the slugs of the other buses a consumer of that name
    is declared on (sorted); names declared on no other bus are left out."""
    if not names:
        return {}
    rows = session.execute(
        select(Consumer.name, Bus.slug)
        .join(Bus, Consumer.bus_id == Bus.id)
        .where(Consumer.name.in_(names), Consumer.bus_id != except_bus_id)
        .distinct()
        .order_by(Consumer.name, Bus.slug)
    )
    found: dict[str, list[str]] = {}
    for name, slug in rows:
        found.setdefault(name, []).append(slug)
    return found
