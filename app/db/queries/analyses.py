"""The stored analyses (migration 0018): marking event types stale, claiming and rewriting
their rows, and the shapes and receptions the pages read (the findings list reads
app.db.queries.stored_findings).

A mark is one INSERT … SELECT … ON CONFLICT statement over ``event_types`` (after a SELECT of
the ids when a bus, a domain or shared field names choose them): an event type with no
``event_analyses`` row yet gets one, stale, and one deleted in the same transaction matches
nothing (its rows went with it, ON DELETE CASCADE).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    TextClause,
    bindparam,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session

from app.db.models import (
    Consumer,
    Domain,
    EventAnalysis,
    EventType,
    FieldEntry,
    StoredFinding,
    StoredReception,
)
from app.db.models.analyses import says_something
from app.db.queries.fields import disagreeing


@dataclass(frozen=True)
class Marks:
    """What a write changed, as plain ids: event types, buses (all their event types), domains
    (all theirs), event types whose field names are to be checked for conflicts with other
    event types (``fields_of``: every event type sharing a conflicting name is marked), and
    ``everything``."""

    event_types: frozenset[int] = frozenset()
    buses: frozenset[int] = frozenset()
    domains: frozenset[int] = frozenset()
    fields_of: frozenset[int] = frozenset()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or any((self.event_types, self.buses, self.domains, self.fields_of))


def mark_stale(session: Session, marks: Marks) -> None:
    """Mark the event types ``marks`` names stale, in the caller's transaction: one upsert,
    after one SELECT of the ids when buses, domains or shared field names choose them."""
    if not marks:
        return
    if marks.everything:
        session.execute(_upsert(every=True))
        return
    ids = set(marks.event_types)
    chosen = {"buses": marks.buses, "domains": marks.domains, "fields": marks.fields_of}
    if any(chosen.values()):
        statement = _chosen(*(bool(each) for each in chosen.values()))
        ids.update(session.scalars(statement, {k: sorted(v) for k, v in chosen.items() if v}))
    if ids:
        session.execute(_upsert(every=False), {"ids": sorted(ids)})


@cache
def _chosen(buses: bool, domains: bool, fields: bool) -> Select:
    # Built once per kind of mark, the ids bound per call (every registration marks by
    # field names).
    conditions: list[ColumnElement[bool]] = []
    if buses:
        conditions.append(EventType.bus_id.in_(bindparam("buses", expanding=True)))
    if domains:
        conditions.append(EventType.domain_id.in_(bindparam("domains", expanding=True)))
    if fields:
        sharing = _sharing_conflicting_names(bindparam("fields", expanding=True))
        conditions.append(EventType.id.in_(sharing))
    return select(EventType.id).where(or_(*conditions))


@cache
def _upsert(every: bool) -> TextClause:
    statement = _new_rows(
        "true" if every else "id IN :ids",
        f"DO UPDATE SET stale = true, generation = {EventAnalysis.__tablename__}.generation + 1",
    )
    return statement if every else statement.bindparams(bindparam("ids", expanding=True))


def _new_rows(chosen: str, on_conflict: str) -> TextClause:
    """An INSERT of a stale row (generation 0) for each event type ``chosen`` (a condition on
    ``event_types``), ``on_conflict`` deciding what an existing row gets."""
    # Text, built once by its callers: SQLAlchemy compiles its INSERT … ON CONFLICT anew at
    # every execution (the dialects' Insert has no cache key), and every write marks. The same
    # on both databases (SQLite's upsert needs the WHERE its SELECT has). By id: concurrent
    # writers lock the rows they mark in one order, never in a cycle.
    return text(
        f"INSERT INTO {EventAnalysis.__tablename__} ({', '.join(_COLUMNS)})"
        f" SELECT id, true, false, 0 FROM {EventType.__tablename__} WHERE {chosen}"
        f" ORDER BY id ON CONFLICT (event_type_id) {on_conflict}"
    )


def _sharing_conflicting_names(ids: BindParameter[list[int]]):
    """The event types carrying a field name that these event types carry (any version) and
    that some version declares another way (app.db.queries.fields.disagreeing): a superset
    of those whose conflicts among the latest versions a write of these can start, end or
    change."""
    return select(FieldEntry.event_type_id).where(FieldEntry.name.in_(disagreeing(ids))).distinct()


_COLUMNS = ["event_type_id", "stale", "skipped", "generation"]


def stored_shapes(session: Session, ids: Iterable[int]) -> dict[int, str | None]:
    """The stored shape of each of these event types whose analysis is up to date (not stale,
    not skipped); the others are left out."""
    statement = select(EventAnalysis.event_type_id, EventAnalysis.shape).where(
        EventAnalysis.event_type_id.in_(sorted(set(ids))),
        EventAnalysis.stale.is_(false()),
        EventAnalysis.skipped.is_(false()),
    )
    return {row[0]: row[1] for row in session.execute(statement)}


def any_missing(session: Session) -> bool:
    """Whether some event type has no ``event_analyses`` row yet (a read: most refreshes find
    none, and need no write transaction for ``add_missing``)."""
    missing = select(EventType.id).where(~EventType.id.in_(select(EventAnalysis.event_type_id)))
    return session.scalar(missing.limit(1)) is not None


def add_missing(session: Session, ids: Iterable[int] | None = None) -> None:
    """Give every event type (of ``ids``; all for None) without an ``event_analyses`` row a
    stale one (so it can be claimed), in the caller's transaction."""
    if ids is None:
        session.execute(_missing(given=False))
    elif chosen := sorted(set(ids)):
        session.execute(_missing(given=True), {"ids": chosen})


