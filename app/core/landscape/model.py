"""The facts the landscape map is drawn from, and the choice of which of them a reader sees.

A reader narrows the map with filters (``domain``, ``bus``, ``service``, ``team``: each keeps
the event types that belong to it) and a focus (``domain:orders``, ``service:order-service``,
``bus:orders-bus``: that element and its direct neighbours). A filter naming nothing the
catalogue knows is bad input (InvalidInput, 422); a focus naming nothing is NotFound (404),
as a page of that element would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.errors import InvalidInput, NotFound
from app.core.vocabulary import listed, member_of
from app.core.words import counted


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


# What a focus may name, with the kind of its node: the one list every focus message gives.
FOCUS_KINDS = (NodeKind.DOMAIN, NodeKind.BUS, NodeKind.SERVICE)
# The lines ``link`` may choose: the detail view's. The summary draws ``flows`` only.
DETAIL_LINKS = frozenset({LinkKind.PUBLISHES, LinkKind.TRAVELS, LinkKind.DELIVERS})
# The filters that take several values (repeated or comma lists, as /findings does); an event
# passes a filter when it belongs to any of its values.
FILTERS = ("domain", "bus", "service", "team")
# The parameters that take one value: a second one is refused rather than silently dropped.
SINGLE = ("focus", "view")


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
        kinds = ", ".join(FOCUS_KINDS)
        kind, sep, name = text.partition(":")
        if not sep or not name.strip():
            raise InvalidInput(
                f"focus must be kind:name, such as domain:orders (got {text!r}); kinds: {kinds}"
            )
        found = next((each for each in FOCUS_KINDS if each == kind.strip()), None)
        if found is None:
            raise InvalidInput(f"the focus kind must be one of {kinds} (got {kind.strip()!r})")
        return cls(found, name.strip())

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Query:
    """What a reader asked of the map: each filter's values (empty: not filtered), the focus,
    the view and the detail's kinds of line."""

    domain: frozenset[str] = frozenset()
    bus: frozenset[str] = frozenset()
    service: frozenset[str] = frozenset()
    team: frozenset[str] = frozenset()
    focus: Focus | None = None
    view: View = View.AUTO
    links: frozenset[LinkKind] = DETAIL_LINKS

    @classmethod
    def parse(cls, args: Mapping[str, Sequence[str]]) -> Query:
        """A query from the query string, each parameter with every value given (Werkzeug's
        ``to_dict(flat=False)``): the FILTERS and ``link`` repeated or comma lists, ``focus``
        and ``view`` one value. InvalidInput (422) for a repeated focus or view, a malformed
        focus, an unknown view, or a link kind other than DETAIL_LINKS'."""
        for name in SINGLE:
            if len(listed(args.get(name, ()))) > 1:
                raise InvalidInput(f"{name} takes one value (got {', '.join(args[name])})")
        focus = listed(args.get("focus", ()))
        view = listed(args.get("view", ()))
        allowed = ", ".join(k for k in LinkKind if k in DETAIL_LINKS)
        kinds = set()
        for word in listed(args.get("link", ())):
            kind = next((k for k in DETAIL_LINKS if k == word), None)
            if kind is None:
                raise InvalidInput(f"link must be one of {allowed} (got {word!r})")
            kinds.add(kind)
        return cls(
            **{name: frozenset(listed(args.get(name, ()))) for name in FILTERS},
            focus=Focus.parse(focus[0]) if focus else None,
            view=member_of(View, view[0], "view") if view else View.AUTO,
            links=frozenset(kinds) or DETAIL_LINKS,
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
        for name in FILTERS
        for value in sorted(getattr(query, name))
        if value not in known[name]
    ]
    # One problem is the message itself; several are counted, then listed one by one.
    if len(problems) == 1:
        raise InvalidInput(problems[0])
    if problems:
        raise InvalidInput(
            f"{counted(len(problems), 'filter value')} name nothing in the catalogue",
            [{"message": p} for p in problems],
        )


def _passes(event: EventFact, query: Query) -> bool:
    received_by_team = any(r.team in query.team for r in event.receivers)
    return (
        (not query.domain or event.domain in query.domain)
        and (not query.bus or event.bus in query.bus)
        and (not query.service or bool(query.service & event.services))
        and (not query.team or event.team in query.team or received_by_team)
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
