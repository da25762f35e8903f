"""Alembic alone creates the tables, on SQLite and on PostgreSQL, and agrees with the models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db import migrate
from app.db.engine import make_engine
from app.db.models import Base


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_round_trip(empty_database_url):
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) == set(Base.metadata.tables)
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) == set()
    migrate.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        assert migrate.is_current(engine)
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_the_migration_creates_the_default_settings(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, compatibility, policy FROM settings")).all()
        assert [tuple(row) for row in rows] == [(1, "BACKWARD", "strict")]
    finally:
        engine.dispose()


def test_constraints_have_the_same_names_on_every_database(database_url):
    engine = make_engine(database_url)
    try:
        inspector = inspect(engine)
        uniques = {c["name"] for c in inspector.get_unique_constraints("schema_versions")}
        foreign = {c["name"] for c in inspector.get_foreign_keys("schema_versions")}
        checks = {c["name"] for c in inspector.get_check_constraints("buses")}
    finally:
        engine.dispose()
    assert uniques == {"uq_schema_versions_event_type_id_version"}
    assert foreign == {
        "fk_schema_versions_event_type_id_event_types",
        "fk_schema_versions_schema_id_schemas",
    }
    assert checks == {"ck_buses_router_kind"}