@cache
def _missing(given: bool) -> TextClause:
    without = f"id NOT IN (SELECT event_type_id FROM {EventAnalysis.__tablename__})"
    statement = _new_rows(f"{without} AND id IN :ids" if given else without, "DO NOTHING")
    return statement.bindparams(bindparam("ids", expanding=True)) if given else statement


def generations(session: Session, ids: Iterable[int]) -> dict[int, int]:
    """The generation of each of these event types' rows (those that have one)."""
    statement = select(EventAnalysis.event_type_id, EventAnalysis.generation).where(
        EventAnalysis.event_type_id.in_(sorted(set(ids)))
    )
    return {row[0]: row[1] for row in session.execute(statement)}


def _stale_condition():
    return or_(EventAnalysis.event_type_id.is_(None), EventAnalysis.stale.is_(true()))


def stale_ids(session: Session, most: int | None = None, complete: bool = False) -> list[int]:
    """Up to ``most`` ids (all for None) of the event types that are stale or have no row, by
    id. ``complete``: the caller knows every event type has a row (``any_missing`` is False),
    so only the stale rows are read, through their index (the full check joins every event
    type to its row: 3 ms on PostgreSQL at 10,000 event types, on every page view)."""
    statement = _stale(complete).order_by(EventType.id)
    if most is not None:
        statement = statement.limit(most)
    return list(session.scalars(statement))


# The first argument of PostgreSQL's advisory locks that claim event types for a refresh.
_CLAIMS = 0x45564E54  # "EVNT"


def claim(session: Session, most: int) -> dict[int, int]:
    """Up to ``most`` stale event types for this transaction to refresh, with their generation.

    On PostgreSQL each is claimed with a transaction-level advisory lock, tried among the first
    few stale rows: another process's claims are skipped, and a writer marking a claimed row
    never waits for the refresh (no row lock is held while it analyses). On SQLite the
    caller's write transaction already excludes every other writer."""
    stale = (
        select(EventAnalysis.event_type_id, EventAnalysis.generation)
        .where(EventAnalysis.stale.is_(true()))
        .order_by(EventAnalysis.event_type_id)
    )
    if not _postgres(session):
        return {row[0]: row[1] for row in session.execute(stale.limit(most))}
    # The lock is tried only on the candidates the subquery's LIMIT keeps, not every stale row.
    candidates = stale.limit(most * 4).subquery()
    locked = func.pg_try_advisory_xact_lock(_CLAIMS, candidates.c.event_type_id)
    statement = select(candidates).where(locked).limit(most)
    return {row[0]: row[1] for row in session.execute(statement)}


