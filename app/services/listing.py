"""Paginated lists of the catalogue, as the adapters' list endpoints and pages ask for them.

Every function takes ``after`` (the position a previous page ended at, from its ``Page.after``,
or None for the first page) and ``limit`` (how many items at most), and returns a ``Page``.
Filters name things by their public identity (slugs, ``domain.EventName``); an unknown one
raises NotFound, a malformed event reference InvalidInput, and an ``after`` that is not a
position in the list raises InvalidCursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.core.lifecycle import Lifecycle
from app.core.paging import Page
from app.core.vocabulary import RouterKind
from app.db.models import Bus, Consumer, Domain, EventType, SchemaVersion, Team
from app.db.queries import listing
from app.db.queries.stored_findings import Flagged
from app.services import catalog, versions

After = Sequence[Any] | None


def list_teams(session: Session, after: After, limit: int) -> Page[Team]:
    """Teams by slug."""
    return listing.teams(session, after, limit)


def list_domains(session: Session, after: After, limit: int) -> Page[Domain]:
    """Domains by slug, each with its owner team loaded."""
    return listing.domains(session, after, limit)


def list_buses(
    session: Session,
    after: After,
    limit: int,
    domain: str | None = None,
    router: RouterKind | None = None,
) -> Page[Bus]:
    """Buses by slug, with their domains; only those of ``domain`` (a slug) and of ``router``
    when given."""
    domain_id = catalog.get_domain(session, domain).id if domain else None
    return listing.buses(session, domain_id, after, limit, router)


def list_event_types(
    session: Session,
    after: After,
    limit: int,
    domain: str | None = None,
    bus: str | None = None,
    producer: str | None = None,
    deprecated: bool | None = None,
    router: RouterKind | None = None,
    lifecycle: Lifecycle | None = None,
    findings: Flagged | None = None,
) -> Page[EventType]:
    """Event types by domain slug and name; filters: domain and bus slugs, producer, deprecated
    (deprecated or retired), lifecycle (one stage), the router kind of their bus, and with or
    without findings (``findings``: app.services.findings.flagged)."""
    filters: dict[str, Any] = {
        "producer": producer,
        "deprecated": deprecated,
        "router": router,
        "lifecycle": lifecycle,
        "findings": findings,
    }
    if domain:
        filters["domain_id"] = catalog.get_domain(session, domain).id
    if bus:
        filters["bus_id"] = catalog.get_bus(session, bus).id
    return listing.event_types(session, filters, after, limit)


def list_consumers(
    session: Session,
    after: After,
    limit: int,
    bus: str | None = None,
    event: str | None = None,
    team: str | None = None,
) -> Page[Consumer]:
    """Consumers, oldest first; filters: bus slug, event (``domain.EventName``), team slug."""
    filters: dict[str, Any] = {}
    if bus:
        filters["bus_id"] = catalog.get_bus(session, bus).id
    if event:
        filters["event_type_id"] = catalog.get_event_type(session, *catalog.parse_ref(event)).id
    if team:
        filters["team_id"] = catalog.get_team(session, team).id
    return listing.consumers(session, filters, after, limit)


def list_versions(
    session: Session,
    domain: str,
    name: str,
    after: After,
    limit: int,
    include_deleted: bool = False,
) -> Page[SchemaVersion]:
    """An event type's versions by number (soft-deleted ones too when asked), schemas loaded."""
    event_type = catalog.get_event_type(session, domain, name)
    return listing.versions(session, event_type.id, include_deleted, after, limit)


def schema_usages(session: Session, schema_id: int) -> list[SchemaVersion]:
    """Every version (of any event type, deleted or not) that uses a schema, oldest first.

    Raises NotFound when there is no schema with that id.
    """
    versions.get_schema(session, schema_id)
    return listing.schema_usages(session, schema_id)
