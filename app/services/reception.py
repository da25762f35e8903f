"""Who receives an event and why: every consumer's rule evaluated against what its bus's
router would deliver for the event (app.core.routing.delivery). The event page, the consumer
tables, the analysis and the API all take their consumers from here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from app.core import analysis
from app.core.errors import NotFound
from app.core.routing import InvalidPattern, compile_rule
from app.core.routing.delivery import Delivery, Reception, grammar_of
from app.core.routing.lint import ConsumerFinding, ConsumerFindingKind, consumer_findings
from app.core.routing.model import ConsumerScope, Node
from app.core.schema import SchemaDocument
from app.db.models import Consumer, EventType
from app.db.queries import analyses as analysis_queries
from app.db.queries import pages as queries
from app.db.queries.latest import event_types_with_latest_schema
from app.services import catalog, schemas, stale_marks, staleness, versions
from app.services.views import consumer_view


@dataclass(frozen=True)
class Receiver:
    """A consumer and whether (and why) it receives one event type, with what is wrong
    between them (its rule against the schema, fields it reads that the event lacks)."""

    consumer: Consumer
    reception: Reception
    findings: tuple[ConsumerFinding, ...] = ()

    @property
    def missing(self) -> list[str]:
        """The fields it reads that the event does not carry."""
        return [
            str(f.field_pointer)
            for f in self.findings
            if f.kind is ConsumerFindingKind.FIELD_NOT_CARRIED
        ]

    @property
    def calls_back(self) -> bool:
        """Whether it calls the producer back: it says so, or it reads fields the event lacks."""
        return self.consumer.calls_back or bool(self.missing)

    @property
    def listed(self) -> list[tuple[str | None, ConsumerFinding]]:
        """The findings as a consumer table lists them: (None, finding), this event implied."""
        return [(None, f) for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        """The consumer's view with ``receives``, ``reason``, ``samples``, ``assumed`` and
        ``mismatch`` (see Reception), ``missing_fields``, ``must_call_back`` and ``findings``
        (each {id, severity, rule_pointer, field_pointer, schema_pointer, message})."""
        return {
            **consumer_view(self.consumer),
            **self.reception.to_dict(),
            "missing_fields": self.missing,
            "must_call_back": self.calls_back,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Received:
    """What one consumer receives across its bus: the events (``domain.Name``) and, per event,
    the findings (a rule-wide one, such as a rule matching everything, once)."""

    events: list[str] = field(default_factory=list)
    findings: list[tuple[str, ConsumerFinding]] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """The fields it reads that some event it receives lacks."""
        return list(
            dict.fromkeys(
                str(f.field_pointer)
                for _ref, f in self.findings
                if f.kind is ConsumerFindingKind.FIELD_NOT_CARRIED
            )
        )

    @property
    def listed(self) -> list[tuple[str | None, ConsumerFinding]]:
        """The findings as a consumer table lists them: (event, finding)."""
        return self.findings


class _Event:
    """What every consumer's answer for one event type needs, computed once."""

    def __init__(self, event_type: EventType, document: SchemaDocument | None) -> None:
        self.event_type = event_type
        self.document = document
        self.ref = f"{event_type.domain.slug}.{event_type.name}"
        self.samples = [(s.name, s.payload) for s in event_type.samples if s.expect_valid]
        self.delivery = Delivery(event_type.name, self.samples, document)

    @cached_property
    def fields(self) -> set[str]:
        """The payload fields the event carries; walked only when a consumer needs them (a
        schema of 20,000 fields takes a second)."""
        return analysis.field_pointers(self.document, [p for _n, p in self.samples])

    def receiver(self, consumer: Consumer) -> Receiver:
        """The consumer's answer and findings for this event type."""
        if consumer.bus_id != self.event_type.bus_id:
            return Receiver(
                consumer, _reception(consumer, self.event_type, self.ref, self.delivery)
            )
        router = consumer.bus.router
        grammar = grammar_of(router, _scope(consumer))
        try:
            rule = compile_rule(consumer.pattern, *grammar) if consumer.pattern else None
        except InvalidPattern:  # stored before rules were checked: its reason says so
            rule = None
        answer = _reception(consumer, self.event_type, self.ref, self.delivery, rule)
        facts = {
            "rule": rule,
            "declared": consumer.event_type_id == self.event_type.id,
            "fields": consumer.fields,
            "calls_back": consumer.calls_back,
            "scope": grammar[1],
        }
        found = consumer_findings(
            facts, router, self.event_type.name, self.document, self.fields, answer.receives
        )
        return Receiver(consumer, answer, tuple(found))


