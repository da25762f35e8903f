"""Look-ups of schema references between versions, for many versions at once (no N+1)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.db.models import Domain, EventType, SchemaReference, SchemaVersion


def references_of_schemas(session: Session, schema_ids: list[int]) -> list[SchemaReference]:
    """Return the references the schemas hold, each with its target version, that version's
    event type and domain loaded, by schema and position."""
    if not schema_ids:
        return []
    return list(
        session.scalars(
            select(SchemaReference)
            .options(
                joinedload(SchemaReference.target)
                .joinedload(SchemaVersion.event_type)
                .joinedload(EventType.domain)
            )
            .where(SchemaReference.schema_id.in_(schema_ids))
            .order_by(SchemaReference.schema_id, SchemaReference.position)
        )
    )


def referencing_versions_of(
    session: Session, version_ids: list[int]
) -> list[tuple[int, SchemaVersion]]:
    """Return (referenced version id, referencing version) for every version whose schema
    references one of the given version rows (live or soft-deleted), the referencing version's
    event type and domain loaded, by domain, event name and number."""
    if not version_ids:
        return []
    rows = session.execute(
        select(SchemaReference.version_id, SchemaVersion)
        .join(SchemaVersion, SchemaVersion.schema_id == SchemaReference.schema_id)
        .join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .options(joinedload(SchemaVersion.event_type).joinedload(EventType.domain))
        .where(SchemaReference.version_id.in_(version_ids))
        .order_by(Domain.slug, EventType.name, SchemaVersion.version)
    )
    return [(version_id, version) for version_id, version in rows]
