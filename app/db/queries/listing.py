"""Paginated, filtered lists of the catalogue's entities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from app.core.audit_targets import target_filter
from app.core.lifecycle import LEAVING
from app.db.models import (
    ApiToken,
    AuditEntry,
    Bus,
    Consumer,
    Domain,
    EventType,
    Schema,
    SchemaVersion,
    Team,
)
from app.db.queries.paging import Page, keyset_page
from app.db.queries.stored_findings import flagged_condition

After = Sequence[Any] | None


def teams(session: Session, after: After, limit: int) -> Page[Team]:
    """Teams by slug."""
    return keyset_page(session, select(Team), [Team.slug], lambda t: [t.slug], after, limit)


def tokens(session: Session, team_id: int, after: After, limit: int) -> Page[ApiToken]:
    """A team's tokens, oldest first."""
    statement = select(ApiToken).where(ApiToken.team_id == team_id)
    return keyset_page(session, statement, [ApiToken.id], lambda t: [t.id], after, limit)


def domains(session: Session, after: After, limit: int) -> Page[Domain]:
    """Domains by slug, with their owners."""
    statement = select(Domain).options(selectinload(Domain.owner))
    return keyset_page(session, statement, [Domain.slug], lambda d: [d.slug], after, limit)


def buses(
    session: Session, domain_id: int | None, after: After, limit: int, router: str | None = None
) -> Page[Bus]:
    """Buses by slug, optionally of one domain and of one router kind; with each domain and
    its owner (a bus's answer names both: one statement each, not one per domain)."""
    statement = select(Bus).options(selectinload(Bus.domain).selectinload(Domain.owner))
    if domain_id is not None:
        statement = statement.where(Bus.domain_id == domain_id)
    if router is not None:
        statement = statement.where(Bus.router == router)
    return keyset_page(session, statement, [Bus.slug], lambda b: [b.slug], after, limit)


def event_types(
    session: Session, filters: dict[str, Any], after: After, limit: int
) -> Page[EventType]:
    """Event types by domain and name; filters: domain_id, bus_id, producer, lifecycle,
    deprecated (deprecated or retired), router (the kind of the bus they travel on) and
    findings (a stored_findings.Flagged)."""
    statement = (
        select(EventType)
        .join(Domain, EventType.domain_id == Domain.id)
        .options(selectinload(EventType.domain), selectinload(EventType.bus))
    )
    if filters.get("router") is not None:
        statement = statement.join(Bus, EventType.bus_id == Bus.id).where(
            Bus.router == filters["router"]
        )
    for column, key in (
        (EventType.domain_id, "domain_id"),
        (EventType.bus_id, "bus_id"),
        (EventType.producer, "producer"),
        (EventType.lifecycle, "lifecycle"),
    ):
        if filters.get(key) is not None:
            statement = statement.where(column == filters[key])
    if filters.get("deprecated") is not None:
        leaving = EventType.lifecycle.in_(sorted(LEAVING))
        statement = statement.where(leaving if filters["deprecated"] else ~leaving)
    if filters.get("findings") is not None:
        statement = statement.where(flagged_condition(filters["findings"]))
    keys = [Domain.slug, EventType.name]
    return keyset_page(session, statement, keys, lambda e: [e.domain.slug, e.name], after, limit)


def consumers(
    session: Session, filters: dict[str, Any], after: After, limit: int
) -> Page[Consumer]:
    """Consumers, oldest first; filters: bus_id, event_type_id, team_id."""
    statement = select(Consumer).options(
        selectinload(Consumer.bus),
        selectinload(Consumer.team),
        selectinload(Consumer.event_type).selectinload(EventType.domain),
    )
    for column, key in (
        (Consumer.bus_id, "bus_id"),
        (Consumer.event_type_id, "event_type_id"),
        (Consumer.team_id, "team_id"),
    ):
        if filters.get(key) is not None:
            statement = statement.where(column == filters[key])
    return keyset_page(session, statement, [Consumer.id], lambda c: [c.id], after, limit)


def versions(
    session: Session, event_type_id: int, include_deleted: bool, after: After, limit: int
) -> Page[SchemaVersion]:
    """An event type's versions by number."""
    statement = (
        select(SchemaVersion)
        .where(SchemaVersion.event_type_id == event_type_id)
        # Each version answers its content's references too: loaded with the page.
        .options(selectinload(SchemaVersion.schema).selectinload(Schema.references))
    )
    if not include_deleted:
        statement = statement.where(SchemaVersion.deleted_at.is_(None))
    keys = [SchemaVersion.version]
    return keyset_page(session, statement, keys, lambda v: [v.version], after, limit)


def schema_usages(session: Session, schema_id: int) -> list[SchemaVersion]:
    """Every version (of any event type) that uses a schema."""
    statement = (
        select(SchemaVersion)
        .where(SchemaVersion.schema_id == schema_id)
        .options(selectinload(SchemaVersion.event_type).selectinload(EventType.domain))
        .order_by(SchemaVersion.id)
    )
    return list(session.scalars(statement))


def audit_entries(
    session: Session, filters: dict[str, Any], after: After, limit: int
) -> Page[AuditEntry]:
    """Audit entries, newest first; filters: actor, action, target (a whole target and what
    lies beneath it: app.core.audit_targets), since."""
    statement = select(AuditEntry)
    if filters.get("actor"):
        statement = statement.where(AuditEntry.actor == filters["actor"])
    if filters.get("action"):
        statement = statement.where(AuditEntry.action == filters["action"])
    if filters.get("target"):
        statement = statement.where(_target_matches(filters["target"]))
    since: datetime | None = filters.get("since")
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    keys = [AuditEntry.id]
    return keyset_page(session, statement, keys, lambda a: [a.id], after, limit, descending=True)


def _target_matches(text: str) -> ColumnElement[bool]:
    wanted = target_filter(text)
    either = [AuditEntry.target.startswith(prefix, autoescape=True) for prefix in wanted.prefixes]
    if wanted.exact is not None:
        either.append(AuditEntry.target == wanted.exact)
    return or_(*either)