def receivers(
    session: Session, event_type: EventType, document: SchemaDocument | None = None
) -> list[Receiver]:
    """Every consumer on the event type's bus or declaring it, by name, each with its answer
    (receiving or not). ``document`` is the latest schema when the caller holds it already."""
    if document is None:
        document = latest_document(session, event_type)
    return receivers_among(event_type, document, queries.consumers_of_event(session, event_type))


def readers_of(session: Session, event_type: EventType) -> list[Consumer]:
    """The consumers that receive the event type (on its bus, by their rules) or declare it,
    by name: from its stored analysis when that is up to date (no rule answered again), else
    answered now. The answer alone, without reasons and findings (``receivers`` has those)."""
    consumers = queries.consumers_of_event(session, event_type)
    stored = analysis_queries.fresh_receivers(session, event_type.id)
    if stored is None:
        document = latest_document(session, event_type)
        stored = {
            each.consumer.id
            for each in receivers_among(event_type, document, consumers)
            if each.reception.receives
        }
    return [c for c in consumers if c.id in stored or c.event_type_id == event_type.id]


def receivers_among(
    event_type: EventType, document: SchemaDocument | None, consumers: list[Consumer]
) -> list[Receiver]:
    """Like ``receivers``, for consumers already loaded (a whole catalogue's, by name): those on
    the event type's bus or declaring it get an answer, the others are left out."""
    event = _Event(event_type, document)
    return [
        event.receiver(c)
        for c in consumers
        if c.event_type_id == event_type.id
        or (event_type.bus_id is not None and c.bus_id == event_type.bus_id)
    ]


def _reception(
    consumer: Consumer,
    event_type: EventType,
    ref: str,
    delivery: Delivery,
    node: Node | None = None,
) -> Reception:
    """The consumer's answer for the event type ``delivery`` holds; ``node`` is its rule
    compiled already, when the caller has compiled it."""
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
        return delivery.reception(consumer.pattern, router, named, _scope(consumer), ref, node)
    except InvalidPattern as error:  # stored before rules were checked: says so, never a 500
        return Reception(False, f"its rule is not one {router} accepts: {error.detail}")


def _scope(consumer: Consumer) -> ConsumerScope | None:
    return ConsumerScope(consumer.scope) if consumer.scope else None


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


def receiving(
    rows: list[tuple[EventType, int | None, Any]], consumers: list[Consumer]
) -> dict[int, list[Consumer]]:
    """For each event type (by id) among ``rows`` (event_types_with_latest_schema's, samples
    loaded), the consumers on its bus whose rule receives it: the answer alone, without the
    findings the consumer tables show (the landscape map's question, asked of a whole
    catalogue at once)."""
    on_bus: dict[int, list[Consumer]] = {}
    for consumer in consumers:
        on_bus.setdefault(consumer.bus_id, []).append(consumer)
    found: dict[int, list[Consumer]] = {}
    for event_type, _number, schema in rows:
        listening = on_bus.get(event_type.bus_id or -1, [])
        if not listening:
            continue
        document = schemas.of_schema(schema) if schema is not None else None
        samples = [(s.name, s.payload) for s in event_type.samples if s.expect_valid]
        delivery = Delivery(event_type.name, samples, document)
        ref = f"{event_type.domain.slug}.{event_type.name}"
        # On one bus the answer depends only on the rule and its scope (what a consumer
        # declares changes the reason, never the answer): consumers sharing a rule, such as
        # the many with none, are asked once per event.
        answers: dict[tuple[str, str | None], bool] = {}
        kept = []
        for consumer in listening:
            key = (json.dumps(consumer.pattern, sort_keys=True), consumer.scope)
            if key not in answers:
                answers[key] = _reception(consumer, event_type, ref, delivery).receives
            if answers[key]:
                kept.append(consumer)
        found[event_type.id] = kept
    return found


