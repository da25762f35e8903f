"""The field index: writing a version's fields, and reading the latest versions' fields."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    case,
    distinct,
    exists,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased, contains_eager, selectinload

from app.core.paging import Page
from app.db.models import Domain, EventType, FieldEntry, SchemaVersion
from app.db.queries.paging import keyset_page


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


# An indexed field's columns, in the order of app.core.analysis.consistency.IndexedField's
# fields, then its event type's address and version: rows, not ORM objects (a field's page
# lists thousands of versions; loading them as objects took two thirds of its time).
FIELD_COLUMNS = (
    FieldEntry.pointer,
    FieldEntry.name,
    FieldEntry.json_type,
    FieldEntry.types,
    FieldEntry.format,
    FieldEntry.description,
    FieldEntry.required,
    Domain.slug,
    EventType.name,
    SchemaVersion.version,
)


def latest_fields(
    session: Session,
    names: Collection[str] | None = None,
    event_type_ids: Collection[int] | None = None,
) -> list[Row[Any]]:
    """FIELD_COLUMNS of the latest live version of every event type (of these
    ``event_type_ids``), ordered by field name, address and pointer; only names among
    ``names``."""
    statement = (
        select(*FIELD_COLUMNS)
        .join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
        .join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .order_by(FieldEntry.name, Domain.slug, EventType.name, FieldEntry.pointer)
    )
    if event_type_ids is not None:
        statement = statement.where(FieldEntry.event_type_id.in_(sorted(event_type_ids)))
    return list(session.execute(_latest_rows(statement, names, joined=True)))


def versions_of(session: Session, name: str, event_type_ids: Collection[int]) -> list[Row[Any]]:
    """FIELD_COLUMNS of every live version of these event types carrying ``name``, by
    address, version and pointer."""
    statement = (
        select(*FIELD_COLUMNS)
        .join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
        .join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .where(FieldEntry.name == name, SchemaVersion.deleted_at.is_(None))
        .where(FieldEntry.event_type_id.in_(sorted(event_type_ids)))
        .order_by(Domain.slug, EventType.name, SchemaVersion.version, FieldEntry.pointer)
    )
    return [tuple(row) for row in session.execute(statement)]


def carriers_page(
    session: Session, name: str, after: Sequence[Any] | None, limit: int
) -> Page[EventType]:
    """A keyset page of the event types with a live version carrying the field ``name``, by
    address (domain slug, name), each with its domain loaded; InvalidCursor (400) for an
    ``after`` that is not such an address."""
    # Event types in address order, each asked by one seek of (name, event_type_id) (migration
    # 0019), so a page of a name every event type carries stops after the page; a rare name
    # costs one seek per event type, never a scan of a common name's 50,000 uses.
    carries = (
        exists()
        .where(FieldEntry.name == name, FieldEntry.event_type_id == EventType.id)
        .where(SchemaVersion.id == FieldEntry.version_id, SchemaVersion.deleted_at.is_(None))
    )
    statement = (
        select(EventType)
        .join(EventType.domain)
        .options(contains_eager(EventType.domain))
        .where(carries)
    )
    keys = (Domain.slug, EventType.name)
    return keyset_page(
        session, statement, keys, lambda found: (found.domain.slug, found.name), after, limit
    )


# The facts of field names in the latest versions, grouped by the database: a catalogue of
# 10,000 event types has about 300,000 latest fields, a few thousand names.


def name_counts(
    session: Session,
    values: frozenset[str],
    names: Collection[str] | None = None,
    without: int | None = None,
) -> list[tuple[str, int, int, int]]:
    """(name, event types carrying it, event types giving it one of the JSON types ``values``,
    event types giving such a field a non-empty format) per field name of the latest live
    versions (these ``names``, or every name), leaving the event type ``without`` out; in no
    particular order."""
    valued = FieldEntry.json_type.in_(sorted(values))
    formatted = and_(valued, FieldEntry.format.is_not(None), FieldEntry.format != "")
    statement = _latest_rows(
        select(
            FieldEntry.name,
            func.count(distinct(FieldEntry.event_type_id)),
            func.count(distinct(case((valued, FieldEntry.event_type_id)))),
            func.count(distinct(case((formatted, FieldEntry.event_type_id)))),
        ),
        names,
    )
    if without is not None:
        statement = statement.where(FieldEntry.event_type_id != without)
    return [tuple(row) for row in session.execute(statement.group_by(FieldEntry.name))]


def name_values(
    session: Session, names: Collection[str] | None, without: int | None = None
) -> list[tuple[str, str, str | None]]:
    """The distinct (name, JSON type, format) of these field names (None: every name) in the
    latest live versions, leaving the event type ``without`` out; in no particular order."""
    statement = _latest_rows(
        select(FieldEntry.name, FieldEntry.json_type, FieldEntry.format), names
    )
    if without is not None:
        statement = statement.where(FieldEntry.event_type_id != without)
    grouped = statement.group_by(FieldEntry.name, FieldEntry.json_type, FieldEntry.format)
    return [tuple(row) for row in session.execute(grouped)]


def latest_names(session: Session, event_type_id: int) -> list[str]:
    """The field names of an event type's latest live version, sorted (none without one)."""
    statement = (
        select(FieldEntry.name)
        .distinct()
        .join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
        .where(SchemaVersion.event_type_id == event_type_id, _is_latest(SchemaVersion))
    )
    return sorted(session.scalars(statement))


def carrying(session: Session, names: Collection[str]) -> list[int]:
    """The ids of the event types whose latest live version carries one of ``names``, sorted."""
    statement = _latest_rows(select(FieldEntry.event_type_id).distinct(), names)
    return sorted(session.scalars(statement))


def version_fields(session: Session, version_id: int) -> list[FieldEntry]:
    """A version's indexed fields, by pointer."""
    statement = select(FieldEntry).where(FieldEntry.version_id == version_id)
    return list(session.scalars(statement.order_by(FieldEntry.pointer)))


def _latest_rows(statement: Select, names: Collection[str] | None, joined: bool = False) -> Select:
    """``statement`` over the field entries of latest live versions, of these ``names`` or
    of every name (``joined``: the statement joins SchemaVersion on the entry's version). For
    every name, the latest versions' ids are found once and the entries read by version id:
    on 2,000 event types x 5 versions SQLite grouped the latest fields so 10x faster than
    when each entry checked its own version, and 15x faster than grouping every version by
    event type (latest_numbers). For a few names, each of their entries checks its version:
    the names' entries are fewer than the catalogue's versions."""
    if names is None:
        version = aliased(SchemaVersion)  # its own, whatever the statement joins
        latest = select(version.id).where(_is_latest(version))
        return statement.where(FieldEntry.version_id.in_(latest))
    if not joined:
        statement = statement.join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
    return statement.where(FieldEntry.name.in_(sorted(names)), _is_latest(SchemaVersion))


def _is_latest(version: Any) -> ColumnElement[bool]:
    # Live, and no live version of its event type is newer: one probe of the unique
    # (event_type_id, version) index.
    newer = aliased(SchemaVersion)
    later = exists().where(
        newer.event_type_id == version.event_type_id,
        newer.version > version.version,
        newer.deleted_at.is_(None),
    )
    return and_(version.deleted_at.is_(None), ~later)


def disagreeing(event_type_ids: list[int] | BindParameter[list[int]]):
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
    return sorted(session.scalars(_disagreeing(), {"ids": list(event_type_ids)}))


@cache
def _disagreeing() -> Select:
    # Built once, the ids bound per call (every refresh asks it).
    return disagreeing(bindparam("ids", expanding=True))
