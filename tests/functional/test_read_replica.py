"""Read scaling with DATABASE_READ_URL, observed through two independent databases: a row that
only one of them holds shows which database answered (SQLite files, PostgreSQL databases)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from app.config import ConfigError, Settings
from app.db import migrate
from app.reads import COOKIE
from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CREW = {"slug": "crew", "name": "Crew"}  # created on the primary through the routed app
ONLY_ON_REPLICA = {"slug": "replica-only", "name": "Replica only"}
PLACED = "/api/v1/events/shop/Placed"


@pytest.fixture
def replica_url(database_url, tmp_path, postgres) -> Iterator[str]:
    """A second migrated database of the same kind, independent of ``database_url``."""
    if database_url.startswith("sqlite"):
        copy = tmp_path / "replica.db"
        shutil.copyfile(make_url(database_url).database, copy)
        yield f"sqlite:///{copy}"
        return
    url = postgres.create()
    migrate.upgrade(url)
    yield url
    postgres.drop(url)


def _app(primary: str, replica: str | None = None):
    settings = {"database_url": primary, "admin_token": ADMIN_TOKEN, "demo": False}
    return create_app({**settings, "database_read_url": replica, "TESTING": True})


@pytest.fixture
def routed(database_url, replica_url):
    """The app reading from ``replica_url`` and writing ``database_url``, with a team created
    on the replica alone (through an app of its own)."""
    seeding = _app(replica_url)
    _seed(seeding.test_client())
    seeding.extensions["eventry"].dispose()
    application = _app(database_url, replica_url)
    yield application
    application.extensions["eventry"].dispose()


def _seed(client) -> None:
    """The replica-only team, its domain, bus and the Placed event at version 1."""
    slug = ONLY_ON_REPLICA["slug"]
    steps = [
        ("/api/v1/teams", ONLY_ON_REPLICA),
        ("/api/v1/domains", {"slug": "shop", "name": "Shop", "owner": slug}),
        ("/api/v1/buses", {"slug": "shop-events", "domain": "shop", "router": "eventbridge"}),
        ("/api/v1/events", {"domain": "shop", "name": "Placed", "bus": "shop-events"}),
        (f"{PLACED}/versions", {"schema": {"type": "object", "required": ["id"]}}),
    ]
    for path, body in steps:
        answer = client.post(path, json=body, headers=ADMIN)
        assert answer.status_code == 201, answer.get_json()


def _team_status(client, slug: str, headers=None) -> int:
    return client.get(f"/api/v1/teams/{slug}", headers=headers or {}).status_code


def test_reads_come_from_the_replica_and_writes_go_to_the_primary(routed):
    writer, reader = routed.test_client(), routed.test_client()
    assert _team_status(reader, ONLY_ON_REPLICA["slug"]) == 200
    assert writer.post("/api/v1/teams", json=CREW, headers=ADMIN).status_code == 201
    # Another caller reads the replica, which (being independent here) never gets the team.
    assert _team_status(reader, "crew") == 404
    # A write request reads the primary: the team the replica alone holds is unknown there.
    token = {"name": "ci"}
    answer = writer.post("/api/v1/teams/replica-only/tokens", json=token, headers=ADMIN)
    assert answer.status_code == 404


def test_the_writer_reads_its_own_writes_by_cookie_and_by_token(routed):
    writer = routed.test_client()
    answer = writer.post("/api/v1/teams", json=CREW, headers=ADMIN)
    assert COOKIE in answer.headers["Set-Cookie"]
    assert _team_status(writer, "crew") == 200  # the cookie came back: the primary answers
    assert _team_status(routed.test_client(), "crew", ADMIN) == 200  # same token, no cookie
    assert _team_status(routed.test_client(), "crew") == 404  # anyone else: the replica


def test_a_token_reads_the_replica_again_once_its_window_has_passed(database_url, replica_url):
    seeding = _app(replica_url)
    _seed(seeding.test_client())
    seeding.extensions["eventry"].dispose()
    settings = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    application = create_app(
        {**settings, "database_read_url": replica_url, "read_your_writes_s": 1, "TESTING": True}
    )
    try:
        writer = application.test_client()
        assert writer.post("/api/v1/teams", json=CREW, headers=ADMIN).status_code == 201
        fresh = application.test_client  # no cookie: only the token's mark in this process
        assert _team_status(fresh(), "crew", ADMIN) == 200  # within the window: the primary
        time.sleep(1.2)
        assert _team_status(fresh(), "crew", ADMIN) == 404  # after it: the replica again
    finally:
        application.extensions["eventry"].dispose()


def test_a_cookie_claiming_more_than_one_window_is_ignored(routed):
    client = routed.test_client()
    client.set_cookie(COOKIE, str(int(time.time()) + 10_000))
    assert _team_status(client, ONLY_ON_REPLICA["slug"]) == 200  # still the replica
    client.set_cookie(COOKIE, str(int(time.time()) + 2))
    assert _team_status(client, ONLY_ON_REPLICA["slug"]) == 404  # within the window: primary


def test_read_only_posts_and_confluent_reads_use_the_replica(routed):
    client = routed.test_client()
    # The event type exists on the replica alone: each answer below proves where it was read.
    assert client.post(f"{PLACED}/validate", json={"event": {"id": 1}}).get_json()["valid"]
    assert client.get(f"{PLACED}/versions/latest").status_code == 200
    assert client.get("/ccompat/schemas/ids/1").status_code == 200
    assert client.get("/events/shop/Placed").status_code == 200  # the UI's page
    hits = client.get("/api/v1/search?q=Placed").get_json()
    assert [hit["name"] for hit in hits["items"]] == ["Placed"]
    scraped = client.get("/metrics").get_data(as_text=True)
    assert 'eventry_db_sessions_total{target="replica"}' in scraped


def test_the_hot_reads_follow_the_routing(routed):
    # A schema by id, a version and validation each run one statement on its own
    # (app.db.engine.read_alone): on the replica for a reader, on the primary for a caller
    # who wrote a moment ago. The event type exists on the replica alone.
    hot = ["/api/v1/schemas/1", "/ccompat/schemas/ids/1", f"{PLACED}/versions/1"]
    reader, writer = routed.test_client(), routed.test_client()
    writer.set_cookie(COOKIE, str(int(time.time()) + 2))
    for path in hot:
        assert reader.get(path).status_code == 200, path
        assert writer.get(path).status_code == 404, path
    assert writer.post(f"{PLACED}/validate", json={"event": {"id": 1}}).status_code == 404


def test_reads_fall_back_to_the_primary_when_the_replica_is_gone(routed, replica_url, postgres):
    assert routed.test_client().post("/api/v1/teams", json=CREW, headers=ADMIN).status_code == 201
    reader = routed.test_client()
    assert _team_status(reader, "crew") == 404  # the replica answers while it is there
    if replica_url.startswith("sqlite"):
        Path(make_url(replica_url).database).unlink()
    else:
        postgres.drop(replica_url)  # its connections are ended too
    assert _team_status(reader, "crew") == 200  # no 503: the primary answers instead
    replica = reader.get("/readyz").get_json()["replica"]
    assert replica["state"] == "down"
    assert replica["problem"]


def test_a_replica_not_at_the_newest_migration_is_not_read(database_url, tmp_path, postgres):
    sqlite = database_url.startswith("sqlite")
    empty = f"sqlite:///{tmp_path / 'empty.db'}" if sqlite else postgres.create()
    application = _app(database_url, empty)
    try:
        client = application.test_client()
        assert client.post("/api/v1/teams", json=CREW, headers=ADMIN).status_code == 201
        assert _team_status(application.test_client(), "crew") == 200  # from the primary
        replica = client.get("/readyz").get_json()["replica"]
        assert replica["state"] == "down"
        assert "migration" in replica["problem"]
    finally:
        application.extensions["eventry"].dispose()
        if not sqlite:
            postgres.drop(empty)


def test_the_request_log_says_which_database_was_read(routed, caplog):
    client = routed.test_client()
    client.get("/api/v1/teams")
    client.post("/api/v1/teams", json=CREW, headers=ADMIN)
    lines = [r for r in caplog.records if r.name == "app.requests"]
    assert [(r.method, r.db) for r in lines] == [("GET", "replica"), ("POST", "primary")]


def test_readyz_reports_the_replica(routed):
    body = routed.test_client().get("/readyz").get_json()
    assert body["status"] == "ready"
    assert body["replica"]["state"] == "ok"
    assert body["replica"]["lag_s"] == 0


def test_without_a_replica_nothing_changes(database_url):
    application = _app(database_url)
    client = application.test_client()
    assert client.post("/api/v1/teams", json=CREW, headers=ADMIN).status_code == 201
    assert COOKIE not in client.post(
        "/api/v1/teams", json=ONLY_ON_REPLICA, headers=ADMIN
    ).headers.get("Set-Cookie", "")
    assert "replica" not in client.get("/readyz").get_json()
    application.extensions["eventry"].dispose()


def test_the_replica_settings_are_read_and_checked():
    env = {"DATABASE_URL": "postgresql+psycopg://db/eventry", "EVENTRY_READ_YOUR_WRITES_S": "2"}
    replica = "postgresql+psycopg://reader/eventry"
    settings = Settings.from_env({**env, "DATABASE_READ_URL": replica})
    assert (settings.database_read_url, settings.read_your_writes_s) == (replica, 2)
    assert Settings.from_env(env).database_read_url is None
    with pytest.raises(ConfigError, match=r"DATABASE_READ_URL .* a postgresql database"):
        Settings.from_env({**env, "DATABASE_READ_URL": "sqlite:///copy.db"})
    with pytest.raises(ConfigError, match="EVENTRY_REPLICA_MAX_LAG_S"):
        Settings.from_env({**env, "EVENTRY_REPLICA_MAX_LAG_S": "soon"})
