"""The catalogue's lists as a reader browses them: event types, buses, domains, consumers and
services, each filtered, counted and paginated by keyset as the API's lists are.

Every list function takes ``after`` (where the previous page ended, from its ``Page.after``;
None for the first page) and ``limit``, and returns a ``Page``. Filters name things by their
public identity (slugs, router kinds, shapes); an unknown slug raises NotFound (404), a value
outside a vocabulary InvalidInput (422), a forged ``after`` InvalidCursor (400).

A *service* is an application named by the catalogue: the producer an event type names, or a
consumer's name. Producers are free text, so a service is known by its name alone; the same
name as producer and as consumer is one service that both publishes and consumes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import InvalidCursor, NotFound
from app.core.lifecycle import Lifecycle
from app.core.paging import Page
from app.core.vocabulary import ORDERED_ROUTERS, EventShape, RouterKind, member_of
from app.db.models import Bus, Consumer, Domain, EventType, Team
from app.db.queries import directory as queries
from app.db.queries import pages as page_queries
from app.services import catalogue_cache, findings, listing
from app.services.pages import EventRow, event_rows

After = Sequence[Any] | None
# How many rows a filtered walk reads at a time when a filter is not a column (the shape).
BATCH = 100


@dataclass(frozen=True)
class EventFilters:
    """What the event list may be narrowed to; each given as the query string writes it."""

    domain: str = ""
    bus: str = ""
    router: str = ""
    shape: str = ""
    lifecycle: str = ""
    findings: str = ""  # any, none, or a finding kind (app.core.findings.FindingKind)


def events(session: Session, after: After, limit: int, filters: EventFilters) -> Page[EventRow]:
    """Event types by domain slug and name, each with its latest version and shape."""
    router = member_of(RouterKind, filters.router, "router") if filters.router else None
    shape = member_of(EventShape, filters.shape, "shape") if filters.shape else None
    lifecycle = member_of(Lifecycle, filters.lifecycle, "lifecycle") if filters.lifecycle else None

    flagged = findings.flagged(session, filters.findings) if filters.findings else None

    def fetch(position: After, size: int) -> Page[EventRow]:
        found = listing.list_event_types(
            session,
            position,
            size,
            domain=filters.domain or None,
            bus=filters.bus or None,
            router=router,
            lifecycle=lifecycle,
            findings=flagged,
        )
        ids = [event_type.id for event_type in found.items]
        by_id = {row.event_type.id: row for row in event_rows(session, ids)} if ids else {}
        return Page([by_id[each] for each in ids], found.after)

    if shape is None:
        return fetch(after, limit)
    return _walk(fetch, lambda row: row.shape == shape, _event_key, after, limit)


def _event_key(row: EventRow) -> list[Any]:
    return [row.event_type.domain.slug, row.event_type.name]


def _walk(
    fetch: Callable[[After, int], Page[Any]],
    keep: Callable[[Any], bool],
    key: Callable[[Any], list[Any]],
    after: After,
    limit: int,
) -> Page[Any]:
    """A page of the rows ``keep`` accepts, reading the unfiltered list batch by batch; the
    position stays the unfiltered list's key, so the cursor is the same kind as the API's."""
    kept: list[Any] = []
    position = after
    while True:
        batch = fetch(position, BATCH)
        for row in batch.items:
            if keep(row):
                kept.append(row)
                if len(kept) > limit:
                    return Page(kept[:limit], key(kept[limit - 1]))
        if batch.after is None:
            return Page(kept, None)
        position = batch.after


@dataclass(frozen=True)
class BusRow:
    """A bus in the list, with how many event types travel on it and consumers subscribe."""

    bus: Bus
    events: int
    consumers: int

    @property
    def ordered(self) -> bool:
        """Whether its router keeps events in order per key (Kinesis, Kafka, MQ)."""
        return self.bus.router in ORDERED_ROUTERS


def buses(
    session: Session, after: After, limit: int, domain: str = "", router: str = ""
) -> Page[BusRow]:
    """Buses by slug, with their domains and counts; filters: domain slug, router kind."""
    kind = member_of(RouterKind, router, "router") if router else None
    found = listing.list_buses(session, after, limit, domain=domain or None, router=kind)
    ids = [bus.id for bus in found.items]
    events = page_queries.events_per_bus(session)
    consumers = queries.consumers_per_bus(session, ids)
    rows = [BusRow(bus, events.get(bus.id, 0), consumers.get(bus.id, 0)) for bus in found.items]
    return Page(rows, found.after)


@dataclass(frozen=True)
class DomainRow:
    """A domain in the list, with its owner and how many buses and event types it has."""

    domain: Domain
    buses: int
    events: int


def domains(session: Session, after: After, limit: int) -> Page[DomainRow]:
    """Domains by slug, with their owner teams and counts."""
    found = listing.list_domains(session, after, limit)
    ids = [domain.id for domain in found.items]
    buses = queries.buses_per_domain(session, ids)
    events = queries.events_per_domain(session, ids)
    rows = [DomainRow(d, buses.get(d.id, 0), events.get(d.id, 0)) for d in found.items]
    return Page(rows, found.after)


def consumers(
    session: Session, after: After, limit: int, bus: str = "", team: str = "", event: str = ""
) -> Page[Consumer]:
    """Consumers, oldest first; filters: bus slug, team slug, event (``domain.EventName``)."""
    return listing.list_consumers(
        session, after, limit, bus=bus or None, event=event or None, team=team or None
    )


@dataclass(frozen=True)
class Service:
    """An application the catalogue names: what it publishes and consumes, through which
    buses, owned by which teams (the owners of the domains it publishes in and the teams its
    consumer registrations name)."""

    name: str
    publishes: list[EventType] = field(default_factory=list)
    consumes: list[Consumer] = field(default_factory=list)

    @property
    def buses(self) -> list[Bus]:
        """Every bus it publishes or consumes on, by slug."""
        found = {e.bus.id: e.bus for e in self.publishes if e.bus is not None}
        found.update({c.bus.id: c.bus for c in self.consumes})
        return sorted(found.values(), key=lambda bus: bus.slug)

    @property
    def teams(self) -> list[Team]:
        """The teams that own it, by name."""
        found = {e.domain.owner.id: e.domain.owner for e in self.publishes}
        found.update({c.team.id: c.team for c in self.consumes if c.team is not None})
        return sorted(found.values(), key=lambda team: (team.name.casefold(), team.slug))


@dataclass(frozen=True)
class ServiceName:
    """A service in the list: its name and whether it publishes, consumes or both."""

    name: str
    publishes: bool
    consumes: bool


def service_names(session: Session) -> tuple[ServiceName, ...]:
    """Every service the catalogue names (producers and consumers), by name: kept per
    catalogue clock (app.services.catalogue_cache), as the services list, the search page
    and the front page ask on every view and 10,000 event types name thousands."""
    return catalogue_cache.cached(session, "service-names", lambda: _service_names(session))


def _service_names(session: Session) -> tuple[ServiceName, ...]:
    producers = set(queries.producer_names(session))
    consumers = set(queries.consumer_names(session))
    return tuple(
        ServiceName(name, name in producers, name in consumers)
        for name in sorted(producers | consumers)
    )


def services(session: Session, after: After, limit: int) -> Page[ServiceName]:
    """The services by name, a page at a time (``after``: [last name seen])."""
    if after is not None and not (
        isinstance(after, list) and len(after) == 1 and isinstance(after[0], str)
    ):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    rows = [s for s in service_names(session) if after is None or [s.name] > list(after)]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, [rows[-1].name] if more else None)


def service(session: Session, name: str) -> Service:
    """The service of that name; NotFound (404) when no event type or consumer names it."""
    found = Service(
        name, queries.published_by(session, name), queries.consumers_named(session, name)
    )
    if not found.publishes and not found.consumes:
        raise NotFound(f"no event type names the producer {name!r} and no consumer is so named")
    return found


def choices(session: Session) -> dict[str, Any]:
    """What the lists' filters offer: domain, bus and team slugs, router kinds, shapes and
    lifecycles."""
    return {
        **queries.slugs(session),
        "routers": list(RouterKind),
        "shapes": list(EventShape),
        "lifecycles": list(Lifecycle),
    }


# How many of each kind the search page lists beside the event types (a narrower query finds
# the rest; the event types themselves page on).
MOST_FOUND = 20


def find(session: Session, query: str, most: int = MOST_FOUND) -> dict[str, list[Any]]:
    """Everything but event types whose name (slug) or description mentions the query,
    case-insensitive, grouped by kind: ``teams``, ``domains``, ``buses``, ``consumers``,
    ``services`` (names), at most ``most`` of each; kinds with nothing found are left out.
    The query is taken as it is (the event-type search checks its length)."""
    needle = query.strip().lower()
    found = queries.named_like(session, needle, most)
    found["services"] = [s for s in service_names(session) if needle in s.name.lower()][:most]
    return {kind: items for kind, items in found.items() if items}
