"""The landscape map's use case: the whole catalogue's facts gathered in a few statements,
narrowed by the reader's query, turned into a graph and placed (app.core.landscape).

Raises InvalidInput (422) for a malformed query, a filter naming nothing, or a detail too
large to draw; NotFound (404) for a focus naming nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.landscape.graph import Graph, graph
from app.core.landscape.layout import Drawing, layout
from app.core.landscape.model import EventFact, Landscape, Query, Receiver, chosen
from app.db.queries import asyncapi as consumer_queries
from app.db.queries import directory as queries
from app.db.queries.latest import event_types_with_latest_schema
from app.services import catalogue_cache
from app.services.reception import stored_receiving


@dataclass(frozen=True)
class Map:
    """What the map pages show: the query, the chosen events (for the table beside the
    drawing), the graph and its drawing."""

    query: Query
    events: list[EventFact]
    graph: Graph
    drawing: Drawing


def landscape(session: Session) -> Landscape:
    """Every event type with its domain, owner, bus, producer and the services whose consumer
    rules receive it (decided as the event page decides: app.services.reception, and stored
    per event type: app.services.analysis_store); gathered once per committed state of the
    catalogue, kept per process (app.services.catalogue_cache)."""
    return catalogue_cache.cached(session, "landscape", lambda: _landscape(session))


def _landscape(session: Session) -> Landscape:
    # Who receives what is read from the stored answers: no rule is evaluated here.
    rows = event_types_with_latest_schema(session, with_owners=True)
    ids = [event_type.id for event_type, _number, _schema in rows]
    received = stored_receiving(session, ids, consumer_queries.consumers(session))
    buses = queries.bus_domains(session)
    events = []
    for event_type, _number, _schema in rows:
        receivers = sorted(
            {
                Receiver(c.name, c.team.slug if c.team else None)
                for c in received.get(event_type.id, [])
            },
            key=lambda r: (r.service, r.team or ""),
        )
        bus = event_type.bus.slug if event_type.bus else None
        events.append(
            EventFact(
                domain=event_type.domain.slug,
                name=event_type.name,
                team=event_type.domain.owner.slug,
                bus=bus,
                bus_domain=buses.get(bus) if bus else None,
                producer=event_type.producer,
                receivers=tuple(receivers),
            )
        )
    return Landscape(
        tuple(events),
        queries.domain_names(session),
        buses,
        frozenset(queries.slugs(session)["teams"]),
    )


def landscape_map(session: Session, query: Query) -> Map:
    """The map the query asks for: chosen events, graph and drawing."""
    whole = landscape(session)
    events = chosen(whole, query)
    drawn = graph(whole, events, query)
    return Map(query, events, drawn, layout(drawn))