@dataclass(frozen=True)
class Analysed:
    """One event type's analysis to store, made from its row's ``generation``: its findings
    (``Finding.to_dict`` each, with the sort key's columns taken from them), whether it was
    skipped, and its consumers' answers (consumer id, receives, reason, their
    ConsumerFinding.to_dict each)."""

    event_type_id: int
    generation: int
    findings: Sequence[dict[str, Any]]
    skipped: bool
    receptions: Sequence[tuple[int, bool, str, list[dict[str, Any]]]]
    shape: str | None = None


def replace(session: Session, ids: Iterable[int], analysed: list[Analysed]) -> None:
    """Drop the stored rows of ``ids`` and store ``analysed`` (for those still existing), each
    marked fresh unless marked again since its generation was read, in the caller's
    transaction."""
    ids = sorted(set(ids))
    if not ids:
        return
    session.execute(delete(StoredFinding).where(StoredFinding.event_type_id.in_(ids)))
    session.execute(delete(StoredReception).where(StoredReception.event_type_id.in_(ids)))
    findings = [
        _finding_row(each.event_type_id, body) for each in analysed for body in each.findings
    ]
    if findings:
        session.execute(insert(StoredFinding.__table__), findings)
    receptions = [
        {"event_type_id": each.event_type_id, "consumer_id": consumer, "receives": receives,
         "reason": reason, "findings": found}
        for each in analysed
        for consumer, receives, reason, found in each.receptions
    ]  # fmt: skip
    if receptions:
        session.execute(insert(StoredReception.__table__), receptions)
    # Last, after the rows it depends on (a writer locks them in the same order): fresh only
    # where no mark came since the analysis read its generation.
    fresh = (
        update(EventAnalysis)
        .where(
            EventAnalysis.event_type_id == bindparam("id"),
            EventAnalysis.generation == bindparam("seen"),
        )
        .values(
            stale=False,
            skipped=bindparam("skip"),
            shape=bindparam("shape"),
            analysed_at=datetime.now(UTC),
        )
    )
    rows = [
        {"id": e.event_type_id, "seen": e.generation, "skip": e.skipped, "shape": e.shape}
        for e in analysed
    ]
    if rows:
        session.connection().execute(fresh, rows)


def _finding_row(event_type_id: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_type_id": event_type_id,
        "domain": body["domain"],
        "event": body["event"],
        "consumer": body["consumer"] or "",
        "kind": body["kind"],
        "finding_id": body["id"],
        "pointer": body["pointer"],
        "severity": body["severity"],
        "team": body["team"],
        "body": body,
    }


def stale_on_buses(
    session: Session, bus_ids: list[int], most: int, complete: bool = False
) -> list[int]:
    """Up to ``most`` ids of the stale (or never analysed) event types on these buses;
    ``complete`` as for ``stale_ids``."""
    statement = _stale(complete).where(EventType.bus_id.in_(bus_ids))
    return list(session.scalars(statement.order_by(EventType.id).limit(most)))


def _stale(complete: bool) -> Select:
    # With every row known to be there, an inner join on the stale flag (its index); else
    # every event type joined to its row, if any, so one without a row counts as stale.
    joined = select(EventType.id).join(
        EventAnalysis, EventAnalysis.event_type_id == EventType.id, isouter=not complete
    )
    return joined.where(EventAnalysis.stale.is_(true()) if complete else _stale_condition())


