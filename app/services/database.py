"""The database as the adapters see it: engines, sessions and schema migrations.

The adapters own their sessions (one per HTTP request, one per CLI command) but never reach
into app.db themselves: they open engines and sessions, and migrate, through these functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.db import migrate
from app.db.engine import make_engine, make_session_factory


def open_engine(database_url: str) -> Engine:
    """Create the engine of a database URL (SQLite or PostgreSQL); no connection is made yet."""
    return make_engine(database_url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the factory the adapters open their sessions from (objects survive commits)."""
    return make_session_factory(engine)


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
    """Migrate the database up to a revision (the newest by default)."""
    migrate.upgrade(database_url, revision)


def downgrade(database_url: str, revision: str) -> None:
    """Migrate the database down to a revision ('base' empties it)."""
    migrate.downgrade(database_url, revision)
