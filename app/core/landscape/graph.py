"""The map's nodes and links for the chosen events: in detail (services, events grouped by
domain, buses, consumer services) or summarised (domains as nodes, weighted flows).

The sizes below decide the view: the detail of a few hundred event types is still a page a
person can scan (about 30 px a row), past that only the summary is readable and small.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from app.core.errors import InvalidInput
from app.core.landscape.model import (
    DETAIL_LINKS,
    EventFact,
    Landscape,
    LinkKind,
    NodeKind,
    Query,
    View,
)
from app.core.words import counted

# ``view=auto`` draws the detail up to this many event types, the summary past it.
AUTO_DETAIL_MOST = 200
# ``view=detail`` is refused (422) past this many: the drawing would be megabytes.
DETAIL_MOST = 600
# The summary's node for receivers that publish in no domain and whose team owns none.
OUTSIDE = "*outside"

DETAIL_COLUMNS = ("Producer services", "Event types by domain", "Buses", "Consumer services")
SUMMARY_COLUMNS = ("Domains publishing", "Domains receiving")


@dataclass(frozen=True)
class Node:
    """One box of the map. ``key`` is unique in the graph; ``kind`` and ``name`` say what it
    stands for (a service's name, a bus or domain slug, an event's name with ``domain``);
    ``group`` the domain box it sits in; ``note`` a count line; ``focused`` the focus."""

    key: str
    kind: NodeKind
    name: str
    label: str
    column: int
    group: str | None = None
    domain: str | None = None
    note: str = ""
    focused: bool = False

    def to_dict(self) -> dict[str, Any]:
        """{key, kind, name, label, column, group, domain, note, focused}."""
        return {**asdict(self), "kind": str(self.kind)}


@dataclass(frozen=True)
class Link:
    """A relation drawn from one node (by key) to another; ``weight`` how many event types it
    stands for; ``title`` says so in words, naming both ends ("carts → payments: 3 events
    received by 2 services")."""

    source: str
    target: str
    kind: LinkKind
    weight: int = 1
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        """{source, target, kind, weight, title}."""
        return {**asdict(self), "kind": str(self.kind)}


@dataclass(frozen=True)
class Graph:
    """What the map draws: ``view`` detail or summary, ``columns`` their headings, ``groups``
    the domain boxes (slug -> name), and how many event types it stands for."""

    view: View
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    columns: tuple[str, ...]
    groups: dict[str, str]
    events: int

    def to_dict(self) -> dict[str, Any]:
        """{view, events, columns, domains (slug -> name), nodes, links}: what
        ``GET /api/v1/landscape`` answers."""
        return {
            "view": str(self.view),
            "events": self.events,
            "columns": list(self.columns),
            "domains": dict(self.groups),
            "nodes": [node.to_dict() for node in self.nodes],
            "links": [link.to_dict() for link in self.links],
        }


def graph(landscape: Landscape, events: list[EventFact], query: Query) -> Graph:
    """The graph of the chosen events as the query's view asks (``auto``: the detail up to
    AUTO_DETAIL_MOST event types). InvalidInput (422) for a detail past DETAIL_MOST."""
    view = query.view
    if view is View.AUTO:
        view = View.DETAIL if len(events) <= AUTO_DETAIL_MOST else View.SUMMARY
    if view is View.DETAIL and len(events) > DETAIL_MOST:
        raise InvalidInput(
            f"the detail of {len(events)} event types is too large to draw (at most "
            f"{DETAIL_MOST}): focus on a domain or a service, or filter"
        )
    if view is View.SUMMARY and query.links != DETAIL_LINKS:
        raise InvalidInput(
            "link chooses the detail view's lines (publishes, travels, delivers); the summary "
            "draws flows between domains only: leave link out or ask for view=detail"
        )
    nodes, links = _detail(events, query) if view is View.DETAIL else _summary(landscape, events)
    # Sorted, so the drawing depends on what is drawn and never on the order facts came in.
    links = sorted(
        (link for link in links if link.kind in query.links or view is View.SUMMARY),
        key=lambda link: (link.source, link.target, link.kind),
    )
    nodes = sorted(nodes, key=lambda node: node.key)
    columns = DETAIL_COLUMNS if view is View.DETAIL else SUMMARY_COLUMNS
    return Graph(view, tuple(nodes), tuple(links), columns, dict(landscape.domains), len(events))


def _focused(query: Query, kind: NodeKind, name: str) -> bool:
    return query.focus is not None and query.focus.kind is kind and query.focus.name == name


def _detail(events: list[EventFact], query: Query) -> tuple[list[Node], list[Link]]:
    nodes: dict[str, Node] = {}
    links: Counter[tuple[str, str, LinkKind]] = Counter()

    def service(name: str, column: int) -> str:
        key = f"{'producer' if column == 0 else 'consumer'}:{name}"
        focused = _focused(query, NodeKind.SERVICE, name)
        nodes.setdefault(key, Node(key, NodeKind.SERVICE, name, name, column, focused=focused))
        return key

    for event in events:
        key = f"event:{event.ref}"
        nodes[key] = Node(
            key, NodeKind.EVENT, event.name, event.name, 1, event.domain, event.domain
        )
        if event.producer:
            links[(service(event.producer, 0), key, LinkKind.PUBLISHES)] += 1
        if event.bus is None:
            continue
        bus = f"bus:{event.bus}"
        focused = _focused(query, NodeKind.BUS, event.bus)
        nodes.setdefault(
            bus, Node(bus, NodeKind.BUS, event.bus, event.bus, 2, event.bus_domain, focused=focused)
        )
        links[(key, bus, LinkKind.TRAVELS)] += 1
        for receiver in {r.service for r in event.receivers}:
            links[(bus, service(receiver, 3), LinkKind.DELIVERS)] += 1
    return list(nodes.values()), [
        Link(source, target, kind, weight, _detail_title(nodes, source, target, kind, weight))
        for (source, target, kind), weight in links.items()
    ]


def _detail_title(nodes: dict[str, Node], source: str, target: str, kind: LinkKind, n: int) -> str:
    """ "order-service → OrderPlaced: publishes 1 event"."""
    return f"{nodes[source].label} → {nodes[target].label}: {kind} {counted(n, 'event')}"


def _homes(landscape: Landscape) -> dict[str, set[str]]:
    """The domains a service is at home in: where it publishes; else (added by the caller)
    the domains its consumer registrations' teams own."""
    homes: dict[str, set[str]] = defaultdict(set)
    for event in landscape.events:
        if event.producer:
            homes[event.producer].add(event.domain)
    return homes


def _summary(landscape: Landscape, events: list[EventFact]) -> tuple[list[Node], list[Link]]:
    homes = _homes(landscape)
    owned: dict[str, set[str]] = defaultdict(set)
    for event in landscape.events:
        owned[event.team].add(event.domain)
    counts = Counter(event.domain for event in events)
    # A flow from one domain to another: the events of the first received by services at
    # home in the second (each event counted once however many services receive it).
    flows: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for event in events:
        for receiver in event.receivers:
            into = homes.get(receiver.service) or owned.get(receiver.team or "", set())
            for domain in sorted(into) or [OUTSIDE]:
                flows[(event.domain, domain)][0].add(event.ref)
                flows[(event.domain, domain)][1].add(receiver.service)
    received: Counter[str] = Counter()
    for (_source, target), (refs, _services) in flows.items():
        received[target] += len(refs)
    nodes = [
        _domain_node(landscape, slug, 0, counted(n, "event type")) for slug, n in counts.items()
    ]
    nodes += [
        _domain_node(landscape, slug, 1, f"receives {counted(n, 'event')}")
        for slug, n in received.items()
    ]
    labels = {node.key: node.label for node in nodes}
    links = [
        Link(
            f"from:{source}",
            f"to:{target}",
            LinkKind.FLOWS,
            len(refs),
            f"{labels[f'from:{source}']} → {labels[f'to:{target}']}: "
            f"{counted(len(refs), 'event')} received by {counted(len(services), 'service')}",
        )
        for (source, target), (refs, services) in flows.items()
    ]
    return nodes, links


def _domain_node(landscape: Landscape, slug: str, column: int, note: str) -> Node:
    key = f"{'from' if column == 0 else 'to'}:{slug}"
    if slug == OUTSIDE:
        return Node(key, NodeKind.SERVICE, "", "services in no domain", column, note=note)
    label = landscape.domains.get(slug, slug)
    return Node(key, NodeKind.DOMAIN, slug, label, column, note=note)
