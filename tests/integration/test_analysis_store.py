"""The stored analyses on both databases (app.services.analysis_store): a refresh stores what
the whole-catalogue computation gives, deleting an event type or a consumer takes its rows
along, a mark made while a refresh runs is never lost, and two processes refreshing at the
same time on PostgreSQL never take the same event type."""

import sqlite3

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import make_url

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.db.models import (
    Consumer,
    EventAnalysis,
    EventType,
    FieldEntry,
    StoredFinding,
    StoredReception,
)
from app.db.queries import analyses as queries
from app.db.queries.fields import disagreeing_names
from app.db.queries.latest import event_types_with_latest_schema
from app.db.serial import try_alone
from app.services import analysis_store, changes, findings, pages, schemas
from app.services.catalog_loader import load_catalog
from app.services.stale_marks import mark_stale
from app.services.transaction import atomic
from tests.conftest import BACKENDS

ACTOR = Actor.system("test")


@pytest.fixture
def demo(app, session):
    load_catalog(session, DEMO_CATALOG, ACTOR)
    assert analysis_store.refresh_stale(session) >= 20
    return session


def rows_of(session, model, **where) -> int:
    statement = select(func.count()).select_from(model).filter_by(**where)
    return session.scalar(statement)


def test_a_refresh_stores_what_the_whole_catalogue_computation_gives(demo):
    session = demo
    every, skipped = findings.every_finding(session)
    stored = session.scalars(
        select(StoredFinding.body).order_by(
            StoredFinding.domain,
            StoredFinding.event,
            StoredFinding.consumer,
            StoredFinding.kind,
            StoredFinding.finding_id,
            StoredFinding.pointer,
            StoredFinding.id,
        )
    )
    assert list(stored) == [finding.to_dict() for finding in every]
    assert rows_of(session, EventAnalysis, skipped=True) == len(skipped)
    assert queries.stale_ids(session) == []
    # Each consumer has an answer for every event type of its bus.
    for consumer in session.scalars(select(Consumer)):
        on_bus = rows_of(session, EventType, bus_id=consumer.bus_id)
        assert rows_of(session, StoredReception, consumer_id=consumer.id) == on_bus


def test_deleting_an_event_type_or_a_consumer_removes_its_rows(demo):
    session = demo
    event_id = session.scalar(select(StoredFinding.event_type_id).limit(1))
    event_type = session.get(EventType, event_id)
    domain, name = event_type.domain.slug, event_type.name
    changes.delete_event_type(session, ACTOR, domain, name, force=True)
    for model in (StoredFinding, StoredReception, EventAnalysis):
        assert rows_of(session, model, event_type_id=event_id) == 0
    consumer_id = session.scalar(select(StoredReception.consumer_id).limit(1))
    changes.delete_consumer(session, ACTOR, consumer_id)
    assert rows_of(session, StoredReception, consumer_id=consumer_id) == 0
    # What the deletions changed is stale, and a refresh makes the whole list exact again.
    assert queries.stale_ids(session)
    analysis_store.refresh_stale(session)
    stored = sorted(map(str, session.scalars(select(StoredFinding.body))))
    assert stored == sorted(str(f.to_dict()) for f in findings.every_finding(session)[0])


def test_a_mark_made_while_a_refresh_runs_is_not_lost(app, demo):
    session = demo
    ids = [session.scalar(select(EventType.id).where(EventType.name == "OrderPlaced"))]
    with atomic(session):
        mark_stale(session, ids)
    seen = queries.generations(session, ids)
    session.commit()
    # Another process marks it again after the refresh read its generation.
    with app.extensions["eventry"].sessions() as other, atomic(other):
        mark_stale(other, ids)
    with atomic(session):
        analysis_store.refresh(session, ids, seen)
    assert queries.stale_ids(session) == ids
    analysis_store.refresh_stale(session)
    assert queries.stale_ids(session) == []


def stale_after(session, marks: queries.Marks) -> set[int]:
    """The event types stale after marking ``marks`` on a catalogue with none stale."""
    assert queries.stale_ids(session) == []
    with atomic(session):
        queries.mark_stale(session, marks)
    stale = set(queries.stale_ids(session))
    session.rollback()  # atomic committed: refresh so the next mark starts from none again
    analysis_store.refresh_stale(session)
    return stale


def test_each_kind_of_mark_makes_exactly_its_event_types_stale(demo):
    session = demo
    every = {row.id: row for row in session.scalars(select(EventType))}
    placed = next(i for i, row in every.items() if row.name == "OrderPlaced")
    other = next(i for i, row in every.items() if row.bus_id != every[placed].bus_id)
    bus, domain = every[other].bus_id, every[placed].domain_id
    names = disagreeing_names(session, [placed])
    sharing = set(
        session.scalars(select(FieldEntry.event_type_id).where(FieldEntry.name.in_(names)))
    )
    assert names and len(sharing) > 1  # the demo's OrderPlaced shares a conflicting name
    on_bus = {i for i, row in every.items() if row.bus_id == bus}
    in_domain = {i for i, row in every.items() if row.domain_id == domain}
    assert on_bus != in_domain
    cases = [
        (queries.Marks(frozenset({placed, other})), {placed, other}),
        (queries.Marks(buses=frozenset({bus})), on_bus),
        (queries.Marks(domains=frozenset({domain})), in_domain),
        (queries.Marks(fields_of=frozenset({placed})), sharing),
        (
            queries.Marks(
                frozenset({other}), buses=frozenset({bus}), fields_of=frozenset({placed})
            ),
            {other} | on_bus | sharing,
        ),
        (queries.Marks(everything=True), set(every)),
    ]
    for marks, expected in cases:
        assert stale_after(session, marks) == expected, marks


