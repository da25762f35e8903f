"""The full-text search index (migration 0015): which event types a write touched, writing their
rows, and asking the index for candidates.

SQLite keeps the index in an FTS5 virtual table (the rowid is the event type's id), PostgreSQL
in a table whose ``words`` tsvector has a GIN index; both hold the words of
app.core.search_words, so both find the same event types. Every ORM flush notes the event types
whose indexed text it may have changed (``after_flush`` below); the services rewrite their rows
before the transaction commits (app.services.search_index), so the index never lags a write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import Select, Text, bindparam, event, inspect, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from app.db.models import Bus, Consumer, Domain, EventType, Schema, SchemaVersion
from app.db.queries.latest import joined_to_latest, latest_numbers

TABLE = "event_search"
# session.info: the event type ids, bus ids and domain ids whose index rows are to be rewritten.
TOUCHED = "eventry_search_touched"


def is_search_table(name: str) -> bool:
    """Whether a table is the index's (SQLite's FTS5 adds shadow tables ``event_search_*``)."""
    return name.startswith(TABLE)


@dataclass(frozen=True)
class Row:
    """One event type's index row: its words, its field pointers and its consumers' names."""

    event_type_id: int
    words: list[str]
    fields: list[str]
    consumers: list[str]


@dataclass(frozen=True)
class Indexed:
    """What an event type's index row is made of: its own texts, its domain's and its bus's
    slugs ("" without a bus), and its latest live version's content (``schema_id`` and
    ``fingerprint``, None without a live version)."""

    event_type_id: int
    name: str
    description: str
    producer: str
    domain: str
    bus: str
    schema_id: int | None
    fingerprint: str | None


@dataclass(frozen=True)
class Candidate:
    """An event type whose words contain the query's: what its hits are checked against (its
    field pointers and consumers' names come apart, from ``texts``)."""

    event_type_id: int
    domain: str
    name: str
    description: str
    producer: str
    bus: str


def touched(session: Session) -> dict[str, set[int]]:
    """The ids noted since the last rewrite, by kind (``event``, ``bus``, ``domain``)."""
    return session.info.setdefault(TOUCHED, {"event": set(), "bus": set(), "domain": set()})


def note_event_types(session: Session, ids: Iterable[int | None]) -> None:
    """Note event types changed by a statement the ORM does not see (a bulk UPDATE)."""
    touched(session)["event"].update(i for i in ids if i is not None)


def note_bus(session: Session, bus_id: int) -> None:
    """Note every event type on a bus (its slug or its event types' link to it changed)."""
    touched(session)["bus"].add(bus_id)


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    ids = touched(session)
    dirty = session.dirty  # a new set at each access: taken once
    for thing in chain(session.new, dirty, session.deleted):
        if isinstance(thing, EventType):
            if thing in dirty and not _indexed_change(thing):
                continue  # a sample, a setting, a lifecycle: nothing the index holds
            ids["event"].add(thing.id)
        elif isinstance(thing, SchemaVersion):  # a new, deleted or restored latest version
            ids["event"].add(thing.event_type_id)
        elif isinstance(thing, Consumer):
            history = inspect(thing).attrs.event_type_id.history
            ids["event"].update(i for i in chain([thing.event_type_id], history.deleted) if i)
        elif isinstance(thing, Bus | Domain) and inspect(thing).attrs.slug.history.deleted:
            ids["bus" if isinstance(thing, Bus) else "domain"].add(thing.id)


# The event type's own attributes its index row is made of, the links to its domain and bus as
# columns and as relationships (either may be what a write set); the rest (their slugs, its
# latest version, its declaring consumers) is noted on their own rows.
_INDEXED_COLUMNS = ("name", "description", "producer", "domain_id", "bus_id", "domain", "bus")


def _indexed_change(event_type: EventType) -> bool:
    """Whether a flush changed a column of the event type that its index row holds (a new
    sample or a changed setting leaves the row as it is: rewriting it costs as much as the
    schema has fields)."""
    attributes = inspect(event_type).attrs
    return any(attributes[name].history.has_changes() for name in _INDEXED_COLUMNS)


