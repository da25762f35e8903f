"""What app.core.findings gathers for one registered event type, built from what the analysis
or the findings list already loaded and computed (so both list the same findings)."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.analysis import LintFinding, OrderingHazard
from app.core.examples import no_example
from app.core.findings import ConsumerEvidence, EventEvidence
from app.core.lifecycle import Lifecycle, Stage
from app.core.schema import SchemaDocument
from app.db.models import EventType
from app.services.reception import Receiver


def event_evidence(
    event_type: EventType,
    version: int | None,
    document: SchemaDocument | None,
    lints: Sequence[LintFinding],
    hazard: OrderingHazard | None,
    receivers: Sequence[Receiver],
) -> EventEvidence:
    """The evidence of an event type (its domain with its owner, its bus loaded): its lints,
    ordering hazard, consumers (app.services.reception's receivers), lifecycle stage and, for
    its latest ``document``, whether it can produce an example event."""
    return EventEvidence(
        domain=event_type.domain.slug,
        team=event_type.domain.owner.slug,
        name=event_type.name,
        version=version,
        bus=event_type.bus.slug if event_type.bus else None,
        lints=lints,
        hazard=hazard,
        consumers=[_consumer(r, event_type) for r in receivers],
        stage=_stage(event_type),
        no_example=no_example(document) if document is not None else None,
    )


def _consumer(receiver: Receiver, event_type: EventType) -> ConsumerEvidence:
    consumer = receiver.consumer
    declares = consumer.event_type_id == event_type.id
    return ConsumerEvidence(
        consumer.id,
        consumer.name,
        consumer.team.slug if consumer.team else None,
        receiver.reception.receives or declares,
        receiver.findings,
    )


def _stage(event_type: EventType) -> Stage:
    since = event_type.deprecated_on.isoformat() if event_type.deprecated_on else None
    return Stage(
        Lifecycle(event_type.lifecycle), since, event_type.lifecycle_reason, event_type.successor
    )