# PostgreSQL only: SQLite has one writer at a time, so its refreshes never overlap.
@pytest.mark.parametrize(
    "database_url", [each for each in BACKENDS if each == "postgres"], indirect=True
)
def test_two_processes_refreshing_at_once_take_different_event_types(app, demo, database_url):
    session = demo
    with atomic(session):
        mark_stale(session, everything=True)
    sessions = app.extensions["eventry"].sessions
    with sessions() as first, sessions() as second, atomic(first):
        mine = queries.claim(first, 5)
        with atomic(second):
            theirs = queries.claim(second, 5)
            assert len(mine) == len(theirs) == 5
            assert not set(mine) & set(theirs)
            analysis_store.refresh(second, theirs, theirs)
        analysis_store.refresh(first, mine, mine)
    assert len(queries.stale_ids(session)) == rows_of(session, EventType) - 10


def test_a_writer_commits_while_a_refresh_analyses(app, demo, database_url):
    """A refresh holds no write lock while it analyses (on SQLite, one writer excludes every
    other: registrations met their budget, 503, behind a chunk's analysis); a mark made then
    leaves the event type stale for the next refresh."""
    session = demo
    ids = [session.scalar(select(EventType.id).where(EventType.name == "OrderPlaced"))]
    with atomic(session):
        mark_stale(session, ids)
    engine = app.extensions["eventry"].engine
    wrote: list[bool] = []

    def write_meanwhile(_connection, _cursor, statement, *_args) -> None:
        if wrote or "FROM samples" not in statement:
            return
        wrote.append(True)  # once, while the refresh reads what it analyses
        if database_url.startswith("sqlite"):
            probe = sqlite3.connect(make_url(database_url).database, timeout=0.1)
            try:
                probe.execute("BEGIN IMMEDIATE")  # "database is locked" if a writer holds it
                probe.rollback()
            finally:
                probe.close()
        with app.extensions["eventry"].sessions() as other, atomic(other):
            mark_stale(other, ids)

    event.listen(engine, "before_cursor_execute", write_meanwhile)
    try:
        assert analysis_store.refresh_chunk(session) == 1
    finally:
        event.remove(engine, "before_cursor_execute", write_meanwhile)
    assert wrote and queries.stale_ids(session) == ids
    assert analysis_store.refresh_chunk(session) == 1
    assert queries.stale_ids(session) == []


def test_one_process_of_a_host_refreshes_a_sqlite_file_at_a_time(demo, database_url):
    """On SQLite nothing claims an event type: a refresher finding another process's at work
    (its lock file held) does nothing and says so, to look again shortly; on PostgreSQL the
    claims share the work and every refresher runs."""
    session = demo
    with atomic(session):
        mark_stale(session, everything=True)
    with try_alone(database_url, "analyse") as first:
        assert first
        ran = analysis_store.refresh_alone(session, database_url)
        if database_url.startswith("sqlite"):
            assert ran is False and len(queries.stale_ids(session)) == rows_of(session, EventType)
        else:
            assert ran is True and queries.stale_ids(session) == []
    assert analysis_store.refresh_alone(session, database_url) is True
    assert queries.stale_ids(session) == []


def test_the_lists_read_each_event_types_stored_shape_while_it_is_up_to_date(demo):
    """A refresh stores each event type's shape as classifying it now gives it; the event rows
    of the lists and pages read it from there, and classify again only what is stale."""
    session = demo
    ids = list(session.scalars(select(EventType.id)))
    classified = {
        event_type.id: pages.shape_of(
            schemas.of_schema(schema) if schema is not None else None,
            [s.payload for s in event_type.samples if s.expect_valid],
        )
        for event_type, _version, schema in event_types_with_latest_schema(
            session, ids, with_samples=True
        )
    }
    assert queries.stored_shapes(session, ids) == classified
    assert {"thin", "delta", "full"} <= set(classified.values())
    # A stored shape is what the rows show (a wrong one shows: it is read, not recomputed) ...
    some = ids[0]
    session.execute(
        update(EventAnalysis).where(EventAnalysis.event_type_id == some).values(shape="x")
    )
    session.commit()
    assert [row.shape for row in pages.event_rows(session, [some])] == ["x"]
    # ... until the event type is marked stale: then it is classified again.
    with atomic(session):
        mark_stale(session, [some])
    assert [row.shape for row in pages.event_rows(session, [some])] == [classified[some]]


def test_a_consumer_tables_stored_answers_are_read_through_the_partial_index(demo):
    # Migration 0020's index holds only the answers that receive or have findings; the query
    # names the index's very condition (app.db.models.analyses.says_something).
    session = demo
    consumers = list(session.scalars(select(Consumer.id)))
    seen: list[tuple[str, object]] = []
    engine = session.get_bind()

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM receptions" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        answers = queries.receptions_of(session, consumers, ())
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert answers and all(receives or findings for receives, findings in answers.values())
    statement, parameters = seen[-1]
    if engine.dialect.name == "sqlite":
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        assert any("ix_receptions_said" in row[-1] for row in plan), statement
    else:
        condition = session.connection().exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_receptions_said'"
        )
        assert "WHERE (receives OR" in condition.scalar()
