"""Findings across domains: every event type's lints, ordering hazard, consumer gaps,
routing-rule findings, deprecated-use warnings and missing examples, gathered by
app.core.findings from what app.services.analysis_store computed for each event type.

The lists read the stored analyses with SQL (a keyset page, GROUP BY counts), so a request
never analyses the whole catalogue; each event type is analysed within its own work budget
(app.core.limits), and one too costly to analyse is counted in ``skipped`` instead of failing
the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core import limits
from app.core.errors import InvalidInput
from app.core.findings import (
    Filters,
    Finding,
    FindingKind,
    Severity,
    gather,
    page_of,
    tally,
)
from app.core.paging import Page
from app.core.vocabulary import listed, member_of
from app.db.queries import pages as page_queries
from app.db.queries import stored_findings as queries
from app.db.queries.latest import event_types_with_latest_schema
from app.services import analysis_store, catalog, field_index, schemas
from app.services.rules import get_rules


@dataclass(frozen=True)
class FindingsPage:
    """One page of the findings list, with the counts of the whole filtered list, how many
    event types were too costly to analyse, and how many are being analysed (their findings
    are the stored ones of before their last change; 0: the answer is exact)."""

    page: Page[Finding]
    counts: dict[str, dict[str, int]]
    skipped: int = 0
    analysing: int = 0


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


def _checked(session: Session, wanted: Filters | None) -> Filters:
    """The filters, their domains and teams known (NotFound, 404, as the other lists)."""
    wanted = wanted or Filters()
    for slug in sorted(wanted.teams):
        catalog.get_team(session, slug)
    for slug in sorted(wanted.domains):
        catalog.get_domain(session, slug)
    return wanted


def list_findings(
    session: Session, after: Sequence[Any] | None, limit: int, wanted: Filters | None = None
) -> FindingsPage:
    """A page of the findings (keyset: by domain, event, consumer, kind and id), with the
    counts of every finding the filters keep; InvalidCursor (400) for a forged ``after``,
    NotFound (404) for an unknown domain or team among the filters.

    Read from the stored analyses (app.services.analysis_store) with SQL; the event types
    still stale are analysed for this answer when they are few, else counted in ``analysing``."""
    wanted = _checked(session, wanted)
    page_of([], after, limit)  # a forged cursor is refused before any work
    overlay = analysis_store.current(session)
    extra = [
        f for f in overlay.findings if wanted.keeps(f) and (after is None or f.key() > list(after))
    ]
    page = _page(session, wanted, overlay.ids, after, limit, extra)
    rows = queries.finding_counts(session, wanted, overlay.ids)
    rows += [(f.domain, f.kind, f.severity, 1) for f in overlay.findings if wanted.keeps(f)]
    skipped = queries.skipped_count(session, wanted.domains, overlay.ids) + sum(
        1 for domain in overlay.skipped if not wanted.domains or domain in wanted.domains
    )
    return FindingsPage(page, tally(rows), skipped, overlay.analysing)


def _page(
    session: Session,
    wanted: Filters,
    leave_out: frozenset[int],
    after: Sequence[Any] | None,
    limit: int,
    extra: list[Finding],
) -> Page[Finding]:
    """The page of the stored findings (but those of ``leave_out``) and ``extra`` together.
    Rows are read two more than the page (the last read key may continue past what was
    read, so only the keys before it are known complete); while that is not enough to end the
    page (findings sharing a key stay on one page), twice as many are read."""
    most = limit + 2
    while True:
        stored = [
            Finding.from_dict(body)
            for body in queries.findings_after(session, wanted, leave_out, after, most)
        ]
        if len(stored) < most:  # everything after the cursor was read
            return page_of(sorted(stored + extra, key=Finding.key), None, limit)
        # Only keys before the last one read are known to be complete.
        last = stored[-1].key()
        known = sorted((f for f in stored + extra if f.key() < last), key=Finding.key)
        if len(known) > limit and known[limit].key() != known[limit - 1].key():
            return page_of(known, None, limit)
        most *= 2


ANY, NONE = "any", "none"


def flagged(session: Session, wanted: str) -> queries.Flagged:
    """The ``/events?findings=`` filter as a condition of the event types' list: those with a
    finding of the kind ``wanted`` names, or of any kind for ``any``, or with none for
    ``none``; the stale event types as a read analyses them now. InvalidInput (422) naming
    the filter for any other word."""
    kind = None if wanted in (ANY, NONE) else member_of_findings(wanted)
    overlay = analysis_store.current(session)
    fresh_flagged = {
        event_type_id
        for event_type_id, found in overlay.by_event.items()
        if any(kind is None or f.kind is kind for f in found)
    }
    return queries.Flagged(kind, wanted != NONE, overlay.ids, frozenset(fresh_flagged))


def member_of_findings(word: str) -> FindingKind:
    """The finding kind ``word`` names; InvalidInput (422) naming ``findings`` otherwise."""
    try:
        return FindingKind(word)
    except ValueError:
        allowed = ", ".join([ANY, NONE, *FindingKind])
        raise InvalidInput(f"findings must be one of {allowed} (got {word!r})") from None


def of_bus(session: Session, bus_id: int) -> list[Finding]:
    """The ordering hazards of the event types travelling on a bus (its page's warnings)."""
    overlay = analysis_store.current(session)
    kind = FindingKind.ORDERING_HAZARD
    stored = queries.bus_findings(session, bus_id, kind, overlay.ids)
    found = [Finding.from_dict(body) for body in stored]
    for each in set(page_queries.event_type_ids_on_bus(session, bus_id)) & overlay.ids:
        found += [f for f in overlay.by_event[each] if f.kind is kind]
    return sorted(found, key=Finding.key)


def every_finding(session: Session) -> tuple[list[Finding], list[str]]:
    """Every finding of the catalogue computed at once, in list order, and the domain of each
    event type too costly to analyse: what the stored analyses add up to when none is stale
    (a reference for checks and tests; no request computes it)."""
    rows = event_types_with_latest_schema(session, None, with_samples=True, with_owners=True)
    everyone = page_queries.consumers_where(session)
    governance = get_rules(session)
    # Field conflicts span event types: found once for the catalogue, then given to each.
    conflicts = field_index.catalogue_conflicts(session)
    found: list[Finding] = []
    skipped: list[str] = []
    for event_type, version, schema in rows:
        document = schemas.of_schema(schema) if schema is not None else None
        try:
            with limits.budget():
                facts = (everyone, governance, conflicts)
                evidence, _receivers = analysis_store.evidence_of(
                    event_type, version, document, facts, True
                )
        except limits.LimitExceeded:  # stored under larger limits: too costly to analyse here
            skipped.append(event_type.domain.slug)
            continue
        found += gather(evidence)
    return sorted(found, key=Finding.key), skipped
