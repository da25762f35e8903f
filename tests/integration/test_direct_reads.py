"""The hot statements on the driver connections kept for them (app.db.direct) answer exactly what
SQLAlchemy's path answers, on the database the session reads, and fall back to SQLAlchemy's
path when that connection breaks, on SQLite and PostgreSQL, against the demo catalogue."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.db import direct, migrate
from app.db.engine import WRITING, read_alone, read_pooled
from app.db.models import Domain, EventType, SchemaVersion
from app.db.queries import served
from app.services import database, transaction
from app.services.catalog_loader import load_catalog
from tests.conftest import BACKENDS

MISSING = 999_999


@pytest.fixture
def demo(database_url) -> Iterator[Engine]:
    """An engine with the app's budget on the database, holding the demo catalogue."""
    engine = database.open_engine(database_url, 5000)
    with database.session_factory(engine)() as session:
        load_catalog(session, DEMO_CATALOG, Actor.system("test"))
    yield engine
    engine.dispose()


def _statements(engine: Engine) -> list[tuple[object, dict]]:
    """Every hot statement with the parameters of every version and content, and misses."""
    with database.session_factory(engine)() as session:
        versions = session.execute(
            select(Domain.slug, EventType.name, SchemaVersion.version, SchemaVersion.schema_id)
            .join(EventType, EventType.domain_id == Domain.id)
            .join(SchemaVersion, SchemaVersion.event_type_id == EventType.id)
        ).all()
    asked: list[tuple[object, dict]] = [(served._SERVED, {"schema_id": MISSING})]
    for slug, name, number, schema_id in versions:
        asked += [
            (served._SERVED, {"schema_id": schema_id}),
            (served._LATEST, {"domain": slug, "name": name}),
            (served._NUMBERED, {"domain": slug, "name": name, "number": number}),
            (served._NUMBERED, {"domain": slug, "name": name, "number": number + 100}),
        ]
    asked.append((served._LATEST, {"domain": "no-such-domain", "name": "Nothing"}))
    return asked


def _typed(row) -> tuple | None:
    return None if row is None else tuple((type(value), value) for value in row)


def _assert_same_answers(engine: Engine) -> int:
    reads = direct.reads_of(engine)
    assert reads is not None
    found = 0
    for statement, parameters in _statements(engine):
        own = reads.first_row(statement, parameters)
        assert own is not direct.UNANSWERED
        assert _typed(own) == _typed(read_pooled(engine, statement, parameters)), parameters
        found += own is not None
    return found


def test_the_driver_path_answers_what_sqlalchemy_answers(demo):
    found = _assert_same_answers(demo)
    assert found > 100  # the demo's versions and contents were found, not only misses
    # A soft-deleted version and a content whose every version is gone: both paths agree.
    with database.session_factory(demo)() as session, transaction.atomic(session):
        newest = session.scalars(
            select(SchemaVersion).order_by(SchemaVersion.version.desc()).limit(1)
        ).one()
        newest.deleted_at = newest.created_at
        session.execute(
            update(SchemaVersion)
            .where(SchemaVersion.id != newest.id, SchemaVersion.version == 1)
            .values(deleted_at=newest.created_at)
        )
    _assert_same_answers(demo)


def test_a_session_outside_a_transaction_reads_on_a_kept_connection(demo):
    reads = direct.reads_of(demo)
    with database.session_factory(demo)() as session:
        row = read_alone(session, served._SERVED, {"schema_id": 1})
        assert row is not None and not session.in_transaction()
    assert reads.idle_count() == 1
    (held,) = reads.idle
    with database.session_factory(demo)() as session:
        assert read_alone(session, served._SERVED, {"schema_id": 1}) == row
    assert reads.idle == [held]  # kept, not made per statement


def test_threads_that_end_leave_no_connection_open(demo):
    """A server starting a thread per request (werkzeug's) reuses the kept connections: none
    is left to the collector (a ResourceWarning, and one PostgreSQL session, per request)."""
    reads = direct.reads_of(demo)
    rows: list[object] = []
    for _ in range(3):
        threads = [
            threading.Thread(
                target=lambda: rows.append(reads.first_row(served._SERVED, {"schema_id": 1}))
            )
            for _ in range(reads.idle_most + 3)
        ]
        for each in threads:
            each.start()
        for each in threads:
            each.join()
    assert len(rows) == 3 * (reads.idle_most + 3) and None not in rows
    assert 1 <= reads.idle_count() <= reads.idle_most
    assert len(reads.held) == reads.idle_count()  # the rest were closed on return


