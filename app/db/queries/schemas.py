"""Look-ups of schemas, schema versions and samples."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select, text
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.db.base import utcnow
from app.db.models import Schema, SchemaVersion
from app.db.models.schemas import new_guid


def schema_by_fingerprint(session: Session, fingerprint: str) -> Schema | None:
    """Return the stored schema with this content fingerprint, or None."""
    return session.scalar(_by_fingerprint(), {"fingerprint": fingerprint})


@cache
def _by_fingerprint() -> Select:
    # Built once, as ``_live_rows_statement`` is (every registration asks).
    return select(Schema).where(Schema.fingerprint == bindparam("fingerprint"))


def live_versions(session: Session, event_type_id: int) -> list[SchemaVersion]:
    """Return the event type's versions that are not soft-deleted, oldest first, each with its
    schema loaded in the same statement (a compatibility check reads every one)."""
    return list(
        session.scalars(
            select(SchemaVersion)
            .options(joinedload(SchemaVersion.schema))
            .where(SchemaVersion.event_type_id == event_type_id, SchemaVersion.deleted_at.is_(None))
            .order_by(SchemaVersion.version)
        )
    )


def live_rows(session: Session, event_type_id: int) -> list[Any]:
    """Return the event type's live versions as light rows ``(id, version, schema_id,
    fingerprint)``, oldest first: what decides whether content is there already and whether
    what was judged has changed, without loading any version or content."""
    return list(session.execute(_live_rows_statement(), {"event_type_id": event_type_id}))


@cache
def _live_rows_statement() -> Select:
    # Built once, the id bound per call: every registration reads them (twice when it waits
    # for the lock), and building the statement and its cache key cost more than running it.
    return (
        select(SchemaVersion.id, SchemaVersion.version, Schema.id, Schema.fingerprint)
        .join(Schema, SchemaVersion.schema_id == Schema.id)
        .where(
            SchemaVersion.event_type_id == bindparam("event_type_id"),
            SchemaVersion.deleted_at.is_(None),
        )
        .order_by(SchemaVersion.version)
    )


def versions_with_schema(session: Session, ids: list[int]) -> list[SchemaVersion]:
    """Return the versions with these ids, oldest first, each with its schema loaded in the same
    statement; none for no ids."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(SchemaVersion)
            .options(joinedload(SchemaVersion.schema))
            .where(SchemaVersion.id.in_(ids))
            .order_by(SchemaVersion.version)
        )
    )


def schemas_with_references(session: Session, ids: list[int]) -> list[Schema]:
    """Return the stored schemas with these ids, each with its references (one statement more
    for all of them); none for no ids."""
    if not ids:
        return []
    statement = select(Schema).options(selectinload(Schema.references)).where(Schema.id.in_(ids))
    return list(session.scalars(statement))


def stored_schema(
    session: Session,
    canonical: str,
    fingerprint: str,
    dialect: str,
    metadata: dict[str, Any] | None = None,
    rule_set: dict[str, Any] | None = None,
    schema_id: int | None = None,
) -> Schema:
    """Return the schema with this content identity, inserting it if absent (safe under
    concurrency), with a new GUID and, when given, the id ``schema_id``.

    The dialect is stored with new content only: content stored earlier keeps its own."""
    values: dict[str, Any] = {
        "canonical": canonical,
        "fingerprint": fingerprint,
        "dialect": dialect,
        "guid": new_guid(),
        "contract_metadata": metadata,
        "rule_set": rule_set,
        "created_at": utcnow(),
    }
    if schema_id is not None:
        values["id"] = schema_id
    statement = _insert_schema(tuple(values))
    # New content comes back from the insert itself, as plain columns (an ORM-enabled insert
    # with bound values takes the ORM's bulk path, which cost more than the insert); content
    # stored already (the conflict, which returns nothing) is read.
    row = session.execute(statement, values).one_or_none()
    if row is None:
        return session.scalars(select(Schema).where(Schema.fingerprint == fingerprint)).one()
    inserted = Schema(**row._asdict())
    # A row of the database now: in the session as if loaded, its references (none yet: the
    # caller adds them) known rather than loaded later.
    make_transient_to_detached(inserted)
    session.add(inserted)
    set_committed_value(inserted, "references", [])
    return inserted


@cache
def _insert_schema(columns: tuple[str, ...]) -> Any:
    # Built once per set of columns, the values bound per call (every registration inserts
    # its content). Text, typed by the table's columns both ways, because SQLAlchemy compiles
    # its INSERT … ON CONFLICT anew at every execution (the dialects' Insert has no cache key);
    # the statement is the same on both databases.
    table = Schema.__table__
    statement = text(
        f"INSERT INTO {table.name} ({', '.join(columns)})"
        f" VALUES ({', '.join(':' + column for column in columns)})"
        f" ON CONFLICT (fingerprint) DO NOTHING RETURNING {', '.join(table.c.keys())}"
    )
    typed = statement.bindparams(
        *(bindparam(column, type_=table.c[column].type) for column in columns)
    )
    return typed.columns(*table.c)


def advance_schema_ids(session: Session) -> None:
    """After an insert with an explicit id, move PostgreSQL's id sequence past the highest id
    (SQLite gives max(id) + 1 by itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            "SELECT setval(pg_get_serial_sequence('schemas', 'id'), "
            "(SELECT COALESCE(MAX(id), 1) FROM schemas))"
        )
    )


def version(session: Session, event_type_id: int, number: int) -> SchemaVersion | None:
    """Return an event type's version by number, deleted or not."""
    return session.scalar(
        select(SchemaVersion).where(
            SchemaVersion.event_type_id == event_type_id, SchemaVersion.version == number
        )
    )
