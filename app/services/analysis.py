"""Event-design analysis of registered event types: shape, consumer cost, ordering, lints."""

from __future__ import annotations

import json
from collections import Counter
from statistics import mean
from typing import Any

from sqlalchemy.orm import Session

from app.core import analysis, limits
from app.core.errors import InvalidInput, NotFound
from app.core.findings import gather
from app.core.schema import SchemaDocument
from app.db.models import Bus, EventType, SchemaVersion
from app.db.queries.latest import event_types_with_latest_schema
from app.services import catalogue_cache, field_index, publishing, reception, schemas
from app.services.catalog import get_bus, get_event_type
from app.services.evidence import event_evidence
from app.services.rules import get_rules
from app.services.versions import get_version


def analyse(
    session: Session,
    schema: Any = None,
    samples: list[Any] | None = None,
    bus: str | None = None,
    router: str | None = None,
) -> dict[str, Any]:
    """Classify a schema and/or sample events, without anything registered: {shape, richness,
    signals, advice, envelope}; with a ``bus`` (a registered one's slug) or a ``router`` kind
    the event would travel on, also {bus (or null), router, ordering (the ordering hazard of the
    event on that router, or null), router_advice}, as a registered event's analysis gives them.

    The schema is checked like any new input: an invalid one raises InvalidInput (422) with
    every problem and its pointer, as do a bus and a router together and an unknown bus."""
    if schema is None and not samples:
        raise InvalidInput("send a schema, samples, or both")
    if bus is not None and router is not None:
        raise InvalidInput(
            "send a bus or a router, not both: a bus has its own router",
            [{"message": "give bus or router", "pointer": "/router"}],
        )
    if bus is not None:
        router = _bus_router(session, bus)
    limits.check_batch(len(samples or []), pointer="/samples")
    for index, sample in enumerate(samples or []):
        limits.check_event(sample, pointer=f"/samples/{index}")
    document = schemas.checked(schema) if schema is not None else None
    try:
        with limits.budget():
            shape = analysis.classify(document, samples or None)
            if router is None:
                return shape.to_dict()
            return {**shape.to_dict(), **carried(shape.shape, bus, router, document, samples)}
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def carried(
    shape: str, bus: str | None, router: str, document: SchemaDocument | None, samples: Any
) -> dict[str, Any]:
    """{bus, router, ordering, router_advice}: the ordering hazard (or None) and the advice
    for an event of this shape on this router (app.core.analysis)."""
    hazard = analysis.ordering_hazard(shape, router, document, samples or None)
    return {
        "bus": bus,
        "router": router,
        "ordering": hazard.to_dict() if hazard else None,
        "router_advice": analysis.router_advice(router, shape, analysis.needs_ordering(shape)),
    }


def _bus_router(session: Session, slug: str) -> str:
    try:
        return get_bus(session, slug).router
    except NotFound as error:
        raise InvalidInput(str(error), [{"message": "no such bus", "pointer": "/bus"}]) from None


def analyse_event(
    session: Session,
    domain: str,
    name: str,
    receivers: list[reception.Receiver] | None = None,
) -> dict[str, Any]:
    """Analyse a registered event type: its latest version, samples and consumers (within one
    work budget: LimitExceeded beyond it). ``receivers``: the event type's receivers
    (``reception.receivers`` of its latest schema) when the caller holds them already, so an
    event's page answers each consumer's rule once (at 1,000 consumers, half its CPU)."""
    event_type = get_event_type(session, domain, name)
    try:
        latest = get_version(session, domain, name, "latest")
    except NotFound:
        latest = None
    return analyse_event_type(session, event_type, latest, receivers)


def analyse_event_type(
    session: Session,
    event_type: EventType,
    latest: SchemaVersion | None,
    receivers: list[reception.Receiver] | None = None,
) -> dict[str, Any]:
    """``analyse_event`` of an event type and its latest live version (None before the first)
    the caller has read already (an event's page reads them once for all it shows)."""
    with limits.budget():
        return _analyse_event(session, event_type, latest, receivers)


def _analyse_event(
    session: Session,
    event_type: EventType,
    latest: SchemaVersion | None,
    receivers: list[reception.Receiver] | None,
) -> dict[str, Any]:
    domain, name = event_type.domain.slug, event_type.name
    document = schemas.of_version(latest) if latest is not None else None
    version = latest.version if latest is not None else None
    samples = [s.payload for s in event_type.samples if s.expect_valid] or None
    if document is None and samples is None:
        raise NotFound(f"{domain}.{name} has no versions and no samples to analyse yet")
    shape = analysis.classify(document, samples)
    router = event_type.bus.router if event_type.bus else None
    hazard = analysis.ordering_hazard(shape.shape, router, document, samples)
    findings = lint_event(session, event_type, document, samples, shape.shape)
    everyone = (
        receivers if receivers is not None else reception.receivers(session, event_type, document)
    )
    receiving = [r for r in everyone if r.reception.receives]
    consumers = [
        {"name": r.consumer.name, "fields": r.consumer.fields, "calls_back": r.consumer.calls_back}
        for r in receiving
    ]
    fields = analysis.field_pointers(document, samples)
    cost = analysis.consumer_cost(shape, consumers, fields)
    evidence = event_evidence(event_type, version, document, findings, hazard, everyone)
    return {
        "event": f"{domain}.{name}",
        "version": version,
        **shape.to_dict(),
        "consumers": cost.to_dict(),
        "receivers": [
            {"id": r.consumer.id, "name": r.consumer.name, **r.reception.to_dict()}
            for r in receiving
        ],
        "ordering": hazard.to_dict() if hazard else None,
        "lints": [finding.to_dict() for finding in findings],
        "consumer_findings": consumer_findings(everyone),
        # Every finding of the event as GET /api/v1/findings lists it (app.core.findings).
        "findings": [f.to_dict() for f in gather(evidence)],
    }