def test_a_connection_broken_underneath_falls_back_and_is_replaced(demo, database_url):
    reads = direct.reads_of(demo)
    parameters = {"schema_id": 1}
    expected = read_pooled(demo, served._SERVED, parameters)
    assert reads.first_row(served._SERVED, parameters) == tuple(expected)
    (broken,) = reads.idle
    if database_url.startswith("sqlite"):
        broken.driver.close()
    else:  # the server ends it, as a restart or a failover would
        with demo.connect() as other:
            pid = broken.driver.info.backend_pid
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with database.session_factory(demo)() as session:
        assert tuple(read_alone(session, served._SERVED, parameters)) == tuple(expected)
    assert reads.idle == []  # discarded; SQLAlchemy's path answered
    assert reads.first_row(served._SERVED, parameters) == tuple(expected)
    assert reads.idle != [broken]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a file is SQLite's
def test_a_sqlite_file_replaced_underneath_is_read_through_the_pool(demo, database_url, tmp_path):
    reads = direct.reads_of(demo)
    assert reads.first_row(served._SERVED, {"schema_id": 1}) is not None
    path = make_url(database_url).database
    empty = tmp_path / "empty.db"
    migrate.upgrade(f"sqlite:///{empty}")
    shutil.move(empty, path)  # a restore: another file at the same path, with no content 1
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"eventry.db{suffix}").unlink(missing_ok=True)
    with database.session_factory(demo)() as session:
        assert read_alone(session, served._SERVED, {"schema_id": 1}) is None


def test_a_statement_listener_sees_every_hot_statement(demo):
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(demo, "before_cursor_execute", record)
    try:
        with database.session_factory(demo)() as session:
            assert read_alone(session, served._SERVED, {"schema_id": 1}) is not None
    finally:
        event.remove(demo, "before_cursor_execute", record)
    assert [each.split()[0] for each in seen] == ["SELECT"]


# PostgreSQL only: a reader never waits on SQLite's WAL.
@pytest.mark.parametrize(
    "database_url", [each for each in BACKENDS if each == "postgres"], indirect=True
)
def test_a_wait_that_met_the_budget_is_raised_not_tried_again(database_url, postgres):
    engine = database.open_engine(database_url, 300)  # statement_timeout 300 ms
    checkouts: list[int] = []
    try:
        reads = direct.reads_of(engine)
        assert reads.first_row(served._SERVED, {"schema_id": MISSING}) is None
        event.listen(engine.pool, "checkout", lambda *_: checkouts.append(1))
        with engine.connect() as locker, locker.begin():
            locker.execute(text("LOCK TABLE schemas IN ACCESS EXCLUSIVE MODE"))
            checkouts.clear()
            with pytest.raises(DBAPIError) as raised:
                reads.first_row(served._SERVED, {"schema_id": MISSING})
        assert database.unavailable_of(raised.value) is not None  # a 503, as before
        assert checkouts == []  # no second wait through the pool
        assert reads.idle == []  # the connection that waited was closed
    finally:
        engine.dispose()


@pytest.fixture
def replica(database_url, tmp_path, postgres) -> Iterator[Engine]:
    """A second database of the same kind holding the demo catalogue (``database_url``'s
    stays empty: a row found shows which database answered)."""
    sqlite = database_url.startswith("sqlite")
    url = f"sqlite:///{tmp_path / 'replica.db'}" if sqlite else postgres.create()
    migrate.upgrade(url)
    engine = database.open_engine(url, 5000)
    with database.session_factory(engine)() as session:
        load_catalog(session, DEMO_CATALOG, Actor.system("test"))
    yield engine
    engine.dispose()
    if not sqlite:
        postgres.drop(url)


def test_a_routed_session_reads_the_replica_on_the_driver_path(database_url, replica):
    demo = database.open_engine(database_url, 5000)  # the primary, empty
    parameters = {"schema_id": 1}
    assert read_pooled(demo, served._SERVED, parameters) is None  # not on the primary
    expected = tuple(read_pooled(replica, served._SERVED, parameters))
    factory = database.read_session_factory(replica, demo)
    with factory() as session:  # no transaction yet: the replica's own driver connection
        assert read_alone(session, served._SERVED, parameters) == expected
    assert direct.reads_of(replica).idle_count() == 1
    with factory() as session:  # pinged as app.reads does: read within its transaction
        session.connection()
        assert read_alone(session, served._SERVED, parameters) == expected
    with factory() as session:  # a session that wrote reads the primary from then on
        session.info[WRITING] = True
        assert read_alone(session, served._SERVED, parameters) is None
    demo.dispose()
