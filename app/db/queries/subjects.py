"""Look-ups of Confluent subjects: bound names, and the event types that have versions."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from app.db.models import (
    Domain,
    EventType,
    Schema,
    SchemaReference,
    SchemaVersion,
    Subject,
    SubjectSetting,
    Team,
)
from app.db.queries.catalog import event_type_by_name


def bound(session: Session, name: str) -> Subject | None:
    """Return the binding of a subject name, with its event type and domain, or None."""
    return session.scalar(
        select(Subject)
        .options(joinedload(Subject.event_type).joinedload(EventType.domain))
        .where(Subject.name == name)
    )


def named_event_type(
    session: Session, key: str, direct: tuple[str, str] | None
) -> EventType | None:
    """Return the event type a subject names: the one its name (``key``) is bound to, else the
    one ``direct`` (domain slug, event name) names, else None."""
    binding = bound(session, key)
    if binding is not None:
        return binding.event_type
    return None if direct is None else event_type_by_name(session, *direct)


def held_settings(session: Session, key: str | None = None) -> list[SubjectSetting]:
    """Return the settings kept for subject names no event type answers to yet (those of the
    one name ``key`` when given), by name."""
    query = select(SubjectSetting).order_by(SubjectSetting.name)
    if key is not None:
        query = query.where(SubjectSetting.name == key)
    return list(session.scalars(query))


def names_by_event_type(session: Session, event_type_ids: list[int]) -> dict[int, list[str]]:
    """Return the subject names bound to each of the event types, sorted."""
    if not event_type_ids:
        return {}
    rows = session.execute(
        select(Subject.event_type_id, Subject.name)
        .where(Subject.event_type_id.in_(event_type_ids))
        .order_by(Subject.name)
    )
    found: dict[int, list[str]] = {}
    for event_type_id, name in rows:
        found.setdefault(event_type_id, []).append(name)
    return found


def with_versions(session: Session) -> list[tuple[EventType, int, int]]:
    """Return every event type that has versions, with its domain loaded, and its counts of
    live and of all versions: (event type, live, total)."""
    # Counted per event type in a subquery: PostgreSQL refuses to group a joined row by id.
    live = func.sum(case((SchemaVersion.deleted_at.is_(None), 1), else_=0))
    counts = (
        select(SchemaVersion.event_type_id, live.label("live"), func.count().label("total"))
        .group_by(SchemaVersion.event_type_id)
        .subquery()
    )
    rows = session.execute(
        select(EventType, counts.c.live, counts.c.total)
        .join(counts, counts.c.event_type_id == EventType.id)
        .join(Domain, Domain.id == EventType.domain_id)
        .options(joinedload(EventType.domain))
        .order_by(Domain.slug, EventType.name)
    )
    return [(event_type, int(live or 0), int(total)) for event_type, live, total in rows]


def versions_of_schema(session: Session, schema_id: int) -> list[SchemaVersion]:
    """Return every version (deleted ones too) that uses the schema, with event type and
    domain loaded, by domain, event and number."""
    return list(
        session.scalars(
            select(SchemaVersion)
            .join(EventType, EventType.id == SchemaVersion.event_type_id)
            .join(Domain, Domain.id == EventType.domain_id)
            .options(joinedload(SchemaVersion.event_type).joinedload(EventType.domain))
            .where(SchemaVersion.schema_id == schema_id)
            .order_by(Domain.slug, EventType.name, SchemaVersion.version)
        )
    )


def referencing_versions(session: Session, version_id: int) -> list[SchemaVersion]:
    """Return the versions whose schema references the given version row (live or not)."""
    return list(
        session.scalars(
            select(SchemaVersion)
            .join(Schema, Schema.id == SchemaVersion.schema_id)
            .join(SchemaReference, SchemaReference.schema_id == Schema.id)
            .options(joinedload(SchemaVersion.event_type).joinedload(EventType.domain))
            .where(SchemaReference.version_id == version_id)
            .order_by(SchemaVersion.id)
        )
    )


def unused_references(session: Session, version_id: int) -> list[SchemaReference]:
    """Return the references to the given version row held by stored contents that no version
    uses any more (every version using them was purged)."""
    used = select(SchemaVersion.id).where(SchemaVersion.schema_id == Schema.id).exists()
    return list(
        session.scalars(
            select(SchemaReference)
            .join(Schema, Schema.id == SchemaReference.schema_id)
            .where(SchemaReference.version_id == version_id, ~used)
            .order_by(SchemaReference.schema_id, SchemaReference.position)
        )
    )


def schema_in_use(session: Session, schema_id: int) -> bool:
    """Whether any version (live or soft-deleted) uses the stored content."""
    found = session.scalar(select(SchemaVersion.id).where(SchemaVersion.schema_id == schema_id))
    return found is not None


def all_versions(session: Session, event_type_id: int) -> list[SchemaVersion]:
    """Return every version of the event type, soft-deleted ones too, oldest first."""
    return list(
        session.scalars(
            select(SchemaVersion)
            .options(joinedload(SchemaVersion.schema))
            .where(SchemaVersion.event_type_id == event_type_id)
            .order_by(SchemaVersion.version)
        )
    )


def schema_by_guid(session: Session, guid: str) -> Schema | None:
    """Return the schema with this GUID, or None."""
    return session.scalar(select(Schema).where(Schema.guid == guid))


def team_domains(session: Session, team_slug: str) -> list[Domain]:
    """Return the domains a team owns, by slug."""
    return list(
        session.scalars(
            select(Domain).join(Team, Team.id == Domain.owner_team_id).where(Team.slug == team_slug)
        )
    )


def bindings_of(session: Session, event_type_id: int) -> list[Subject]:
    """Return the subject names bound to the event type."""
    return list(session.scalars(select(Subject).where(Subject.event_type_id == event_type_id)))
