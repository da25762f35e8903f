"""First start on a fresh database: migrate, admin token, the demo catalogue, once."""

from collections import Counter

from sqlalchemy import select

from app.config import DEMO_CATALOG, Settings
from app.db.engine import make_engine, make_session_factory
from app.db.models import Bus, EventType, Sample, SchemaVersion
from app.db.queries.catalog import catalogue_counts
from app.services.bootstrap import bootstrap
from app.services.tokens import authenticate


def test_first_start_loads_the_demo_and_prints_an_admin_token_once(empty_database_url):
    settings = Settings(database_url=empty_database_url, demo=True)
    first = bootstrap(settings)
    second = bootstrap(settings)

    assert first.admin_secret and first.admin_secret.startswith("evt_")
    assert second.admin_secret is None
    assert first.demo is not None and first.demo.created["event types"] >= 20
    assert second.demo is None

    engine = make_engine(empty_database_url)
    try:
        with make_session_factory(engine)() as session:
            counts = catalogue_counts(session)
            routers = Counter(session.scalars(select(Bus.router)))
            versions = Counter(session.scalars(select(SchemaVersion.event_type_id)))
            expectations = Counter(session.scalars(select(Sample.expect_valid)))
            names = list(session.scalars(select(EventType.name)))
            token = authenticate(session, first.admin_secret, None)
    finally:
        engine.dispose()
    assert counts["domains"] >= 4 and counts["buses"] >= 6 and counts["event_types"] >= 20
    assert counts["consumers"] >= 1
    assert len(routers) >= 4
    assert sum(1 for n in versions.values() if n >= 2) >= 3
    assert expectations[True] >= 20 and expectations[False] >= 1
    assert all(name[0].isupper() and name.endswith(("ed", "Paid", "Sent")) for name in names)
    assert token is not None and token.is_admin


def test_an_empty_catalogue_when_the_demo_is_off(empty_database_url):
    outcome = bootstrap(Settings(database_url=empty_database_url, demo=False, admin_token="x"))
    assert outcome.demo is None
    assert outcome.admin_secret is None  # a configured admin token needs no stored one
    engine = make_engine(empty_database_url)
    try:
        with make_session_factory(engine)() as session:
            assert catalogue_counts(session)["event_types"] == 0
    finally:
        engine.dispose()


def test_the_demo_tree_has_no_problems():
    from app.services.tree_reader import read_tree

    _, problems = read_tree(DEMO_CATALOG)
    assert [str(p) for p in problems] == []
