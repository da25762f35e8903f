"""Engines and sessions for SQLite (the embedded default) and PostgreSQL.

An engine made with a budget (the app's `EVENTRY_DB_TIMEOUT_MS`: what one request may spend
waiting on the database) bounds every wait by it, so a database that is down, locked or slow
costs a request that long at most and the request answers 503 instead of hanging. Without a
budget (the CLI, migrations, bootstrap) waits stay long, as a person at a terminal or a
migration behind the server's writers would want.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable, Select
from sqlalchemy.sql.dml import UpdateBase

from app.db import direct
from app.db.deadline import SERVER_FIRST_MARGIN_S, bound_waits
from app.db.direct import FILE_IDENTITY, file_identity

SQLITE_BUSY_TIMEOUT_MS = 5000  # without a budget: wait this long for another writer's lock
# psycopg (like libpq) never waits less than 2 s for a connection, whatever it is told.
CONNECT_TIMEOUT_S = 2
# Rolled back at once: proves the database takes writes without changing anything.
_WRITE_PROBE = "UPDATE alembic_version SET version_num = version_num"
# Set in a session's info by begin_write: from then on a RoutedSession uses the primary.
WRITING = "eventry_writing"
# An execution option: the connection runs each statement on its own, with no BEGIN around it.
AUTOCOMMIT = "eventry_autocommit"
# How far a PostgreSQL standby is behind, in seconds: 0 on a primary, and 0 when it has replayed
# all the WAL it received (an idle primary sends none, so the last replay's age is no lag then).
_LAG = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def make_engine(url: str, budget_ms: int | None = None) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    With ``budget_ms`` every wait is bounded by it: SQLite's busy wait, a pool checkout,
    PostgreSQL's statement_timeout, and on the client every wait for PostgreSQL's answer (the
    budget and 0.25 s, so a live server's own cancel comes first) and for a new connection (the
    budget), for a server that stopped answering (app.db.deadline).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, budget_ms)
    return _server_engine(url, parsed, budget_ms)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory the adapters open sessions from."""
    return sessionmaker(bind=engine, expire_on_commit=False)


