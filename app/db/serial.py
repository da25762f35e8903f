"""One process at a time: the steps that must not run twice at once on one database.

Several hosts may start `eventry serve` on one PostgreSQL at the same moment (a deploy that
rolls out in parallel), and each runs the first-start steps: migrate, make the admin token,
load the demo. Run side by side, two migrations both create the same tables and the loser
crashes; two demo loads both find the registry empty. ``exclusive`` makes such steps queue:
on PostgreSQL behind a session-level advisory lock (held by a connection of its own, released
when it closes, even if the process dies), on a SQLite file behind an advisory file lock
(``flock``) on ``<database>.lock`` beside it, which the kernel releases when the process dies.
SQLite serves one host, so a lock of that host's kernel is enough there.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db.engine import make_engine, sqlite_file

# pg_advisory_lock's key: any 64-bit number no other program on the database uses.
# int.from_bytes(b"eventry!", "big") >> 1, so it is a positive bigint.
ADVISORY_KEY = 3655571285078523024


@contextmanager
def exclusive(database_url: str) -> Iterator[None]:
    """Hold the database's lock of one-at-a-time steps for the ``with`` block; another process
    asking for it waits (no timeout: a migration may take as long as it needs)."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "postgresql":
        with _advisory_lock(database_url):
            yield
        return
    path = sqlite_file(parsed.database) if parsed.get_backend_name() == "sqlite" else None
    if path is None:  # an in-memory database belongs to one process anyway
        yield
        return
    with _file_lock(path):
        yield


@contextmanager
def _advisory_lock(database_url: str) -> Iterator[None]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            # Session level, on an autocommit connection: it outlives transactions (a
            # migration commits its own) and ends with the connection.
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({ADVISORY_KEY})")
            try:
                yield
            finally:
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
    finally:
        engine.dispose()


@contextmanager
def _file_lock(database: Path) -> Iterator[None]:
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(database.with_name(database.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def try_alone(database_url: str, purpose: str) -> Iterator[bool]:
    """Yield True while this process holds the SQLite file's lock of ``purpose`` (``flock`` on
    ``<database>.<purpose>.lock``), tried without waiting, or False when another process
    holds it. Yields True on any other database (PostgreSQL's steps claim their rows) and on
    an in-memory one (one process)."""
    parsed = make_url(database_url)
    path = sqlite_file(parsed.database) if parsed.get_backend_name() == "sqlite" else None
    if path is None:
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f"{path.name}.{purpose}.lock"), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
