"""The stored findings as the findings list reads them (migration 0018): a keyset page, the
counts per domain, kind and severity, the event types flagged (a condition on the event types'
list) and a bus's ordering hazards, each filtered with app.core.findings.Filters and leaving out
the event types a read analysed in memory (app.services.findings)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_, select, true, tuple_
from sqlalchemy.orm import Session

from app.core.findings import Filters
from app.db.models import Domain, EventAnalysis, EventType, StoredFinding

# The list's order: by domain, event, consumer, kind, finding and pointer (then id).
KEY = (
    StoredFinding.domain,
    StoredFinding.event,
    StoredFinding.consumer,
    StoredFinding.kind,
    StoredFinding.finding_id,
    StoredFinding.pointer,
)


def _filtered(statement, wanted: Filters, leave_out: Iterable[int]):
    leave_out = sorted(leave_out)
    if leave_out:
        statement = statement.where(StoredFinding.event_type_id.not_in(leave_out))
    for values, column in (
        (wanted.domains, StoredFinding.domain),
        (wanted.teams, StoredFinding.team),
        (wanted.severities, StoredFinding.severity),
        (wanted.kinds, StoredFinding.kind),
    ):
        if values:
            statement = statement.where(column.in_(sorted(str(v) for v in values)))
    return statement


def findings_after(
    session: Session,
    wanted: Filters,
    leave_out: Iterable[int],
    after: Sequence[str] | None,
    most: int,
) -> list[dict[str, Any]]:
    """Up to ``most`` stored findings (bodies) that ``wanted`` keeps, by the list's key, after
    the key ``after`` (None: from the start), leaving out the event types ``leave_out``."""
    statement = _filtered(select(StoredFinding.body), wanted, leave_out)
    if after is not None:
        statement = statement.where(tuple_(*KEY) > tuple_(*after))
    statement = statement.order_by(*KEY, StoredFinding.id).limit(most)
    return list(session.scalars(statement))


def finding_counts(
    session: Session, wanted: Filters, leave_out: Iterable[int]
) -> list[tuple[str, str, str, int]]:
    """(domain, kind, severity, how many) of the stored findings ``wanted`` keeps."""
    columns = (StoredFinding.domain, StoredFinding.kind, StoredFinding.severity)
    statement = _filtered(select(*columns, func.count()), wanted, leave_out).group_by(*columns)
    return [tuple(row) for row in session.execute(statement)]


def skipped_count(session: Session, domains: Iterable[str], leave_out: Iterable[int]) -> int:
    """How many event types (of these domains: all for none) were too costly to analyse."""
    statement = (
        select(func.count())
        .select_from(EventAnalysis)
        .join(EventType, EventType.id == EventAnalysis.event_type_id)
        .where(EventAnalysis.skipped.is_(true()))
    )
    domains, leave_out = sorted(domains), sorted(leave_out)
    if domains:
        statement = statement.join(Domain, Domain.id == EventType.domain_id).where(
            Domain.slug.in_(domains)
        )
    if leave_out:
        statement = statement.where(EventAnalysis.event_type_id.not_in(leave_out))
    return session.scalar(statement) or 0


@dataclass(frozen=True)
class Flagged:
    """The event types with (``wanted``) or without a finding of ``kind`` (any for None), as
    the stored rows say but for those a read analysed in memory (``fresh``), of which
    ``fresh_flagged`` have one."""

    kind: str | None
    wanted: bool
    fresh: frozenset[int] = frozenset()
    fresh_flagged: frozenset[int] = frozenset()


def flagged_condition(flagged: Flagged) -> ColumnElement[bool]:
    """A condition on EventType that keeps the event types ``flagged`` wants: an EXISTS on
    the stored findings' event_type_id index, so a list of them is a keyset page like any other
    (at 10,000 event types, reading every flagged name and walking the list took seconds)."""
    stored = select(StoredFinding.id).where(StoredFinding.event_type_id == EventType.id)
    if flagged.kind is not None:
        stored = stored.where(StoredFinding.kind == flagged.kind)
    has = stored.exists()
    if flagged.fresh:
        has = and_(has, EventType.id.not_in(sorted(flagged.fresh)))
    if flagged.fresh_flagged:
        has = or_(has, EventType.id.in_(sorted(flagged.fresh_flagged)))
    return has if flagged.wanted else not_(has)


def bus_findings(
    session: Session, bus_id: int, kind: str, leave_out: Iterable[int]
) -> list[dict[str, Any]]:
    """The stored findings of ``kind`` of the event types on a bus, in list order."""
    on_bus = select(EventType.id).where(EventType.bus_id == bus_id)
    statement = _filtered(select(StoredFinding.body), Filters(), leave_out).where(
        StoredFinding.event_type_id.in_(on_bus), StoredFinding.kind == kind
    )
    return list(session.scalars(statement.order_by(*KEY, StoredFinding.id)))