def consumer_findings(receivers: list[reception.Receiver]) -> list[dict[str, Any]]:
    """What is wrong between an event and its consumers, each finding with the consumer's id,
    name and team: {consumer_id, consumer, team, id, severity, rule_pointer, field_pointer,
    schema_pointer, message}."""
    return [
        {
            "consumer_id": r.consumer.id,
            "consumer": r.consumer.name,
            "team": r.consumer.team.slug if r.consumer.team else None,
            **finding.to_dict(),
        }
        for r in receivers
        for finding in r.findings
    ]


def lint_event(
    session: Session,
    event_type: EventType,
    document: SchemaDocument | None,
    samples: list[Any] | None,
    shape: str,
) -> list[analysis.LintFinding]:
    """The event-storming lints and the registry's governance rules for one event type."""
    findings = lints_of(event_type, document, samples, shape, get_rules(session))
    if document is not None:
        findings += field_index.event_findings(session, event_type)
    return findings


def lints_of(
    event_type: EventType,
    document: SchemaDocument | None,
    samples: list[Any] | None,
    shape: str,
    rules: list[dict[str, Any]],
) -> list[analysis.LintFinding]:
    """The event-storming lints and the given governance rules (app.services.rules) for one
    event type, its domain and bus loaded."""
    facts = {
        "domain": event_type.domain.slug,
        "name": event_type.name,
        "producer": event_type.producer,
        "aggregate": event_type.aggregate,
        **publishing.bus_facts(event_type),
    }
    findings = analysis.lint(facts, document, samples, shape)
    if document is not None:
        findings += analysis.apply_rules(rules, document)
    return findings


def bus_advice(
    session: Session, slug: str, events_per_second: float | None, prices: dict | None = None
) -> dict[str, Any]:
    """What a bus's router guarantees, what its events need, and what the traffic would cost."""
    bus = get_bus(session, slug)
    # Classifying every event of a busy bus is the page's cost: kept until the next write.
    shapes, sizes = catalogue_cache.cached(
        session, f"bus-events:{bus.id}", lambda: _bus_events(session, bus)
    )
    needs_ordering = any(analysis.needs_ordering(shape) for shape in shapes.values())
    # On a tie the shape met first (the bus's events in their stored order) wins: a set's
    # order changes with each process's string hashing, and the advice with it.
    dominant = Counter(shapes.values()).most_common(1)[0][0] if shapes else "thin"
    body: dict[str, Any] = {
        "bus": bus.slug,
        "router": bus.router,
        "ordering": analysis.DEFAULT_PRICES.get(bus.router, {}).get("ordering", "none"),
        "event_shapes": shapes,
        "needs_ordering": needs_ordering,
        "advice": analysis.router_advice(bus.router, dominant, needs_ordering),
        "payload_bytes": round(mean(sizes)) if sizes else None,
        "estimate": None,
    }
    if events_per_second is not None:
        size = body["payload_bytes"] or 1024
        body["estimate"] = router_estimate(events_per_second, size, prices)
    return body


def router_estimate(
    events_per_second: float, payload_bytes: int, prices: dict | None = None
) -> dict[str, Any]:
    """Monthly cost of each router for a declared throughput and payload size."""
    try:
        routers = analysis.estimate(events_per_second, payload_bytes, prices)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    return {"routers": [router.to_dict() for router in routers]}


def _latest_schema(
    session: Session, event_type: EventType
) -> tuple[SchemaDocument | None, int | None]:
    try:
        latest = get_version(session, event_type.domain.slug, event_type.name, "latest")
    except NotFound:
        return None, None
    return schemas.of_version(latest), latest.version


def _bus_events(session: Session, bus: Bus) -> tuple[dict[str, str], list[int]]:
    shapes, sizes = {}, []
    for event_type, _version, schema in event_types_with_latest_schema(
        session, bus_id=bus.id, with_samples=True
    ):
        document = schemas.of_schema(schema) if schema is not None else None
        samples = [s.payload for s in event_type.samples if s.expect_valid]
        sizes += [len(json.dumps(sample).encode()) for sample in samples]
        if document is not None or samples:
            try:
                with limits.budget():
                    result = analysis.classify(document, samples or None)
            except limits.LimitExceeded:  # stored under larger limits: no shape to tell
                continue
            shapes[f"{event_type.domain.slug}.{event_type.name}"] = result.shape
    return shapes, sizes
