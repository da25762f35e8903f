"""Look-ups of schemas, schema versions and samples."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Schema, SchemaVersion


def schema_by_fingerprint(session: Session, fingerprint: str) -> Schema | None:
    """Return the stored schema with this content fingerprint, or None."""
    return session.scalar(select(Schema).where(Schema.fingerprint == fingerprint))


def live_versions(session: Session, event_type_id: int) -> list[SchemaVersion]:
    """Return the event type's versions that are not soft-deleted, oldest first."""
    return list(
        session.scalars(
            select(SchemaVersion)
            .where(SchemaVersion.event_type_id == event_type_id, SchemaVersion.deleted_at.is_(None))
            .order_by(SchemaVersion.version)
        )
    )


def highest_version_number(session: Session, event_type_id: int) -> int:
    """Return the highest version number ever used by the event type (deleted ones count), or 0."""
    return (
        session.scalar(
            select(func.max(SchemaVersion.version)).where(
                SchemaVersion.event_type_id == event_type_id
            )
        )
        or 0
    )


def version(session: Session, event_type_id: int, number: int) -> SchemaVersion | None:
    """Return an event type's version by number, deleted or not."""
    return session.scalar(
        select(SchemaVersion).where(
            SchemaVersion.event_type_id == event_type_id, SchemaVersion.version == number
        )
    )
