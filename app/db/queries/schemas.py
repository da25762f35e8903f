"""Look-ups of schemas, schema versions and samples."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from app.db.base import utcnow
from app.db.models import Schema, SchemaVersion


def schema_by_fingerprint(session: Session, fingerprint: str) -> Schema | None:
    """Return the stored schema with this content fingerprint, or None."""
    return session.scalar(select(Schema).where(Schema.fingerprint == fingerprint))


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


def stored_schema(session: Session, canonical: str, fingerprint: str, dialect: str) -> Schema:
    """Return the schema with this content, inserting it if absent (safe under concurrency).

    The dialect is stored with new content only: content stored earlier keeps its own."""
    table = Schema.__table__
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(
        canonical=canonical, fingerprint=fingerprint, dialect=dialect, created_at=utcnow()
    )
    session.execute(statement.on_conflict_do_nothing(index_elements=[table.c.fingerprint]))
    return session.scalars(select(Schema).where(Schema.fingerprint == fingerprint)).one()


def version(session: Session, event_type_id: int, number: int) -> SchemaVersion | None:
    """Return an event type's version by number, deleted or not."""
    return session.scalar(
        select(SchemaVersion).where(
            SchemaVersion.event_type_id == event_type_id, SchemaVersion.version == number
        )
    )