def stored_receiving(
    session: Session, event_type_ids: list[int], consumers: list[Consumer]
) -> dict[int, list[Consumer]]:
    """``receiving``'s answer for these event types (every one of the catalogue, say), read from
    the stored answers (app.services.analysis_store); the stale ones are answered now when they
    are few (app.services.stale_marks.inline), else their stored answers are used."""
    most = stale_marks.inline()
    stale = staleness.stale_ids(session, most + 1)
    if stale:
        stale_marks.poke(session)
    now = stale if len(stale) <= most else []
    rows = event_types_with_latest_schema(session, now, with_samples=True) if now else []
    found = receiving(rows, consumers)
    stored = analysis_queries.receiving(session, now)
    for event_id in set(event_type_ids) - set(now):
        if event_id in stored:
            found[event_id] = [c for c in consumers if c.id in stored[event_id]]
    return found


def received_events(session: Session, consumers: list[Consumer]) -> dict[int, Received]:
    """For each consumer (by id), the events of its bus its rule receives (``domain.Name``) and
    the findings about it, event by event, in the order of the events' addresses.

    Read from the stored answers (app.services.analysis_store); the event types of their buses
    still stale are answered now when they are few (app.services.stale_marks.inline), so the
    work is the page's and the stale events', never the whole catalogue's."""
    received = {c.id: Received() for c in consumers}
    buses = sorted({c.bus_id for c in consumers})
    if not buses:
        return received
    most = stale_marks.inline()
    stale = staleness.stale_on_buses(session, buses, most + 1)
    if stale:
        stale_marks.poke(session)
    # Too many to answer now: their stored answers, of before their change, are shown.
    fresh = _answers(session, stale, consumers) if len(stale) <= most else {}
    stored = analysis_queries.receptions_of(session, sorted(received), _fresh_ids(fresh))
    on_bus: dict[int, list[Consumer]] = {}
    for consumer in consumers:  # each event meets its bus's consumers only, in their order
        on_bus.setdefault(consumer.bus_id, []).append(consumer)
    for event_id, bus_id, ref in analysis_queries.bus_events(session, buses):
        for consumer in on_bus.get(bus_id, ()):
            key = (event_id, consumer.id)
            if key in fresh:
                receives, found = fresh[key]
            elif key in stored:
                receives, bodies = stored[key]
                found = [ConsumerFinding.from_dict(body) for body in bodies]
            else:  # stored before the consumer existed and not yet marked: nothing to say
                continue
            _add(received[consumer.id], ref, receives, found)
    return received


def _fresh_ids(fresh: dict[tuple[int, int], Any]) -> set[int]:
    """The event types answered now (their stored answers are left out)."""
    return {event_id for event_id, _consumer in fresh}


def _answers(
    session: Session, ids: list[int], consumers: list[Consumer]
) -> dict[tuple[int, int], tuple[bool, list[ConsumerFinding]]]:
    """The consumers' answers for these event types, computed now, by (event id, consumer id)."""
    answers = {}
    rows = event_types_with_latest_schema(session, ids, with_samples=True) if ids else []
    for event_type, _number, schema in rows:
        event = _Event(event_type, schemas.of_schema(schema) if schema is not None else None)
        for consumer in consumers:
            if consumer.bus_id == event_type.bus_id:
                answer = event.receiver(consumer)
                answers[event_type.id, consumer.id] = (answer.reception.receives, answer.findings)
    return answers


def _add(into: Received, ref: str, receives: bool, found: Iterable[ConsumerFinding]) -> None:
    if receives:
        into.events.append(ref)
    # A rule-wide finding (one matching everything) is listed once, not once per event.
    seen = {f.kind for _ref, f in into.findings if f.field_pointer is None}
    into.findings.extend(
        (ref, f)
        for f in found
        if f.kind is not ConsumerFindingKind.MATCHES_EVERYTHING or f.kind not in seen
    )
