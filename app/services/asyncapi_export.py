"""Exporting a domain, a service or the whole catalogue as an AsyncAPI 3.0 document
(docs/interop.md, AsyncAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.asyncapi import ApiCatalog, Channel, Message, Subscription, write_document
from app.core.asyncapi.bundling import bundled
from app.core.errors import InvalidInput, NotFound
from app.core.vocabulary import RouterKind
from app.db.models import Bus, Consumer, EventType
from app.db.queries import asyncapi as queries
from app.db.queries import schemas as schema_queries
from app.services import schemas
from app.services.catalog import get_domain


def export_document(
    session: Session,
    domain: str | None = None,
    service: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """An AsyncAPI 3.0 document (JSON values) of one domain (its event types, buses and the
    consumers on them), one service (the event types it produces and the consumers it runs)
    or, with neither, the whole catalogue. With ``at`` (an aware time), the catalogue as it
    was then: what was created later is left out and each event type's payload is its latest
    live version registered at or before ``at``. Raises NotFound (no such domain or service)
    and InvalidInput (both given)."""
    if domain is not None and service is not None:
        raise InvalidInput("export a domain or a service, not both")
    if domain is not None:
        owner = get_domain(session, domain)
        events = queries.event_types(session, owner.id, at=at)
        buses = queries.buses(session, owner.id, at)
        consumers = queries.consumers(session, [bus.id for bus in buses], at=at)
        title = owner.name or owner.slug
    elif service is not None:
        events = queries.event_types(session, producer=service, at=at)
        consumers = queries.consumers(session, name=service, at=at)
        if not events and not consumers:
            raise NotFound(f"no event type is produced and no consumer is run by {service!r}")
        buses = _used_buses(events, consumers)
        title = service
    else:
        events, buses = queries.event_types(session, at=at), queries.buses(session, None, at)
        consumers, title = queries.consumers(session, at=at), "Eventry catalogue"
    return write_document(_catalog(session, title, events, buses, consumers, at))


def _used_buses(events: list[EventType], consumers: list[Consumer]) -> list[Bus]:
    found = {event.bus.slug: event.bus for event in events if event.bus is not None}
    found.update({consumer.bus.slug: consumer.bus for consumer in consumers})
    return [found[slug] for slug in sorted(found)]


def _catalog(
    session: Session,
    title: str,
    events: list[EventType],
    buses: list[Bus],
    consumers: list[Consumer],
    at: datetime | None,
) -> ApiCatalog:
    on = {bus.slug for bus in buses}
    channels = [Channel(bus.slug, RouterKind(bus.router), bus.description) for bus in buses]
    messages = [_message(session, event, on, at) for event in events]
    named = {event.id for event in events}
    subscriptions = [
        Subscription(
            consumer.name,
            consumer.bus.slug,
            consumer.event_type.name if consumer.event_type_id in named else None,
        )
        for consumer in consumers
        if consumer.event_type_id is None or consumer.event_type_id in named
    ]
    return ApiCatalog(title, "1.0.0", channels, messages, list(dict.fromkeys(subscriptions)))


def _message(session: Session, event: EventType, on: set[str], at: datetime | None) -> Message:
    live = schema_queries.live_versions(session, event.id)
    if at is not None:
        live = [version for version in live if version.created_at <= at]
    payload = bundled(schemas.of_version(live[-1])) if live else None
    examples = tuple(
        (sample.name, sample.payload)
        for sample in event.samples
        if sample.expect_valid and (at is None or sample.created_at <= at)
    )
    bus = event.bus.slug if event.bus is not None and event.bus.slug in on else ""
    return Message(
        event=event.name,
        bus=bus,
        producer=event.producer,
        description=event.description,
        payload=payload if isinstance(payload, dict) else None,
        samples=examples,
    )
