"""Run Alembic migrations from inside Eventry (the CLI, `make run` and the tests use this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.config import MIGRATIONS


def alembic_config(database_url: str) -> Config:
    """Return an Alembic config pointing at Eventry's migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to a revision (the newest by default)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Migrate the database down to a revision (an empty database by default)."""
    command.downgrade(alembic_config(database_url), revision)


def is_current(engine: Engine) -> bool:
    """Return whether the database is migrated to the newest revision."""
    head = ScriptDirectory.from_config(alembic_config(str(engine.url))).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head
