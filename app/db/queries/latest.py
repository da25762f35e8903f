"""Every event type with its latest live schema, in one query (for search, pages and analysis)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import BindParameter, Select, Subquery, and_, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from app.db.models import Domain, EventType, Schema, SchemaVersion


def latest_numbers(event_type_ids: list[int] | BindParameter | None = None) -> Subquery:
    """A subquery of (event_type_id, version): each event type's latest live version number,
    of only these event types when ``event_type_ids`` (or an expanding parameter) is given."""
    statement = select(
        SchemaVersion.event_type_id, func.max(SchemaVersion.version).label("version")
    ).where(SchemaVersion.deleted_at.is_(None))
    if event_type_ids is not None:
        # Inside the grouping: SQLite materialised the grouping of every version in the
        # registry even for one id (every registration's search-index row did), PostgreSQL
        # for two ids or more (EXPLAIN).
        statement = statement.where(SchemaVersion.event_type_id.in_(event_type_ids))
    return statement.group_by(SchemaVersion.event_type_id).subquery()


def joined_to_latest(statement: Select, latest: Subquery) -> Select:
    """``statement`` (selecting from event types) outer-joined to each one's latest live
    version (``latest``: a ``latest_numbers`` subquery) and that version's content (None for
    an event type without a live version)."""
    return (
        statement.outerjoin(latest, latest.c.event_type_id == EventType.id)
        .outerjoin(
            SchemaVersion,
            and_(
                SchemaVersion.event_type_id == EventType.id,
                SchemaVersion.version == latest.c.version,
            ),
        )
        .outerjoin(Schema, Schema.id == SchemaVersion.schema_id)
    )


def event_types_with_latest_schema(
    session: Session,
    event_type_ids: list[int] | None = None,
    bus_id: int | None = None,
    with_samples: bool = False,
    bus_ids: list[int] | None = None,
    with_owners: bool = False,
) -> list[tuple[EventType, int | None, Schema | None]]:
    """Return (event type, latest version number, its schema row) sorted by address; the row
    carries the id, the canonical text and the dialect a SchemaDocument is built from."""
    given = {
        "ids": None if event_type_ids is None else list(event_type_ids),
        "bus_id": bus_id,
        "bus_ids": None if bus_ids is None else list(bus_ids),
    }
    shape = tuple(value is not None for value in given.values())
    statement = _with_latest_schema(*shape, with_samples, with_owners)
    values = {key: value for key, value in given.items() if value is not None}
    return [tuple(row) for row in session.execute(statement, values)]


@cache
def _with_latest_schema(
    ids: bool, bus: bool, buses: bool, with_samples: bool, with_owners: bool
) -> Select:
    # Built once per kind of question, the ids bound per call: building and keying this
    # statement cost about as much CPU as running it (every refresh and page runs it).
    latest = latest_numbers(bindparam("ids", expanding=True) if ids else None)
    statement = (
        joined_to_latest(
            select(EventType, SchemaVersion.version, Schema).join(
                Domain, EventType.domain_id == Domain.id
            ),
            latest,
        )
        # The domain from the join the order needs, the bus joined: no statement of their own
        .options(contains_eager(EventType.domain), joinedload(EventType.bus))
        # a schema's references are part of its document: one statement for every row
        .options(selectinload(Schema.references))
        .order_by(Domain.slug, EventType.name)
    )
    if with_samples:
        statement = statement.options(selectinload(EventType.samples))
    if with_owners:
        statement = statement.options(contains_eager(EventType.domain).selectinload(Domain.owner))
    if bus:
        statement = statement.where(EventType.bus_id == bindparam("bus_id"))
    if buses:
        statement = statement.where(EventType.bus_id.in_(bindparam("bus_ids", expanding=True)))
    if ids:
        statement = statement.where(EventType.id.in_(bindparam("ids", expanding=True)))
    return statement


def event_types_with_latest_content(
    session: Session, event_type_ids: list[int]
) -> list[tuple[EventType, int | None, int | None, str | None]]:
    """(event type, latest live version number, its content's schema id and fingerprint) of
    these event types, by address, with their domains and buses: the content's text is left to
    a document cache (app.services.schemas.of_contents) that mostly holds it already."""
    values = {"ids": list(event_type_ids)}
    return [tuple(row) for row in session.execute(_with_latest_content(), values)]


@cache
def _with_latest_content() -> Select:
    latest = latest_numbers(bindparam("ids", expanding=True))
    return (
        joined_to_latest(
            select(EventType, SchemaVersion.version, Schema.id, Schema.fingerprint).join(
                Domain, EventType.domain_id == Domain.id
            ),
            latest,
        )
        .options(contains_eager(EventType.domain), joinedload(EventType.bus))
        .where(EventType.id.in_(bindparam("ids", expanding=True)))
        .order_by(Domain.slug, EventType.name)
    )