def take_touched(session: Session) -> set[int]:
    """The event type ids noted so far (those of noted buses and domains included), forgotten
    once taken."""
    noted = session.info.pop(TOUCHED, None)
    if not noted:
        return set()
    ids = set(noted["event"])
    if noted["bus"]:
        ids.update(session.scalars(select(EventType.id).where(EventType.bus_id.in_(noted["bus"]))))
    if noted["domain"]:
        owned = EventType.domain_id.in_(noted["domain"])
        ids.update(session.scalars(select(EventType.id).where(owned)))
    return ids


def forget(session: Session) -> None:
    """Forget the ids noted (a rolled-back transaction's writes never happened)."""
    session.info.pop(TOUCHED, None)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _key(session: Session) -> str:
    return "event_type_id" if _postgres(session) else "rowid"


def replace(session: Session, ids: Iterable[int], rows: list[Row]) -> None:
    """Drop the rows of ``ids`` and write ``rows`` (for those of them that still exist), in
    the caller's transaction."""
    ids = sorted(set(ids))
    postgres = _postgres(session)
    # PostgreSQL overwrites a row in place (its key is the event type's id): only the rows of
    # event types gone are deleted. SQLite's FTS5 table has no such conflict clause.
    gone = sorted(set(ids) - {row.event_type_id for row in rows}) if postgres else ids
    if gone:
        drop = text(f"DELETE FROM {TABLE} WHERE {_key(session)} IN :ids")
        session.execute(drop.bindparams(bindparam("ids", expanding=True)), {"ids": gone})
    if not rows:
        return
    if postgres:
        # The words are lexemes already: array_to_tsvector keeps them exactly (no parser).
        add = text(
            f"INSERT INTO {TABLE} (event_type_id, words, fields, consumers)"
            " VALUES (:id, array_to_tsvector(:words), :fields, :consumers)"
            " ON CONFLICT (event_type_id) DO UPDATE SET words = excluded.words,"
            " fields = excluded.fields, consumers = excluded.consumers"
        ).bindparams(bindparam("words", type_=ARRAY(Text)))
        words = [row.words for row in rows]
    else:
        add = text(
            f"INSERT INTO {TABLE} (rowid, words, fields, consumers)"
            " VALUES (:id, :words, :fields, :consumers)"
        )
        words = [" ".join(row.words) for row in rows]
    session.execute(
        add,
        [
            {
                "id": row.event_type_id,
                "words": each,
                "fields": _joined(row.fields),
                "consumers": _joined(row.consumers),
            }
            for row, each in zip(rows, words, strict=True)
        ],
    )


def indexed(session: Session, event_type_ids: list[int]) -> list[Indexed]:
    """What the index rows of these event types are made of (those that exist), by id: one
    statement of plain columns (no ORM objects; the content's text is not read: its document
    is the per-process one, app.services.schemas)."""
    return [
        Indexed(row[0], row[1], row[2], row[3], row[4], row[5] or "", row[6], row[7])
        for row in session.execute(_indexed_statement(), {"ids": event_type_ids})
    ]


@cache
def _indexed_statement() -> Select:
    # Built once, ids bound per call: every write rewrites rows, and building the statement
    # and its cache key cost more than running it.
    ids = bindparam("ids", expanding=True)
    latest = latest_numbers(ids)
    statement = select(
        EventType.id,
        EventType.name,
        EventType.description,
        EventType.producer,
        Domain.slug,
        Bus.slug,
        Schema.id,
        Schema.fingerprint,
    ).join(Domain, EventType.domain_id == Domain.id)
    statement = joined_to_latest(statement.outerjoin(Bus, EventType.bus_id == Bus.id), latest)
    return statement.where(EventType.id.in_(ids)).order_by(EventType.id)


def unindexed(session: Session, most: int) -> list[int]:
    """Up to ``most`` ids of event types with no index row (stored before the index), by id."""
    statement = text(
        f"SELECT id FROM event_types WHERE id NOT IN (SELECT {_key(session)} FROM {TABLE})"
        " ORDER BY id LIMIT :most"
    )
    return list(session.scalars(statement, {"most": most}))