class RoutedSession(Session):
    """A session that reads from a read replica (its bind) until it starts writing
    (begin_write), and from then on reads and writes the primary, for the rest of its life.

    Reads before the first write may be as old as the replica's lag; a write and everything
    after it see the primary. This is SQLAlchemy's documented way to pick an engine per
    statement (``Session.get_bind``, "Custom Vertical Partitioning" in its ORM guide).
    """

    def __init__(self, *args: Any, primary: Engine, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.primary = primary

    def get_bind(self, mapper=None, clause=None, **kwargs: Any):
        """The primary once the session writes, else the replica. A flush or an INSERT,
        UPDATE or DELETE outside begin_write (no use case does that) moves it too."""
        if self._flushing or isinstance(clause, UpdateBase):
            self.info[WRITING] = True
        if self.info.get(WRITING):
            return self.primary
        return super().get_bind(mapper, clause=clause, **kwargs)


def make_routed_session_factory(replica: Engine, primary: Engine) -> sessionmaker[Session]:
    """Return a factory of RoutedSessions: reads on ``replica`` until a write, then ``primary``."""
    return sessionmaker(bind=replica, class_=RoutedSession, expire_on_commit=False, primary=primary)


def replication_lag_s(engine: Engine) -> float:
    """How many seconds of the primary's changes the database behind ``engine`` has not replayed
    yet: a PostgreSQL standby's replay delay (0 once it replayed all it received), 0 for a
    primary and for SQLite. Raises SQLAlchemy's error when the database does not answer."""
    if engine.dialect.name != "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return 0.0
    with engine.connect() as connection:
        return float(connection.execute(_LAG).scalar_one())


def read_alone(
    session: Session, statement: Select, parameters: Mapping[str, Any]
) -> Sequence[Any] | None:
    """The first row of one read-only statement, run the way the session would read it.

    A session that holds no transaction yet gets the statement on the engine it would read
    from (``session.get_bind()``: the replica or the primary, as a RoutedSession decides),
    outside any transaction: one statement sees one consistent state on its own, so the BEGIN
    and ROLLBACK a session spends around it (two more round trips on PostgreSQL, half the cost
    of a hot read on SQLite) buy nothing. It runs on one of that engine's driver connections
    kept for these statements (app.db.direct), or, when that path declines (a driver error, a
    SQLite file swapped), on a pooled connection. A session already in a transaction reads
    within it, on its connection's driver, so the statement sees what the transaction sees.
    Errors are SQLAlchemy's, as from the session (app.services.database.unavailable_of maps
    them).
    """
    if session.in_transaction():
        connection = session.connection()
        reads = direct.reads_of(connection.engine)
        row = direct.UNANSWERED
        if reads is not None:
            row = reads.first_row_on(connection, statement, parameters)
        if row is direct.UNANSWERED:
            row = session.execute(statement, parameters).first()
        return row
    engine = session.get_bind()
    reads = direct.reads_of(engine)
    if reads is not None:
        row = reads.first_row(statement, parameters)
        if row is not direct.UNANSWERED:
            return row
    return read_pooled(engine, statement, parameters)


def read_pooled(engine: Engine, statement: Executable, parameters: Mapping[str, Any]) -> Row | None:
    """The first row of one read-only statement on a pooled connection of ``engine``, with no
    BEGIN around it: SQLAlchemy's whole path (read_alone's fallback)."""
    with engine.connect() as connection:
        connection.execution_options(**_autocommit_options(engine))  # before the BEGIN it skips
        return connection.execute(statement, parameters).first()


def _autocommit_options(engine: Engine) -> dict[str, Any]:
    """How a connection of ``engine`` runs statements with no BEGIN: on SQLite (whose driver
    connections already leave transactions to the app, _sqlite_pragmas) the begin listener
    skips its BEGIN; elsewhere the driver's autocommit mode (psycopg's ``autocommit``, set on
    the client and reset when the pool takes the connection back, no round trip)."""
    if engine.dialect.name == "sqlite":
        return {AUTOCOMMIT: True}
    return {AUTOCOMMIT: True, "isolation_level": "AUTOCOMMIT"}


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer, so concurrent writers queue instead of failing.

    On SQLite this takes the write lock up front (BEGIN IMMEDIATE); a deferred transaction that
    reads and then writes would fail with "database is locked" when another writer got there first.
    On PostgreSQL row locks do this job and nothing changes. A RoutedSession moves to the primary
    here, for good.
    """
    session.info[WRITING] = True
    session.connection(execution_options={"eventry_write": True})


def locks_rows(session: Session) -> bool:
    """Whether a write transaction locks only the rows it locks (PostgreSQL), not the whole
    database from its BEGIN on (SQLite's BEGIN IMMEDIATE, ``begin_write``)."""
    return session.get_bind().dialect.name == "postgresql"


def probe_write(engine: Engine, wait_ms: int) -> None:
    """Take the database's write lock and give it back at once, changing nothing.

    Raises the driver's error (wrapped by SQLAlchemy) when the database cannot take a write
    within ``wait_ms``: SQLite locked by another writer, a read-only file, a standby, a full disk.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        restore = _sqlite_wait(connection, wait_ms) if sqlite else None
        try:
            # On SQLite this BEGIN IMMEDIATE is where a held lock makes the probe wait and fail.
            with connection.execution_options(eventry_write=True).begin() as transaction:
                if not sqlite:  # LOCAL: both end with the transaction
                    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")
                    connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(wait_ms)}")
                connection.exec_driver_sql(_WRITE_PROBE)
                transaction.rollback()
        finally:
            if restore is not None:  # the pooled connection goes back with the app's busy wait
                restore()


def _sqlite_wait(connection: Connection, wait_ms: int):
    """Set this pooled connection's busy wait for a moment; return what puts it back."""
    driver = connection.connection.driver_connection
    previous = driver.execute("PRAGMA busy_timeout").fetchone()[0]
    driver.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
    return lambda: driver.execute(f"PRAGMA busy_timeout={int(previous)}")


def _sqlite_engine(url: str, database: str | None, budget_ms: int | None) -> Engine:
    _ensure_parent_folder(database)
    wait_ms = budget_ms or SQLITE_BUSY_TIMEOUT_MS
    path = sqlite_file(database)
    # Only a file database has a queue pool to time out (:memory: keeps one connection per thread).
    pool = {"pool_timeout": budget_ms / 1000} if budget_ms and path else {}
    engine = create_engine(url, connect_args={"timeout": wait_ms / 1000}, **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        _sqlite_pragmas(dbapi_connection, wait_ms)

    event.listen(engine, "begin", _sqlite_begin)
    if path is not None:  # an in-memory database is one per pooled connection: not detached
        _watch_file(engine, path)
        direct.attach(engine, path)
    return engine


def _server_engine(url: str, parsed: URL, budget_ms: int | None) -> Engine:
    # pool_pre_ping: a server that restarted or failed over leaves dead connections in the pool;
    # each is found on checkout and replaced, so the process heals without a restart.
    if parsed.get_backend_name() != "postgresql":
        return create_engine(url, pool_pre_ping=True)
    args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT_S}
    pool: dict[str, float] = {}
    if budget_ms:
        args.update(_postgres_budget(parsed, budget_ms))
        pool["pool_timeout"] = budget_ms / 1000
    engine = create_engine(url, pool_pre_ping=True, connect_args=args, **pool)
    if budget_ms:  # a frozen server answers nothing, and only the client can stop waiting
        budget_s = budget_ms / 1000
        bound_waits(engine, read_s=budget_s + SERVER_FIRST_MARGIN_S, connect_s=budget_s)
    direct.attach(engine, None)
    return engine


def _postgres_budget(parsed: URL, budget_ms: int) -> dict[str, object]:
    # statement_timeout: the server cancels a statement, lock waits included, after the budget.
    # tcp_user_timeout: the kernel gives up on a host that stopped answering (a dead host, a
    # partition) within the budget, where TCP's retries would take minutes.
    own = parsed.query.get("options")
    own = " ".join(own) if isinstance(own, tuple) else own
    options = " ".join(filter(None, [f"-c statement_timeout={int(budget_ms)}", own]))
    return {"options": options, "tcp_user_timeout": int(budget_ms)}


def _watch_file(engine: Engine, path: Path) -> None:
    """Reconnect when the file at ``path`` is no longer the one a pooled connection opened.

    An open SQLite connection keeps using the file it opened after that file is moved, deleted
    or replaced (a restore, a folder in its place): it would serve, and write, data that nobody
    else sees. A new connection opens what is at the path now, and fails (503) if that is not
    a database, or if the file is gone: SQLite would create an empty database in its place.
    """
    opened = {"once": False}  # before the first connection, creating the file is the point

    @event.listens_for(engine, "do_connect")
    def _refuse_a_new_file(_dialect, _record, _args, _params) -> None:
        if opened["once"] and not path.exists():
            error = sqlite3.OperationalError(f"unable to open database file: {path} is gone")
            error.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN  # what SQLite would say
            raise error

    @event.listens_for(engine, "connect")
    def _remember(_dbapi_connection, record) -> None:
        opened["once"] = True
        record.info[FILE_IDENTITY] = file_identity(path)

    @event.listens_for(engine, "checkout")
    def _check(_dbapi_connection, record, _proxy) -> None:
        if file_identity(path) != record.info.get(FILE_IDENTITY):
            raise DisconnectionError(f"{path} is no longer the file this connection opened")


def sqlite_file(database: str | None) -> Path | None:
    """The absolute path of a SQLite URL's database file; None for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _ensure_parent_folder(database: str | None) -> None:
    path = sqlite_file(database)
    if path is not None:
        # A folder that cannot be made is reported when the first connection fails, by /readyz.
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)


def _sqlite_begin(connection) -> None:
    options = connection.get_execution_options()
    if options.get(AUTOCOMMIT):  # read_alone: the statement is its own transaction
        return
    immediate = options.get("eventry_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection, busy_timeout_ms: int) -> None:
    # pysqlite would otherwise open transactions itself, too late and never IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
