"""The field index: writing a version's fields, and reading the latest versions' fields."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import and_, exists, insert, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

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
    names: Collection[str] | None = None,
) -> list[tuple[FieldEntry, str, str, int]]:
    """(field, domain slug, event name, version) of the latest live version of every event
    type, ordered by field name, address and pointer; only names starting with ``prefix``
    (case-sensitive, as JSON names are), the one ``name``, or those among ``names``."""
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
    if names is not None:
        statement = statement.where(FieldEntry.name.in_(sorted(names)))
    return [tuple(row) for row in session.execute(statement)]


def disagreeing(event_type_ids: list[int]):
    """A subquery of the field names these event types carry (any version) that some version
    in the index declares with another JSON type or, both having one, another format: every
    name a type or format conflict among the latest versions (app.core.analysis.consistency)
    can be about, and a few more. Two index seeks per name (ix_field_index_name_type and
    _format, migration 0018): a name every event type declares alike costs no scan of its
    uses."""
    mine = aliased(FieldEntry)
    other = aliased(FieldEntry)

    def differs(column, value):
        below = exists().where(other.name == mine.name, column < value)
        above = exists().where(other.name == mine.name, column > value)
        return or_(below, above)

    return (
        select(mine.name)
        .where(
            mine.event_type_id.in_(event_type_ids),
            or_(
                differs(other.json_type, mine.json_type),
                and_(mine.format.is_not(None), differs(other.format, mine.format)),
            ),
        )
        .distinct()
    )


def disagreeing_names(session: Session, event_type_ids: list[int]) -> list[str]:
    """``disagreeing``'s names, sorted."""
    return sorted(session.scalars(disagreeing(event_type_ids)))
