"""Who receives an event and why: every consumer's rule evaluated against what its bus's
router would deliver for the event (app.core.routing.delivery). The event page, the consumer
tables, the analysis and the API all take their consumers from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.routing import InvalidPattern
from app.core.routing.delivery import Reception, reception
from app.core.schema import SchemaDocument
from app.db.models import Consumer, EventType
from app.db.queries import pages as queries
from app.db.queries.latest import event_types_with_latest_schema
from app.services import catalog, schemas, versions
from app.services.views import consumer_view


@dataclass(frozen=True)
class Receiver:
    """A consumer and whether (and why) it receives one event type."""

    consumer: Consumer
    reception: Reception

    def to_dict(self) -> dict[str, Any]:
        """The consumer's view with ``receives``, ``reason``, ``samples``, ``assumed`` and
        ``mismatch`` (see Reception)."""
        return {**consumer_view(self.consumer), **self.reception.to_dict()}


def receivers(
    session: Session, event_type: EventType, document: SchemaDocument | None = None
) -> list[Receiver]:
    """Every consumer on the event type's bus or declaring it, by name, each with its answer
    (receiving or not). ``document`` is the latest schema when the caller holds it already."""
    if document is None:
        document = latest_document(session, event_type)
    samples = [(s.name, s.payload) for s in event_type.samples if s.expect_valid]
    ref = f"{event_type.domain.slug}.{event_type.name}"
    found = []
    for consumer in queries.consumers_of_event(session, event_type):
        found.append(Receiver(consumer, _reception(consumer, event_type, ref, samples, document)))
    return found


def _reception(
    consumer: Consumer,
    event_type: EventType,
    ref: str,
    samples: list[tuple[str, Any]],
    document: SchemaDocument | None,
) -> Reception:
    if consumer.bus_id != event_type.bus_id:
        where = event_type.bus.slug if event_type.bus else "no bus"
        return Reception(
            False,
            f"it declares {ref} but listens on {consumer.bus.slug}, and {ref} travels on {where}",
        )
    declared = consumer.event_type
    named = f"{declared.domain.slug}.{declared.name}" if declared else None
    router = consumer.bus.router
    try:
        return reception(consumer.pattern, router, event_type.name, samples, document, named)
    except InvalidPattern as error:  # stored before rules were checked: says so, never a 500
        return Reception(False, f"its rule is not one {router} accepts: {error.detail}")


def event_receivers(session: Session, domain: str, name: str) -> list[dict[str, Any]]:
    """Who receives an event type and why, and who on its bus does not and why not."""
    event_type = catalog.get_event_type(session, domain, name)
    return [receiver.to_dict() for receiver in receivers(session, event_type)]


def latest_document(session: Session, event_type: EventType) -> SchemaDocument | None:
    """The latest live version's schema, or None before the first version."""
    try:
        latest = versions.get_version(session, event_type.domain.slug, event_type.name, "latest")
    except NotFound:
        return None
    return schemas.of_version(latest)


def received_events(session: Session, consumers: list[Consumer]) -> dict[int, list[str]]:
    """For each consumer (by id), the events of its bus its rule receives (``domain.Name``)."""
    received: dict[int, list[str]] = {c.id: [] for c in consumers}
    buses = sorted({c.bus_id for c in consumers})
    rows = (
        event_types_with_latest_schema(session, bus_ids=buses, with_samples=True) if buses else []
    )
    for event_type, _number, schema in rows:  # one statement for every bus
        document = schemas.of_schema(schema) if schema is not None else None
        samples = [(s.name, s.payload) for s in event_type.samples if s.expect_valid]
        ref = f"{event_type.domain.slug}.{event_type.name}"
        for consumer in consumers:
            if (
                consumer.bus_id == event_type.bus_id
                and _reception(consumer, event_type, ref, samples, document).receives
            ):
                received[consumer.id].append(ref)
    return received
