"""Each event type's analysis (its findings and its consumers' answers), computed once when its
inputs change and stored as rows (migration 0018), so no request analyses the whole catalogue.

- Every use case's writes are turned into marks before it commits (app.services.stale_marks,
  called by app.services.transaction.atomic): one statement flags the event types whose findings or
  receptions the writes may change (app.db.analysis_marks says which). No analysis runs in a
  write.
- ``refresh`` recomputes event types with the same code as the whole-catalogue computation did
  (``evidence_of``) and replaces their rows; ``refresh_stale`` does it for every stale event
  type in chunks, each its own transaction, claiming rows so that processes share the work.
  Refreshing is derived data: it adds no audit entry, so the catalogue's clock stays put.
- A read (``current``) overlays the event types still stale: at most ``inline`` of them are
  analysed in memory for that answer, which is then exact; with more, the stored rows are
  served and the answer says how many event types are being analysed. A read never writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.core import analysis as rules_of
from app.core import limits
from app.core.analysis.consistency import FieldConflict
from app.core.findings import EventEvidence, Finding, gather
from app.core.schema import SchemaDocument
from app.db.models import Consumer, EventType
from app.db.queries import analyses as queries
from app.db.queries import fields as field_queries
from app.db.queries import pages as page_queries
from app.db.queries.latest import event_types_with_latest_schema
from app.db.serial import try_alone
from app.services import (
    analysis,
    catalogue_cache,
    field_index,
    reception,
    schemas,
    staleness,
    transaction,
)
from app.services.evidence import event_evidence
from app.services.reception import Receiver
from app.services.rules import get_rules
from app.services.shapes import shape_of
from app.services.stale_marks import inline, mark_stale, poke

# Event types analysed per refresh transaction (each ~4 ms on 2 cores: a short write lock).
CHUNK = 20


@dataclass(frozen=True)
class Analysed:
    """One event type analysed now: its findings in list order, whether it was too costly to
    analyse (then no findings and no receivers), and its consumers' answers."""

    event_type_id: int
    domain: str
    findings: list[Finding]
    skipped: bool
    receivers: list[Receiver]
    shape: str | None = None


def analyse(session: Session, ids: Iterable[int]) -> list[Analysed]:
    """Analyse these event types now (those that exist), each within its own work budget
    (app.core.limits), as the whole-catalogue computation did."""
    ids = sorted(set(ids))
    if not ids:
        return []
    rows = event_types_with_latest_schema(session, ids, with_samples=True, with_owners=True)
    governance = get_rules(session)
    # A conflict is about one field name: only the names these event types carry that are
    # declared two ways somewhere are read (a name every event carries alike costs nothing).
    names = field_queries.disagreeing_names(session, ids)
    conflicts = field_index.conflicts_of_names(session, names)
    # Every consumer of the chunk at once; receivers_among keeps each event type's own.
    consumers = page_queries.consumers_reaching(session, ids)
    found = []
    for event_type, version, schema in rows:
        document = schemas.of_schema(schema) if schema is not None else None
        try:
            with limits.budget():
                facts = (consumers, governance, conflicts)
                evidence, receivers = evidence_of(event_type, version, document, facts, True)
        except limits.LimitExceeded:  # stored under larger limits: too costly to analyse here
            found.append(Analysed(event_type.id, event_type.domain.slug, [], True, []))
            continue
        findings = gather(evidence)
        # evidence_of classified it already: the same arguments hit shape_of's cache.
        shape = shape_of(document, [s.payload for s in event_type.samples if s.expect_valid])
        slug = event_type.domain.slug
        found.append(Analysed(event_type.id, slug, findings, False, receivers, shape))
    return found


def evidence_of(
    event_type: EventType,
    version: int | None,
    document: SchemaDocument | None,
    facts: tuple[list[Consumer], list[dict[str, Any]], list[FieldConflict]],
    whole: bool,
) -> tuple[EventEvidence, list[Receiver]]:
    """The evidence app.core.findings gathers for one event type (its lints with governance
    rules and field conflicts, ordering hazard, consumers, example) and its receivers;
    ``whole=False`` leaves the example out (a bus page's hazards need none)."""
    everyone, governance, conflicts = facts
    samples = [s.payload for s in event_type.samples if s.expect_valid] or None
    receivers = reception.receivers_among(event_type, document, everyone)
    shape = shape_of(document, samples or [])
    lints, hazard = [], None
    if shape is not None:
        lints = analysis.lints_of(event_type, document, samples, shape, governance)
        if document is not None:  # as the event's own analysis (analysis.lint_event) adds them
            ref = f"{event_type.domain.slug}.{event_type.name}"
            lints += field_index.findings_among(conflicts, ref)
        router = event_type.bus.router if event_type.bus else None
        hazard = rules_of.ordering_hazard(shape, router, document, samples)
    evidence = event_evidence(
        event_type, version, document if whole else None, lints, hazard, receivers
    )
    return evidence, receivers


