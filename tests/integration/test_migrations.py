"""Alembic alone creates the tables, on SQLite and on PostgreSQL, and agrees with the models;
every revision upgrades and downgrades with rows in every table."""

from datetime import UTC, date, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    func,
    inspect,
    select,
    text,
)

from app.db import migrate
from app.db.engine import make_engine
from app.db.models import Base
from app.db.search_index import is_search_table


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    # Full-text search's table is no model (SQLite's FTS5 adds shadow tables beside it).
    return {name for name in names if not is_search_table(name) or name == "event_search"}


def test_upgrade_downgrade_upgrade_round_trip(empty_database_url):
    migrate.upgrade(empty_database_url)
    assert table_names(empty_database_url) == {*Base.metadata.tables, "event_search"}
    migrate.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) == set()
    migrate.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        assert migrate.is_current(engine)
    finally:
        engine.dispose()


def _models_only(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name and is_search_table(name))


def test_models_and_migrations_agree(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            options = {"compare_type": True, "include_name": _models_only}
            context = MigrationContext.configure(connection, opts=options)
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


# Values for columns whose CHECK constraints allow only some (a new revision that adds such a
# column adds it here); every other column gets a value of its type.
CHECKED_VALUES = {
    ("buses", "router"): "eventbridge",
    ("event_types", "compatibility"): "BACKWARD",
    ("event_types", "policy"): "strict",
    ("event_types", "mode"): "IMPORT",
    ("event_types", "lifecycle"): "deprecated",
    ("schema_versions", "lifecycle"): "retired",
    ("consumers", "scope"): "message-body",
    ("schemas", "dialect"): "draft-07",
    ("schemas", "canonical"): '{"$schema":"http://json-schema.org/draft-04/schema#"}',
    ("settings", "compatibility"): "FULL",
    ("settings", "policy"): "lenient",
    ("settings", "mode"): "READONLY",
    ("subject_settings", "compatibility"): "FULL_TRANSITIVE",
    ("subject_settings", "mode"): "IMPORT",
    ("outbox", "kind"): "SchemaVersionRegistered",
    ("webhook_deliveries", "status"): "failed",
}


def revisions() -> list[str]:
    """Every revision, oldest first, whatever revisions exist."""
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return [script.revision for script in reversed(list(script.walk_revisions()))]


def fill(url: str, round_: int) -> None:
    """One representative row in every table that exists now (the single settings row is
    there from the first revision), inserted with plain SQL from the reflected tables."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)
            ids: dict[str, int] = {}
            for table in tables.sorted_tables:
                # The search index's rows are the services' to write (its own tests check it).
                if table.name in ("alembic_version", "settings") or is_search_table(table.name):
                    continue
                row = {c.name: _value(table.name, c, round_, ids) for c in table.columns}
                row.pop("id", None)
                result = connection.execute(table.insert().values(**row))
                ids[table.name] = result.inserted_primary_key[0]
    finally:
        engine.dispose()


def _value(table: str, column, round_: int, ids: dict[str, int]):
    for foreign in column.foreign_keys:
        return ids[foreign.column.table.name]
    if (table, column.name) in CHECKED_VALUES:
        return CHECKED_VALUES[(table, column.name)]
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return round_
    if isinstance(kind, DateTime):
        # Days from a fixed start, so any number of rounds (revisions) stays a valid date.
        return datetime(2026, 1, 1, 12, 0, tzinfo=UTC) + timedelta(days=round_)
    if isinstance(kind, Date):
        return date(2026, 1, 1) + timedelta(days=round_)
    if isinstance(kind, JSON):
        return {"round": round_}
    if isinstance(kind, String):  # Text too
        return f"r{round_}-{table}-{column.name}"[: kind.length or 200]
    raise AssertionError(f"no representative value for {table}.{column.name} ({kind!r})")


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = MetaData()
            tables.reflect(connection)
            return {
                name: connection.scalar(select(func.count()).select_from(table))
                for name, table in tables.tables.items()
                if name != "alembic_version" and not is_search_table(name)
            }
    finally:
        engine.dispose()


def step(url: str, move, revision: str) -> None:
    """Migrate one step and check that no row was lost in a table that is still there."""
    before = counts(url)
    move(url, revision)
    after = counts(url)
    assert {name: before[name] for name in after if name in before} == {
        name: after[name] for name in after if name in before
    }, f"rows lost migrating to {revision}"


def test_every_revision_upgrades_and_downgrades_with_data_in_every_table(empty_database_url):
    url, order = empty_database_url, revisions()
    assert order[:4] == ["0001", "0002", "0003", "0004"]
    round_ = 0
    for revision in order:
        step(url, migrate.upgrade, revision)
        round_ += 1
        fill(url, round_)
        assert all(counts(url).values())  # every table has rows before the next step
    for revision in [*reversed(order[:-1]), "base"]:
        step(url, migrate.downgrade, revision)
        if revision != "base":
            round_ += 1
            fill(url, round_)
    assert counts(url) == {}
    for revision in order:
        step(url, migrate.upgrade, revision)
        round_ += 1
        fill(url, round_)
    engine = make_engine(url)
    try:
        assert migrate.is_current(engine)
    finally:
        engine.dispose()
