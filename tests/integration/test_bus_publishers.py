"""The buses' allow-list in storage: migration 0005 with data, and the demo load as an admin."""

from sqlalchemy import text

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.db import migrate
from app.db.engine import make_engine, make_session_factory
from app.db.queries.catalog import bus_by_slug
from app.services import analysis, audit, catalog_loader, publishing
from app.services.catalog import get_event_type

ROWS = [
    "INSERT INTO teams (id, slug, name, description, created_at) "
    "VALUES (1, 't', 'T', '', CURRENT_TIMESTAMP)",
    "INSERT INTO domains (id, slug, name, description, owner_team_id, created_at, updated_at) "
    "VALUES (1, 'd', 'D', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO buses (id, slug, domain_id, router, description, created_at, updated_at) "
    "VALUES (1, 'b', 1, 'sns', 'kept', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
]


def _buses(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(row) for row in connection.execute(text("SELECT slug, description FROM buses"))
        ]


def test_0005_upgrades_and_downgrades_with_buses_in_the_table(empty_database_url):
    migrate.upgrade(empty_database_url, "0004")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        migrate.upgrade(empty_database_url, "0005")
        with make_session_factory(engine)() as session:
            bus = bus_by_slug(session, "b")
            assert bus is not None and bus.publishers == []
        migrate.downgrade(empty_database_url, "0004")
        assert _buses(engine) == [("b", "kept")]
        migrate.upgrade(empty_database_url)
        assert _buses(engine) == [("b", "kept")]
    finally:
        engine.dispose()


def test_the_demos_cross_team_events_travel_by_the_bus_owners_consent(database_url):
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            catalog_loader.load_catalog(session, DEMO_CATALOG, Actor.system("eventry demo"))
            page = audit.list_entries(session, None, 50, action="bus.publish-override")
            overrides = {entry.after["event"] for entry in page.items}
            reserved = get_event_type(session, "inventory", "StockReserved")
            facts = publishing.bus_facts(reserved)
            ids = {f.id for f in analysis.lint_event(session, reserved, None, None, "thin")}
    finally:
        engine.dispose()
    # orders-events and warehouse-wms list the other domains in their publishers: no admin
    # override was needed, and only the other-domain warning remains.
    assert overrides == set()
    assert (facts["bus"], facts["bus_owner"], facts["bus_consent"]) == (
        "orders-events",
        "checkout",
        "domain:inventory",
    )
    assert "bus-publisher-not-allowed" not in ids and "bus-other-domain" in ids