def refresh(session: Session, ids: Iterable[int], seen: dict[int, int] | None = None) -> int:
    """Recompute these event types and replace their stored rows, in the caller's
    transaction; returns how many were analysed (deleted ones are left out). ``seen`` are
    their generations when claimed (read now when not given): one marked again since stays
    stale, its rows of this analysis replaced again at the next refresh."""
    ids = sorted(set(ids))
    if seen is None:
        queries.add_missing(session, ids)
        seen = queries.generations(session, ids)
    done = analyse(session, ids)
    queries.replace(session, ids, [_stored(each, seen.get(each.event_type_id, 0)) for each in done])
    return len(done)


def _stored(each: Analysed, generation: int) -> queries.Analysed:
    receptions = [
        (
            r.consumer.id,
            r.reception.receives,
            r.reception.reason,
            [f.to_dict() for f in r.findings],
        )
        for r in each.receivers
    ]
    findings = [finding.to_dict() for finding in each.findings]
    shape = str(each.shape) if each.shape is not None else None  # the enum's value as text
    return queries.Analysed(
        each.event_type_id, generation, findings, each.skipped, receptions, shape
    )


def refresh_chunk(session: Session, most: int = CHUNK) -> int:
    """Refresh up to ``most`` stale event types; returns how many.

    On PostgreSQL in one transaction of their own, claimed so that another process
    refreshing at the same time takes others. On SQLite, whose write transaction excludes
    every writer of every process, they are analysed on a read snapshot first and only their
    rows written in a short write transaction: registrations never wait for an analysis (a
    chunk took the write lock for hundreds of ms on a loaded machine, and writers met their
    budget, 503). A mark made in between changed the generation, so the event type stays
    stale; one deleted in between is left out."""
    if queries.any_missing(session):  # a read first: a write transaction only when needed
        with transaction.atomic(session):
            queries.add_missing(session)
    if queries.claims_lock(session):
        with transaction.atomic(session):
            seen = queries.claim(session, most)
            refresh(session, seen, seen)
        return len(seen)
    seen = queries.claim(session, most)  # a read: not locked, another process may take them too
    done = analyse(session, seen)
    with transaction.atomic(session):
        alive = queries.existing(session, seen)
        stored = [_stored(each, seen[each.event_type_id]) for each in done]
        queries.replace(session, alive, [each for each in stored if each.event_type_id in alive])
    return len(seen)


def refresh_stale(session: Session, most: int = CHUNK, everything: bool = False) -> int:
    """Refresh every stale event type (every event type with ``everything``), chunk by chunk;
    returns how many were refreshed."""
    if everything:
        with transaction.atomic(session):
            mark_stale(session, everything=True)
    done = 0
    while True:
        count = refresh_chunk(session, most)
        # What a chunk loaded is not needed by the next: a big catalogue stays out of memory.
        session.expunge_all()
        done += count
        if count < most:
            return done


def refresh_alone(session: Session, database_url: str) -> bool:
    """Refresh every stale event type, unless another process of this host is refreshing
    this SQLite database at the moment: then nothing is done and False is returned (try again
    shortly). On SQLite nothing claims an event type, so refreshers of several processes
    would each analyse every stale event type, and each chunk is a write transaction that
    registrations wait behind; one at a time (app.db.serial.try_alone) does the work once. On
    PostgreSQL the claims share the work: always True."""
    with try_alone(database_url, "analyse") as alone:
        if alone:
            refresh_stale(session)
        return alone


def stale_count(session: Session) -> int:
    """How many event types are stale (or never analysed)."""
    return len(staleness.stale_ids(session))


@dataclass(frozen=True)
class Overlay:
    """The stale event types as a read sees them: ``by_event`` holds the findings (in list
    order) of those analysed in memory for this answer, whose stored rows are to be left out,
    and ``skipped`` the domain of each of them too costly to analyse; ``analysing`` counts the
    stale event types served from their stored rows (too many to analyse inline): 0 when the
    answer is exact."""

    by_event: dict[int, tuple[Finding, ...]] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    analysing: int = 0

    @property
    def ids(self) -> frozenset[int]:
        """The event types analysed in memory."""
        return frozenset(self.by_event)

    @property
    def findings(self) -> list[Finding]:
        """Their findings, in list order."""
        return sorted((f for found in self.by_event.values() for f in found), key=Finding.key)


def current(session: Session) -> Overlay:
    """What a read adds to the stored rows (see Overlay); pokes the refresher when something
    is stale. Never writes."""
    most = inline()
    stale = staleness.stale_ids(session, most + 1)
    if not stale:
        return Overlay()
    poke(session)
    if len(stale) > most:
        return Overlay(analysing=stale_count(session))
    # Kept per committed state and stale set: reads between two writes (or two refreshes)
    # analyse the same event types once (a field-conflict check costs ~130 ms at 10,000).
    key = "overlay:" + ",".join(map(str, stale))
    return catalogue_cache.cached(session, key, lambda: _overlay(session, stale))


def _overlay(session: Session, stale: list[int]) -> Overlay:
    done = analyse(session, stale)
    # A stale id that no longer exists has no rows to leave out: an empty entry is harmless.
    by_event = {each.event_type_id: tuple(each.findings) for each in done}
    skipped = tuple(each.domain for each in done if each.skipped)
    return Overlay(by_event, skipped)
