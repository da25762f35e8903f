"""The facts the landscape map is drawn from, and the choice of which of them a reader sees.

A reader narrows the map with filters (``domain``, ``bus``, ``service``, ``team``: each keeps
the event types that belong to it) and a focus (``domain:orders``, ``service:order-service``,
``bus:orders-bus``: that element and its direct neighbours). A filter naming nothing the
catalogue knows is bad input (InvalidInput, 422); a focus naming nothing is NotFound (404),
as a page of that element would be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.errors import InvalidInput, NotFound
from app.core.vocabulary import member_of


class NodeKind(StrEnum):
    """What a node of the map stands for; each links to that element's page."""

    DOMAIN = "domain"
    BUS = "bus"
    EVENT = "event"
    SERVICE = "service"


class LinkKind(StrEnum):
    """A relation the map draws, in event-storming order: a producer service publishes an
    event, the event travels on a bus, the bus delivers it to consumer services. ``flows`` is
    the summary's: events of one domain received by services at home in another."""

    PUBLISHES = "publishes"
    TRAVELS = "travels"
    DELIVERS = "delivers"
    FLOWS = "flows"


class View(StrEnum):
    """How much the map shows: ``auto`` chooses by size (see app.core.landscape.graph)."""

    AUTO = "auto"
    DETAIL = "detail"
    SUMMARY = "summary"


# What a focus may name, with the kind of its node.
FOCUS_KINDS = (NodeKind.DOMAIN, NodeKind.BUS, NodeKind.SERVICE)


@dataclass(frozen=True)
class Receiver:
    """A service that receives an event, and the team its consumer registration names."""

    service: str
    team: str | None = None


@dataclass(frozen=True)
class EventFact:
    """One event type as the map needs it: ``domain``/``name`` its address, ``team`` the
    domain owner's slug, ``bus`` and ``bus_domain`` slugs (None without a bus), ``producer``
    the service that emits it ("" when unnamed), ``receivers`` by service name."""

    domain: str
    name: str
    team: str
    bus: str | None = None
    bus_domain: str | None = None
    producer: str = ""
    receivers: tuple[Receiver, ...] = ()

    @property
    def ref(self) -> str:
        """``domain.Name``, as text names an event."""
        return f"{self.domain}.{self.name}"

    @property
    def services(self) -> set[str]:
        """Every service this event links: its producer and its receivers."""
        named = {r.service for r in self.receivers}
        return named | {self.producer} if self.producer else named


@dataclass(frozen=True)
class Landscape:
    """The whole catalogue for the map: the events by address, every domain (slug -> name,
    events or not), bus (slug -> its domain's slug) and team slug."""

    events: tuple[EventFact, ...]
    domains: dict[str, str] = field(default_factory=dict)
    buses: dict[str, str] = field(default_factory=dict)
    teams: frozenset[str] = frozenset()

    @property
    def services(self) -> set[str]:
        """Every service the events name."""
        return {service for event in self.events for service in event.services}


@dataclass(frozen=True)
class Focus:
    """The element a reader focuses on: its kind and its slug (a service: its name)."""

    kind: NodeKind
    name: str

    @classmethod
    def parse(cls, text: str) -> Focus:
        """``kind:name`` (``domain:orders``); InvalidInput (422) when malformed."""
        kind, sep, name = text.partition(":")
        if not sep or not name.strip():
            raise InvalidInput(
                f"focus must be kind:name, such as domain:orders (got {text!r}); kinds: "
                + ", ".join(FOCUS_KINDS)
            )
        found = member_of(NodeKind, kind.strip(), "the focus kind")
        if found not in FOCUS_KINDS:
            raise InvalidInput(f"the focus kind must be one of {', '.join(FOCUS_KINDS)}")
        return cls(found, name.strip())

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Query:
    """What a reader asked of the map; empty strings for filters not given."""

    domain: str = ""
    bus: str = ""
    service: str = ""
    team: str = ""
    focus: Focus | None = None
    view: View = View.AUTO
    links: frozenset[LinkKind] = frozenset(LinkKind)

    @classmethod
    def parse(cls, args: dict[str, str], links: Iterable[str] = ()) -> Query:
        """A query from the query string's values (``focus``, ``view``, ``link`` repeatable);
        InvalidInput (422) for a malformed focus, view or link kind."""
        focus = Focus.parse(args["focus"]) if args.get("focus") else None
        view = member_of(View, args["view"], "view") if args.get("view") else View.AUTO
        kinds = frozenset(member_of(LinkKind, each, "link") for each in links if each)
        return cls(
            **{name: args.get(name, "") for name in ("domain", "bus", "service", "team")},
            focus=focus,
            view=view,
            links=kinds or frozenset(LinkKind),
        )

    @property
    def narrowed(self) -> bool:
        """Whether any filter or a focus is set."""
        return bool(self.domain or self.bus or self.service or self.team or self.focus)


def chosen(landscape: Landscape, query: Query) -> list[EventFact]:
    """The events the query keeps, by address: filters first, then the focus. InvalidInput
    (422) for a filter naming no domain, bus, service or team; NotFound (404) for a focus
    naming nothing."""
    _check_filters(landscape, query)
    kept = [event for event in landscape.events if _passes(event, query)]
    if query.focus is None:
        return kept
    return _around(landscape, kept, query.focus)


def _check_filters(landscape: Landscape, query: Query) -> None:
    known = {
        "domain": landscape.domains,
        "bus": landscape.buses,
        "service": landscape.services,
        "team": landscape.teams,
    }
    problems = [
        f"{name} {value!r} names no {name} of the catalogue"
        for name, value in (
            ("domain", query.domain),
            ("bus", query.bus),
            ("service", query.service),
            ("team", query.team),
        )
        if value and value not in known[name]
    ]
    if problems:
        raise InvalidInput("; ".join(problems), [{"message": p} for p in problems])


def _passes(event: EventFact, query: Query) -> bool:
    received_by_team = any(r.team == query.team for r in event.receivers)
    return (
        (not query.domain or event.domain == query.domain)
        and (not query.bus or event.bus == query.bus)
        and (not query.service or query.service in event.services)
        and (not query.team or event.team == query.team or received_by_team)
    )


def _around(landscape: Landscape, events: list[EventFact], focus: Focus) -> list[EventFact]:
    """The events one link from the focused element. A domain: its events, the events on its
    buses, and the events the services publishing in it receive (what feeds it). A service:
    what it publishes and what it receives. A bus: what travels on it."""
    if focus.kind is NodeKind.DOMAIN:
        if focus.name not in landscape.domains:
            raise NotFound(f"no domain {focus.name!r} to focus on")
        own = {e.producer for e in landscape.events if e.domain == focus.name and e.producer}
        return [
            e
            for e in events
            if focus.name in (e.domain, e.bus_domain) or any(r.service in own for r in e.receivers)
        ]
    if focus.kind is NodeKind.BUS:
        if focus.name not in landscape.buses:
            raise NotFound(f"no bus {focus.name!r} to focus on")
        return [e for e in events if e.bus == focus.name]
    if focus.name not in landscape.services:
        raise NotFound(f"no event type names the service {focus.name!r}")
    return [e for e in events if focus.name in e.services]
