"""Read use cases of the catalogue's pages: all that a page shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.lifecycle import LEAVING
from app.core.limits import LimitExceeded
from app.core.schema import SchemaDocument
from app.db.models import Consumer, EventType, SchemaVersion, Team
from app.db.queries import analyses as analysis_queries
from app.db.queries import pages as queries
from app.db.queries.latest import event_types_with_latest_schema
from app.services import (
    analysis,
    catalog,
    publishing,
    reception,
    schemas,
    validation,
    webhooks,
)
from app.services.compatibility import effective_config
from app.services.shapes import shape_of


@dataclass(frozen=True)
class EventRow:
    """An event type in a list: its latest live version number and its shape."""

    event_type: EventType
    version: int | None
    shape: str | None


@dataclass(frozen=True)
class EventPage:
    """Everything the event-type page shows."""

    event_type: EventType
    latest: SchemaVersion | None
    document: SchemaDocument | None
    analysis: dict[str, Any] | None
    level: str
    policy: str
    samples: list[validation.SampleResult]
    versions: list[SchemaVersion]
    receivers: list[reception.Receiver]

    @property
    def consumers(self) -> list[Consumer]:
        """The consumers whose rules receive the event, by name."""
        return [r.consumer for r in self.receivers if r.reception.receives]

    @property
    def still_to_move(self) -> list[tuple[Consumer, SchemaVersion]]:
        """The consumers declaring the event that pin a deprecated or retired version of it,
        with that version, by name ("consumers still to move")."""
        leaving = {v.version: v for v in self.versions if v.lifecycle in LEAVING}
        return [
            (r.consumer, leaving[r.consumer.version])
            for r in self.receivers
            if r.consumer.event_type_id == self.event_type.id and r.consumer.version in leaving
        ]

    @property
    def reasons(self) -> dict[int, reception.Receiver]:
        """Each consumer's answer (a Receiver: its Reception and findings), by consumer id."""
        return {r.consumer.id: r for r in self.receivers}

    @property
    def consumer_findings(self) -> list[tuple[reception.Receiver, Any]]:
        """(receiver, finding) for every finding about a consumer and this event."""
        return [(r, finding) for r in self.receivers for finding in r.findings]

    @property
    def passed_over(self) -> list[reception.Receiver]:
        """Consumers on the event's bus (or declaring it) whose rules do not receive it."""
        return [r for r in self.receivers if not r.reception.receives]

    @property
    def schema(self) -> Any:
        """The latest version's schema as JSON (None before the first version)."""
        return self.document.raw if self.document is not None else None


def domain_page(session: Session, slug: str, most: int | None = None) -> dict[str, Any]:
    """A domain with its owner, buses, its first ``most`` event types by name (all for None;
    with shapes) and how many it has (``event_count``), and its first ``most`` consumers by
    name and how many there are (``consumer_count``). A page lists the first ones and links to
    the whole lists (``/events?domain=``, ``/consumers?bus=``): a domain of hundreds of event
    types classified each one's shape on every view."""
    domain = queries.domain_with_parts(session, slug)
    if domain is None:
        raise NotFound(f"there is no domain {slug!r}")
    ids = queries.event_type_ids(session, domain.id)
    shown = ids if most is None else ids[:most]
    return {
        "domain": domain,
        "events": event_rows(session, event_type_ids=shown) if shown else [],
        "event_count": len(ids),
        **_consumers(session, *queries.consumers_of_domain(session, domain.id, most)),
    }


