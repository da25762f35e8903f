"""Findings across domains: every event type's lints, ordering hazard, consumer gaps,
routing-rule findings, deprecated-use warnings and missing examples, gathered by
app.core.findings from what this service loads.

The catalogue is read in a fixed number of queries (event types with their latest schemas,
samples and owners; every consumer; the governance rules), whatever its size; each event type
is analysed within its own work budget (app.core.limits), and one too costly to analyse is
counted in ``skipped`` instead of failing the list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core import analysis as rules_of
from app.core import limits
from app.core.analysis.consistency import FieldConflict
from app.core.errors import InvalidInput
from app.core.findings import (
    EventEvidence,
    Filters,
    Finding,
    FindingKind,
    Severity,
    counts,
    gather,
    page_of,
)
from app.core.paging import Page
from app.core.schema import SchemaDocument
from app.core.vocabulary import listed, member_of
from app.db.models import Consumer, EventType
from app.db.queries import pages as page_queries
from app.db.queries.latest import event_types_with_latest_schema
from app.services import analysis, catalog, catalogue_cache, field_index, reception, schemas
from app.services.evidence import event_evidence
from app.services.pages import shape_of
from app.services.rules import get_rules


@dataclass(frozen=True)
class Gathered:
    """The findings kept by the filters, in list order; their counts per domain, kind and
    severity (app.core.findings.counts); and how many event types were too costly to analyse."""

    findings: list[Finding]
    counts: dict[str, dict[str, int]]
    skipped: int = 0


@dataclass(frozen=True)
class FindingsPage:
    """One page of the findings list, with the counts of the whole filtered list."""

    page: Page[Finding]
    counts: dict[str, dict[str, int]]
    skipped: int = 0


def filters(
    domains: Iterable[str] = (),
    teams: Iterable[str] = (),
    severities: Iterable[str] = (),
    kinds: Iterable[str] = (),
) -> Filters:
    """Filters from the words of a query string (each filter repeated or a comma list); a
    severity or kind outside its vocabulary raises InvalidInput (422) naming the filter."""
    return Filters(
        frozenset(listed(domains)),
        frozenset(listed(teams)),
        frozenset(member_of(Severity, word, "severity") for word in listed(severities)),
        frozenset(member_of(FindingKind, word, "kind") for word in listed(kinds)),
    )


def gathered(session: Session, wanted: Filters | None = None) -> Gathered:
    """Every finding of the catalogue that ``wanted`` keeps. An unknown domain or team slug
    among the filters raises NotFound (404), as the other lists do. The whole catalogue's
    findings are kept per process until the next write (app.services.catalogue_cache), and
    the filters applied to them."""
    wanted = wanted or Filters()
    for slug in sorted(wanted.teams):
        catalog.get_team(session, slug)
    for slug in sorted(wanted.domains):
        catalog.get_domain(session, slug)
    every = catalogue_findings(session)
    kept = [finding for finding in every.findings if wanted.keeps(finding)]
    # As before the cache: the skipped event types of the domains asked for (all without one).
    skipped = sum(
        n for domain, n in every.skipped.items() if not wanted.domains or domain in wanted.domains
    )
    return Gathered(kept, counts(kept), skipped)


@dataclass(frozen=True)
class Everything:
    """Every finding of the catalogue, in list order, and how many event types of each
    domain (by slug) were too costly to analyse."""

    findings: tuple[Finding, ...]
    skipped: dict[str, int]


def catalogue_findings(session: Session) -> Everything:
    """Every finding of the catalogue (kept per process until the next write)."""
    return catalogue_cache.cached(session, "findings", lambda: _catalogue_findings(session))


def _catalogue_findings(session: Session) -> Everything:
    found, skipped = _every_finding(session, None)
    return Everything(tuple(found), dict(Counter(skipped)))


def list_findings(
    session: Session, after: Sequence[Any] | None, limit: int, wanted: Filters | None = None
) -> FindingsPage:
    """A page of the findings (keyset: by domain, event, consumer, kind and id), with the
    counts of every finding the filters keep; InvalidCursor (400) for a forged ``after``."""
    every = gathered(session, wanted)
    return FindingsPage(page_of(every.findings, after, limit), every.counts, every.skipped)


ANY, NONE = "any", "none"


def flagged_events(session: Session, wanted: str) -> set[str]:
    """The event types (``domain.EventName``) with a finding of the kind ``wanted`` names, or
    of any kind for ``any`` and ``none`` (the ``/events?findings=`` filter keeps them, or with
    ``none`` the others); InvalidInput (422) naming the filter for any other word."""
    if wanted in (ANY, NONE):
        every = gathered(session)
    else:
        kind = member_of_findings(wanted)
        every = gathered(session, Filters(kinds=frozenset({kind})))
    return {finding.event for finding in every.findings}


def member_of_findings(word: str) -> FindingKind:
    """The finding kind ``word`` names; InvalidInput (422) naming ``findings`` otherwise."""
    try:
        return FindingKind(word)
    except ValueError:
        allowed = ", ".join([ANY, NONE, *FindingKind])
        raise InvalidInput(f"findings must be one of {allowed} (got {word!r})") from None


def of_bus(session: Session, bus_id: int) -> list[Finding]:
    """The ordering hazards of the event types travelling on a bus (its page's warnings)."""
    ids = page_queries.event_type_ids_on_bus(session, bus_id)
    if not ids:
        return []
    found, _skipped = _every_finding(session, ids, whole=False)
    return [f for f in found if f.kind is FindingKind.ORDERING_HAZARD]


def _every_finding(
    session: Session, ids: list[int] | None, whole: bool = True
) -> tuple[list[Finding], list[str]]:
    """Every finding of the event types ``ids`` (None: all), and the domain of each skipped one;
    ``whole=False`` leaves consumers and examples out (the event type's own analysis only)."""
    rows = event_types_with_latest_schema(session, ids, with_samples=True, with_owners=True)
    everyone = page_queries.consumers_where(session) if whole else []
    governance = get_rules(session)
    # Field conflicts span event types: found once for the catalogue, then given to each.
    conflicts = field_index.catalogue_conflicts(session) if whole else []
    found: list[Finding] = []
    skipped: list[str] = []
    for event_type, version, schema in rows:
        document = schemas.of_schema(schema) if schema is not None else None
        try:
            with limits.budget():
                facts = (everyone, governance, conflicts)
                evidence = _evidence(event_type, version, document, facts, whole)
        except limits.LimitExceeded:  # stored under larger limits: too costly to analyse here
            skipped.append(event_type.domain.slug)
            continue
        found += gather(evidence)
    return sorted(found, key=Finding.key), skipped


def _evidence(
    event_type: EventType,
    version: int | None,
    document: SchemaDocument | None,
    facts: tuple[list[Consumer], list[dict[str, Any]], list[FieldConflict]],
    whole: bool,
) -> EventEvidence:
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
    # Without ``whole`` (a bus page's hazards), no example is generated: no document given.
    return event_evidence(
        event_type, version, document if whole else None, lints, hazard, receivers
    )
