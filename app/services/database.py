"""The database as the adapters see it: engines, sessions and schema migrations.

The adapters own their sessions (one per HTTP request, one per CLI command) but never reach
into app.db themselves: they open engines and sessions, and migrate, through these functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app import metrics
from app.core.errors import Unavailable
from app.db import direct, migrate
from app.db.engine import (
    make_engine,
    make_routed_session_factory,
    make_session_factory,
    replication_lag_s,
)
from app.db.faults import Fault, fault_of
from app.db.serial import exclusive
from app.services import field_index, search_index

# What a client is told for each kind of fault, and after how many seconds to retry.
_UNAVAILABLE: dict[Fault, tuple[str, int]] = {
    Fault.LOCKED: ("the database is busy with another write; retry in a moment", 1),
    Fault.UNREACHABLE: ("the database is not reachable; retry in a few seconds", 5),
    Fault.UNREADABLE: ("the database cannot be read; retry once an operator has restored it", 30),
    Fault.READ_ONLY: ("the database cannot take writes right now; retry later", 30),
    Fault.SLOW: ("the database did not answer in time; retry in a moment", 2),
}


def open_engine(database_url: str, budget_ms: int | None = None) -> Engine:
    """Create the engine of a database URL (SQLite or PostgreSQL); no connection is made yet.

    With ``budget_ms`` (the app's) every wait on the database is bounded by it, so a database
    that is down or locked answers 503 in time; without it (commands) waits stay long.
    Errors of its hot statements' own path (app.db.direct) are counted as SQLAlchemy's are.
    """
    engine = make_engine(database_url, budget_ms)
    direct.on_error(engine, metrics.count_database_error)
    return engine


def missing_file(database_url: str) -> str | None:
    """The path of a SQLite database file the URL names that does not exist (None otherwise:
    a server database, an in-memory one, or a file that is there). Opening it would create an
    empty file, so a command that only reads asks this first."""
    parsed = make_url(database_url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
        return None
    return None if Path(path).exists() else path


def unavailable_of(error: BaseException) -> Unavailable | None:
    """The Unavailable error a failure stands for when the database is down, locked, unreadable,
    read-only or too slow (nothing was changed, a retry may succeed); None for other errors."""
    if isinstance(error, Unavailable):
        return error
    fault = fault_of(error)
    if fault is None:
        return None
    detail, retry_after = _UNAVAILABLE[fault]
    return Unavailable(detail, retry_after=retry_after, fault=fault.value)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the factory the adapters open their sessions from (objects survive commits)."""
    return make_session_factory(engine)


def read_session_factory(replica: Engine, primary: Engine) -> sessionmaker[Session]:
    """Return the factory of sessions that read from ``replica`` until they write, and then
    use ``primary`` for the rest of their life (app.db.engine.RoutedSession)."""
    return make_routed_session_factory(replica, primary)


def replica_lag_s(engine: Engine) -> float:
    """Seconds the read replica behind ``engine`` is behind its primary (0 for a primary or
    SQLite); raises SQLAlchemy's error when it does not answer (see unavailable_of)."""
    return replication_lag_s(engine)


def is_migrated(engine: Engine) -> bool:
    """Whether the database behind ``engine`` is at this release's newest migration; raises
    SQLAlchemy's error when it does not answer."""
    return migrate.is_current(engine)


@contextmanager
def session_for(database_url: str) -> Iterator[Session]:
    """Open a session on a database for one command; close it and its engine afterwards."""
    engine = open_engine(database_url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to a revision (the newest by default); a migration started
    meanwhile by another process (or a first start) finishes first. At the newest revision,
    the versions stored before the field index existed are indexed (app.services.field_index),
    and the event types stored before the search index (app.services.search_index)."""
    with exclusive(database_url):
        migrate.upgrade(database_url, revision)
        if revision == "head":
            with session_for(database_url) as session:
                field_index.backfill(session)
                search_index.backfill(session)


def downgrade(database_url: str, revision: str) -> None:
    """Migrate the database down to a revision ('base' empties it), one process at a time."""
    with exclusive(database_url):
        migrate.downgrade(database_url, revision)
