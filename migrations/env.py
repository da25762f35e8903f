"""Alembic environment: migrations run against the engine Eventry itself would use."""

from __future__ import annotations

from alembic import context

from app.config import Settings
from app.db.engine import make_engine
from app.db.models import Base
from app.db.search_index import is_search_table

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    """Compare every table with the models but full-text search's (migration 0015: SQLite's
    FTS5 table and its shadow tables have no ORM form)."""
    return not (type_ == "table" and name and is_search_table(name))


def _url() -> str:
    return config.attributes.get("database_url") or Settings.from_env().database_url


def run_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on a live connection."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it and dropping the original. With foreign keys on,
        # that drop deletes the rows pointing at the table (ON DELETE CASCADE: a version counter
        # on event_types would delete every version and sample) or fails (RESTRICT). So they are
        # off while migrating, and checked in full before the migration commits.
        _sqlite_foreign_keys(connection, "OFF")
    try:
        # render_as_batch lets SQLite alter tables by copying them, which it needs for most changes.
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _no_broken_foreign_keys(connection)
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection, state: str) -> None:
    # Straight on the driver's connection: the pragma is ignored inside a transaction, and
    # going through SQLAlchemy would begin one first.
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


def _no_broken_foreign_keys(connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows with broken foreign keys: {broken[:5]}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
