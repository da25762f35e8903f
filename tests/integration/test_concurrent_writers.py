"""Concurrent writers, each in its own session as each request has, on SQLite and PostgreSQL:
writers on distinct event types and writers on one event type all succeed, versions are
numbered 1..n with no gap or duplicate per event type, distinct contents get distinct schema
ids, and one content registered under several event types at once gets one schema id."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app import create_app
from app.core.access import Actor
from app.db.models import EventType, SchemaVersion
from app.services import catalog
from app.services.versions import register_version

ACTOR = Actor.system("test")
WRITERS, EACH = 8, 4  # threads, and registrations per thread
BASE = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def revision(text: str) -> dict:
    """A content compatible both ways with every other revision (only a description differs)."""
    return {**BASE, "description": text}


@pytest.fixture
def app(database_url):
    """The app with a longer wait for the database: 8 threads queue on SQLite's one write lock,
    longer than a request's 1 s budget on a loaded machine (there each would answer a 503)."""
    application = create_app({"database_url": database_url, "demo": False, "db_timeout_ms": 60000})
    yield application
    application.extensions["eventry"].engine.dispose()


@pytest.fixture
def events(session):
    catalog.create_team(session, ACTOR, "writers", "Writers")
    catalog.create_domain(session, ACTOR, "writes", "Writes", "writers")
    names = [f"Distinct{n}" for n in range(WRITERS)] + ["Shared"]
    for name in names:
        catalog.create_event_type(session, ACTOR, "writes", name)
    return names


def run_writers(app, jobs: list[list[tuple[str, dict]]]) -> list[tuple[str, int, int]]:
    """Each list of (event type, schema) registered in order by its own thread and session;
    (event type, version, schema id) of every registration."""
    sessions = app.extensions["eventry"].sessions

    def writer(work: list[tuple[str, dict]]) -> list[tuple[str, int, int]]:
        done = []
        with sessions() as own:
            for name, schema in work:
                version = register_version(own, ACTOR, "writes", name, schema).version
                done.append((name, version.version, version.schema_id))
        return done

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [each for done in pool.map(writer, jobs) for each in done]


def stored_numbers(session) -> dict[str, list[int]]:
    session.expire_all()
    rows = session.execute(
        select(EventType.name, SchemaVersion.version)
        .join(SchemaVersion.event_type)
        .order_by(SchemaVersion.version)
    )
    numbers = defaultdict(list)
    for name, number in rows:
        numbers[name].append(number)
    return numbers


def test_writers_on_distinct_and_one_event_type_stay_gapless(app, session, events):
    distinct = [
        [(f"Distinct{w}", revision(f"distinct {w}.{n}")) for n in range(EACH)]
        for w in range(WRITERS)
    ]
    shared = [
        [("Shared", revision(f"shared {w}.{n}")) for n in range(EACH)] for w in range(WRITERS)
    ]
    done = run_writers(app, distinct) + run_writers(app, shared)

    assert len(done) == 2 * WRITERS * EACH
    numbers = stored_numbers(session)
    for name in events[:-1]:
        assert numbers[name] == list(range(1, EACH + 1)), name
    assert numbers["Shared"] == list(range(1, WRITERS * EACH + 1))
    # Every content was distinct: as many schema ids as registrations.
    assert len({schema_id for _, _, schema_id in done}) == len(done)


def test_one_content_registered_everywhere_at_once_gets_one_schema_id(app, session, events):
    same = revision("the same content everywhere")
    jobs = [[(name, same)] for name in events]
    done = run_writers(app, jobs)
    assert {number for _, number, _ in done} == {1}
    assert len({schema_id for _, _, schema_id in done}) == 1