def candidates(
    session: Session, words: list[str], after: tuple[str, str] | None, most: int
) -> list[Candidate]:
    """Up to ``most`` event types whose index holds a word beginning with each of ``words``,
    ordered by (domain slug, name), after that pair when given: one statement."""
    if _postgres(session):
        query = " & ".join(f"'{word}':*" for word in words)
        found = "s.words @@ CAST(:query AS tsquery) AND s.event_type_id = e.id"
    else:
        query = " AND ".join(f'"{word}"*' for word in words)
        found = "s.words MATCH :query AND s.rowid = e.id"
    since = " AND (d.slug > :slug OR (d.slug = :slug AND e.name > :name))" if after else ""
    # The field pointers and consumers' names are left out: the sort holds every row found
    # (10,000 for a word most event types hold) with all it selects, and a page checks only
    # its first few candidates (texts reads theirs): 9.6 -> 6.7 ms on SQLite at 10,000.
    statement = text(
        "SELECT e.id, d.slug, e.name, e.description, e.producer, b.slug"
        f" FROM {TABLE} AS s, event_types AS e JOIN domains AS d ON d.id = e.domain_id"
        f" LEFT JOIN buses AS b ON b.id = e.bus_id WHERE {found}{since}"
        " ORDER BY d.slug, e.name LIMIT :most"
    )
    slug, name = after or ("", "")
    values = {"query": query, "slug": slug, "name": name, "most": most}
    if _postgres(session):
        rows = _priced_for_ssd(session, statement, values)
    else:
        rows = list(session.execute(statement, values))
    return [
        Candidate(row[0], row[1], row[2], row[3] or "", row[4] or "", row[5] or "") for row in rows
    ]


def _priced_for_ssd(session: Session, statement: Any, values: dict) -> list[Any]:
    # PostgreSQL's default random_page_cost (4, for spinning disks) priced the GIN index out:
    # for a word few event types hold the planner read every row's words (a TOASTed tsvector
    # of every suffix, 5 kB a row; 80 ms at 10,000) rather than ask the index (7 ms), and a
    # search for "order" took 64 ms. At 1.1, the value commonly set for SSDs and for caches
    # that hold the database, every word measured got the faster plan ("order" 5 ms). The
    # setting holds for this statement alone: what it was (the
    # transaction's, or the one its operator gave the server or database) is put back at once.
    before = session.scalar(text("SELECT current_setting('random_page_cost')"))
    session.execute(text("SELECT set_config('random_page_cost', '1.1', true)"))
    try:
        return list(session.execute(statement, values))
    finally:
        session.execute(
            text("SELECT set_config('random_page_cost', :before, true)"), {"before": before}
        )


def texts(session: Session, event_type_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """The indexed field pointers and consumers' names of these event types, by id (an event
    type without an index row is left out): one statement."""
    key = _key(session)
    statement = text(
        f"SELECT {key}, fields, consumers FROM {TABLE} WHERE {key} IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(statement, {"ids": event_type_ids})
    return {row[0]: (_split(row[1]), _split(row[2])) for row in rows}


def _joined(texts: list[str]) -> str:
    # A JSON array in ASCII: a name may hold any character JSON allows, a newline or a NUL
    # among them, and PostgreSQL's text refuses NUL.
    return json.dumps(texts)


def _split(joined: str | None) -> list[str]:
    return json.loads(joined) if joined else []


def consumer_names(session: Session, event_type_ids: list[int]) -> dict[int, list[str]]:
    """The names of the consumers declaring each of these event types, sorted."""
    names: dict[int, list[str]] = {}
    for event_type_id, name in session.execute(_consumers_statement(), {"ids": event_type_ids}):
        names.setdefault(event_type_id, []).append(name)
    return names


@cache
def _consumers_statement() -> Select:
    # Built once, as ``_indexed_statement`` is.
    return (
        select(Consumer.event_type_id, Consumer.name)
        .where(Consumer.event_type_id.in_(bindparam("ids", expanding=True)))
        .order_by(Consumer.event_type_id, Consumer.name)
    )
