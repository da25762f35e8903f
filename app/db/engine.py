"""Engines and sessions for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_parent_folder(parsed.database)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # pool_pre_ping: several app processes share a Postgres that may restart or fail over.
    return create_engine(url, pool_pre_ping=True, connect_args=_postgres_args(parsed))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory the adapters open sessions from."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def _postgres_args(parsed) -> dict:
    if parsed.get_backend_name() == "postgresql":
        return {"connect_timeout": 2}
    return {}


def _ensure_parent_folder(database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        # A folder that cannot be made is reported when the first connection fails, by /readyz.
        with contextlib.suppress(OSError):
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer, so concurrent writers queue instead of failing.

    On SQLite this takes the write lock up front (BEGIN IMMEDIATE); a deferred transaction that
    reads and then writes would fail with "database is locked" when another writer got there first.
    On PostgreSQL row locks do this job and nothing changes.
    """
    session.connection(execution_options={"eventry_write": True})


def _sqlite_begin(connection) -> None:
    immediate = connection.get_execution_options().get("eventry_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite would otherwise open transactions itself, too late and never IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
