"""The field index: writing a version's fields, and reading the latest versions' fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, exists, insert, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Domain, EventType, FieldEntry, SchemaVersion
from app.db.queries.latest import latest_numbers


def add(session: Session, version: SchemaVersion, rows: Iterable[dict[str, Any]]) -> None:
    """Store a version's fields (each row: name, pointer, json_type, types, format,
    description, required) in the caller's transaction: one bulk statement, no ORM objects (a
    schema may have thousands of fields)."""
    owner = {"version_id": version.id, "event_type_id": version.event_type_id}
    values = [{**owner, **row} for row in rows]
    if values:
        # The table, not the mapped class: the ORM's bulk insert leaves out None values, so
        # rows with and without a format went as two statements.
        session.execute(insert(FieldEntry.__table__), values)


def unindexed_versions(session: Session, most: int) -> list[SchemaVersion]:
    """Up to ``most`` versions (live or soft-deleted) with no field in the index, oldest
    first, with their schema and its references loaded."""
    statement = (
        select(SchemaVersion)
        .where(~exists().where(FieldEntry.version_id == SchemaVersion.id))
        .options(selectinload(SchemaVersion.schema), selectinload(SchemaVersion.event_type))
        .order_by(SchemaVersion.id)
        .limit(most)
    )
    return list(session.scalars(statement))


def latest_fields(
    session: Session,
    prefix: str | None = None,
    name: str | None = None,
    names_of: list[int] | None = None,
) -> list[tuple[FieldEntry, str, str, int]]:
    """(field, domain slug, event name, version) of the latest live version of every event
    type, ordered by field name, address and pointer; only names starting with ``prefix``
    (case-sensitive, as JSON names are), the one ``name``, or names that some version of the
    event types ``names_of`` (ids) carries."""
    latest = latest_numbers()
    statement = (
        select(FieldEntry, Domain.slug, EventType.name, SchemaVersion.version)
        .join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
        .join(
            latest,
            and_(
                latest.c.event_type_id == SchemaVersion.event_type_id,
                latest.c.version == SchemaVersion.version,
            ),
        )
        .join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .order_by(FieldEntry.name, Domain.slug, EventType.name, FieldEntry.pointer)
    )
    if prefix:
        statement = statement.where(FieldEntry.name.startswith(prefix, autoescape=True))
    if name is not None:
        statement = statement.where(FieldEntry.name == name)
    if names_of is not None:
        carried = select(FieldEntry.name).where(FieldEntry.event_type_id.in_(names_of))
        statement = statement.where(FieldEntry.name.in_(carried.distinct()))
    return [tuple(row) for row in session.execute(statement)]


def versions_of(session: Session, name: str) -> list[tuple[FieldEntry, str, str, int]]:
    """(field, domain slug, event name, version) of every live version carrying ``name``,
    by address, version and pointer."""
    statement = (
        select(FieldEntry, Domain.slug, EventType.name, SchemaVersion.version)
        .join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
        .join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .where(FieldEntry.name == name, SchemaVersion.deleted_at.is_(None))
        .order_by(Domain.slug, EventType.name, SchemaVersion.version, FieldEntry.pointer)
    )
    return [tuple(row) for row in session.execute(statement)]