def bus_page(
    session: Session,
    slug: str,
    events_per_second: float | None,
    prices: dict | None = None,
    most: int | None = None,
) -> dict[str, Any]:
    """A bus with its domain, router advice (and cost estimate), its first ``most`` events by
    address (all for None) and how many travel on it (``event_count``), and its first ``most``
    consumers by name and how many there are (``consumer_count``)."""
    bus = catalog.get_bus(session, slug)
    advice = analysis.bus_advice(session, slug, events_per_second, prices)
    shapes = advice["event_shapes"]
    ids = queries.event_type_ids_on_bus(session, bus.id)
    shown = ids if most is None else ids[:most]
    rows = event_types_with_latest_schema(session, shown) if shown else []
    events = [
        EventRow(event_type, version, shapes.get(f"{event_type.domain.slug}.{event_type.name}"))
        for event_type, version, _schema in rows
    ]
    return {
        "bus": bus,
        "advice": advice,
        "events": events,
        "event_count": len(ids),
        # Events of other domains (shown or not), each with what lets it travel here (None:
        # nothing does).
        "consents": {
            each.id: publishing.consent(each)
            for each in queries.foreign_event_types_on_bus(session, bus)
        },
        **_consumers(session, *queries.first_consumers_on_bus(session, bus.id, most)),
    }


def event_page(session: Session, domain: str, name: str) -> EventPage:
    """An event type with its latest schema, analysis, settings, samples, versions, consumers:
    the event type and its versions read once for all of them."""
    event_type = catalog.get_event_type(session, domain, name)
    every = queries.event_versions(session, event_type.id)
    live = [v for v in every if v.deleted_at is None]
    latest = live[-1] if live else None
    document = schemas.of_version(latest) if latest else None
    receivers = reception.receivers(session, event_type, document)
    try:
        findings = analysis.analyse_event_type(session, event_type, latest, receivers)
    except (NotFound, LimitExceeded):  # nothing to analyse yet, or too costly to analyse
        findings = None
    level, policy = effective_config(session, event_type)
    return EventPage(
        event_type=event_type,
        latest=latest,
        document=document,
        analysis=findings,
        level=level,
        policy=policy,
        samples=validation.checked_samples(event_type, latest).items,
        versions=every,
        receivers=receivers,
    )


def live_versions(session: Session, event_type: EventType) -> list[SchemaVersion]:
    """The event type's versions that are not deleted, oldest first."""
    return [v for v in queries.event_versions(session, event_type.id) if v.deleted_at is None]


def team_page(session: Session, slug: str, most: int | None = None) -> dict[str, Any]:
    """A team, the domains it owns, its tokens (metadata only), its first ``most`` consumers
    by name (all for None) and how many it has (``consumer_count``)."""
    found = queries.team_with_domains(session, slug)
    if found is None:
        raise NotFound(f"there is no team {slug!r}")
    team, domains = found
    return {
        "team": team,
        "domains": domains,
        "tokens": sorted(team.tokens, key=lambda token: token.id),
        **_consumers(session, *queries.first_consumers_of_team(session, team.id, most)),
        "webhooks": webhooks.team_webhooks(session, team.id),
    }


def _consumers(session: Session, consumers: list[Consumer], count: int) -> dict[str, Any]:
    """A consumer table's rows, by consumer id the events each one's rule receives and the
    findings about it (a reception.Received), and how many consumers there are in all
    (``consumer_count``): a page lists its first ones, as what each receives is read per
    consumer and event (a domain of 1,000 consumers read 100,000 stored answers per view)."""
    return {
        "consumers": consumers,
        "received": reception.received_events(session, consumers),
        "consumer_count": count,
    }


def teams(session: Session) -> list[Team]:
    """Every team, by name (case-insensitive)."""
    return queries.all_teams(session)


def event_rows(session: Session, event_type_ids: list[int]) -> list[EventRow]:
    """The given event types by address, each with its latest version and shape: the shape
    stored with its analysis when that is up to date (app.services.analysis_store), else
    classified now from its latest schema and valid samples (loaded for those only)."""
    stored = analysis_queries.stored_shapes(session, event_type_ids)
    rows = event_types_with_latest_schema(session, event_type_ids)
    missing = [event_type.id for event_type, _v, _s in rows if event_type.id not in stored]
    if missing:
        classified = {
            event_type.id: shape_of(
                schemas.of_schema(schema) if schema is not None else None,
                [sample.payload for sample in event_type.samples if sample.expect_valid],
            )
            for event_type, _version, schema in event_types_with_latest_schema(
                session, missing, with_samples=True
            )
        }
        stored = {**stored, **classified}
    return [
        EventRow(event_type, version, stored.get(event_type.id))
        for event_type, version, _schema in rows
    ]
