"""The field index: writing a version's fields, and reading the latest versions' fields."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Select, and_, case, distinct, exists, func, insert, select
from sqlalchemy.orm import Session, aliased, selectinload

from app.db.models import Domain, EventType, FieldEntry, SchemaVersion


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
    session: Session, prefix: str | None = None, names: Collection[str] | None = None
) -> list[tuple[FieldEntry, str, str, int]]:
    """(field, domain slug, event name, version) of the latest live version of every event
    type, ordered by field name, address and pointer; only names starting with ``prefix``
    (case-sensitive, as JSON names are) or among ``names``."""
    statement = _latest_rows(select(FieldEntry, Domain.slug, EventType.name, SchemaVersion.version))
    statement = (
        statement.join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .order_by(FieldEntry.name, Domain.slug, EventType.name, FieldEntry.pointer)
    )
    if prefix:
        statement = statement.where(*_starting_with(session, prefix))
    if names is not None:
        statement = statement.where(FieldEntry.name.in_(sorted(names)))
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


# The field names of latest versions, a page or a few names at a time (issue 13: a catalogue of
# 10,000 event types has a million latest fields; no request reads them all).


def name_counts(
    session: Session,
    values: frozenset[str],
    *,
    after: str | None = None,
    prefix: str | None = None,
    names: Collection[str] | None = None,
    without: int | None = None,
    limit: int | None = None,
) -> list[tuple[str, int, int, int]]:
    """(name, event types carrying it, event types giving it one of the JSON types ``values``,
    event types giving such a field a non-empty format) per field name of the latest live
    versions, by name in code-point order (as Python sorts, whatever the database collation):
    names after ``after``, starting with ``prefix`` (case-sensitive), among ``names``, leaving
    the event type ``without`` out, at most ``limit``."""
    name = _by_code_point(session, FieldEntry.name)
    valued = FieldEntry.json_type.in_(sorted(values))
    formatted = and_(valued, FieldEntry.format.is_not(None), FieldEntry.format != "")
    statement = _latest_rows(
        select(
            FieldEntry.name,
            func.count(distinct(FieldEntry.event_type_id)),
            func.count(distinct(case((valued, FieldEntry.event_type_id)))),
            func.count(distinct(case((formatted, FieldEntry.event_type_id)))),
        )
    )
    if after is not None:
        statement = statement.where(name > after)
    if prefix:
        statement = statement.where(*_starting_with(session, prefix))
    if names is not None:
        statement = statement.where(FieldEntry.name.in_(sorted(names)))
    if without is not None:
        statement = statement.where(FieldEntry.event_type_id != without)
    statement = statement.group_by(FieldEntry.name).order_by(name).limit(limit)
    return [tuple(row) for row in session.execute(statement)]


def name_values(
    session: Session, names: Collection[str] | None, without: int | None = None
) -> list[tuple[str, str, str | None]]:
    """The distinct (name, JSON type, format) of these field names (None: every name) in the
    latest live versions, leaving the event type ``without`` out; in no particular order."""
    statement = _latest_rows(select(FieldEntry.name, FieldEntry.json_type, FieldEntry.format))
    if names is not None:
        statement = statement.where(FieldEntry.name.in_(sorted(names)))
    if without is not None:
        statement = statement.where(FieldEntry.event_type_id != without)
    grouped = statement.group_by(FieldEntry.name, FieldEntry.json_type, FieldEntry.format)
    return [tuple(row) for row in session.execute(grouped)]


def latest_names(session: Session, event_type_id: int) -> list[str]:
    """The field names of an event type's latest live version, sorted (none without one)."""
    statement = _latest_rows(select(FieldEntry.name).distinct()).where(
        FieldEntry.event_type_id == event_type_id
    )
    return sorted(session.scalars(statement))


def version_fields(session: Session, version_id: int) -> list[FieldEntry]:
    """A version's indexed fields, by pointer."""
    statement = select(FieldEntry).where(FieldEntry.version_id == version_id)
    return list(session.scalars(statement.order_by(FieldEntry.pointer)))


def _latest_rows(statement: Select) -> Select:
    """``statement`` over field entries of latest live versions only. A version is latest when
    it is live and no live version of its event type is newer: one probe of the unique
    (event_type_id, version) index per entry, where grouping every version of the registry
    by event type (latest_numbers) cost as much as the page itself."""
    newer = aliased(SchemaVersion)
    later = exists().where(
        newer.event_type_id == SchemaVersion.event_type_id,
        newer.version > SchemaVersion.version,
        newer.deleted_at.is_(None),
    )
    return statement.join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id).where(
        SchemaVersion.deleted_at.is_(None), ~later
    )


def _by_code_point(session: Session, column: Any) -> Any:
    # SQLite compares text as UTF-8 bytes (code-point order); PostgreSQL by the database's
    # collation, which may be a locale's: "C" is code-point order there too.
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


def _starting_with(session: Session, prefix: str) -> list[Any]:
    """Conditions keeping names that start with ``prefix``, case-sensitive on both databases
    (SQLite's LIKE ignores ASCII case) and with no wildcard (``%``, ``_`` and ``\\`` are
    themselves): the range of names from the prefix to its successor bounds the index scan,
    and the comparison of the name's first characters decides."""
    name = _by_code_point(session, FieldEntry.name)
    found = [name >= prefix, func.substr(FieldEntry.name, 1, len(prefix)) == prefix]
    above = successor(prefix)
    return found + ([name < above] if above is not None else [])


def successor(prefix: str) -> str | None:
    """The least string above every string starting with ``prefix`` in code-point order (None
    when there is none: a prefix of only U+10FFFF); surrogates, which no stored text holds,
    are skipped."""
    kept = prefix.rstrip("\U0010ffff")
    if not kept:
        return None
    last = ord(kept[-1]) + 1
    return kept[:-1] + chr(0xE000 if 0xD800 <= last <= 0xDFFF else last)