def bus_events(session: Session, bus_ids: list[int]) -> list[tuple[int, int, str]]:
    """(id, bus id, ``domain.Name``) of the event types on these buses, by domain and name."""
    statement = (
        select(EventType.id, EventType.bus_id, Domain.slug, EventType.name)
        .join(Domain, Domain.id == EventType.domain_id)
        .where(EventType.bus_id.in_(bus_ids))
        .order_by(Domain.slug, EventType.name)
    )
    return [(row[0], row[1], f"{row[2]}.{row[3]}") for row in session.execute(statement)]


def receptions_of(
    session: Session, consumer_ids: list[int], leave_out: Iterable[int]
) -> dict[tuple[int, int], tuple[bool, list[dict[str, Any]]]]:
    """The stored answers of these consumers for the event types of their own bus that say
    something, by (event type id, consumer id): (receives, ConsumerFinding.to_dict each). An
    answer that neither receives nor has a finding is left out: most of a consumer's answers
    on a busy bus are such, and a table shows nothing for them."""
    statement = (
        select(
            StoredReception.event_type_id,
            StoredReception.consumer_id,
            StoredReception.receives,
            StoredReception.findings,
        )
        .join(EventType, EventType.id == StoredReception.event_type_id)
        .join(Consumer, Consumer.id == StoredReception.consumer_id)
        .where(
            StoredReception.consumer_id.in_(consumer_ids),
            EventType.bus_id == Consumer.bus_id,
            says_something(),  # through the partial index that holds these alone
        )
    )
    leave_out = sorted(leave_out)
    if leave_out:
        statement = statement.where(StoredReception.event_type_id.not_in(leave_out))
    return {(row[0], row[1]): (row[2], row[3]) for row in session.execute(statement)}


def fresh_receivers(session: Session, event_type_id: int) -> set[int] | None:
    """The consumers on the event type's bus whose stored answer is that they receive it, when
    its stored analysis is up to date (neither stale nor skipped); None when it is not, or it
    has none (the answer must then be computed)."""
    state = session.execute(
        select(EventAnalysis.stale, EventAnalysis.skipped).where(
            EventAnalysis.event_type_id == event_type_id
        )
    ).first()
    if state is None or state[0] or state[1]:
        return None
    statement = _receiving().where(StoredReception.event_type_id == event_type_id)
    return set(session.scalars(statement))


def _receiving() -> Select:
    # The stored answers that receive, of consumers still on the event type's bus (a consumer
    # moved since answered for its old bus: its answer no longer counts).
    return (
        select(StoredReception.consumer_id)
        .join(EventType, EventType.id == StoredReception.event_type_id)
        .join(Consumer, Consumer.id == StoredReception.consumer_id)
        .where(StoredReception.receives.is_(true()), EventType.bus_id == Consumer.bus_id)
    )


def receiving(session: Session, leave_out: Iterable[int]) -> dict[int, set[int]]:
    """For each event type (by id; but ``leave_out``), the consumers on its bus whose stored
    answer is that they receive it."""
    statement = _receiving().add_columns(StoredReception.event_type_id)
    leave_out = sorted(leave_out)
    if leave_out:
        statement = statement.where(StoredReception.event_type_id.not_in(leave_out))
    found: dict[int, set[int]] = {}
    for consumer_id, event_id in session.execute(statement):
        found.setdefault(event_id, set()).add(consumer_id)
    return found


def claims_lock(session: Session) -> bool:
    """Whether ``claim`` locks what it claims for its transaction (PostgreSQL's advisory
    locks), so a refresh can analyse within it without excluding writers; on SQLite a write
    transaction excludes every other writer while it lasts."""
    return _postgres(session)


def existing(session: Session, ids: Iterable[int]) -> set[int]:
    """Those of these event type ids that still exist."""
    statement = select(EventType.id).where(EventType.id.in_(sorted(set(ids))))
    return set(session.scalars(statement))


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
