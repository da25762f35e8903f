"""DATABASE_READ_URL on a real PostgreSQL streaming standby (pg_basebackup, hot standby): reads
come from it once it has replayed the primary's changes, the writer reads its own writes at
once, a read that records a token's use still works on a read-only standby, and reads fall
back to the primary when the standby stops."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import create_engine, text

from app import create_app
from app.db import migrate
from chaos.cluster import PrivateCluster
from tests.functional.faults.conftest import ADMIN_TOKEN as SERVED_ADMIN

ADMIN_TOKEN = "evt_replica-admin"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


class Pair:
    """A private primary, a streaming standby of it, and the URLs of one database on each."""

    def __init__(self, primary: PrivateCluster, standby: PrivateCluster, url: str) -> None:
        self.primary, self.standby = primary, standby
        self.url, self.replica_url = url, standby.url_of(url)


@pytest.fixture(scope="module")
def pair(postgres_binaries) -> Iterator[Pair]:
    """A primary with a migrated database, and a hot standby streaming from it."""
    primary, standby = PrivateCluster(postgres_binaries), PrivateCluster(postgres_binaries)
    try:
        primary.init()
        primary.start()
        url = primary.create_database()
        migrate.upgrade(url)
        standby.init_standby(primary)
        standby.start()
        yield Pair(primary, standby, url)
    finally:
        standby.remove()
        primary.remove()


@pytest.fixture
def routed(pair):
    application = create_app(
        {
            "database_url": pair.url,
            "database_read_url": pair.replica_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "TESTING": True,
        }
    )
    yield application
    application.extensions["eventry"].dispose()


def _replayed(client, path: str, seconds: float = 30) -> None:
    """Wait until the standby has replayed what ``path`` shows (a read by a caller who did
    not write, so the standby answers); fail if it never does."""
    deadline = time.monotonic() + seconds
    while client.get(path).status_code != 200:
        if time.monotonic() > deadline:
            pytest.fail(f"the standby did not replay {path} within {seconds} s")
        time.sleep(0.05)


def test_the_writer_reads_its_write_at_once_and_others_once_it_is_replayed(routed):
    writer = routed.test_client()
    team = {"slug": "crew", "name": "Crew"}
    assert writer.post("/api/v1/teams", json=team, headers=ADMIN).status_code == 201
    assert writer.get("/api/v1/teams/crew").status_code == 200  # read-your-writes: the primary
    _replayed(routed.test_client(), "/api/v1/teams/crew")
    body = routed.test_client().get("/readyz").get_json()
    assert body["replica"]["state"] == "ok"
    assert body["replica"]["lag_s"] >= 0


def test_a_token_made_a_moment_ago_works_and_its_use_is_recorded(routed):
    admin = routed.test_client()
    team = {"slug": "ops", "name": "Ops"}
    assert admin.post("/api/v1/teams", json=team, headers=ADMIN).status_code == 201
    made = admin.post("/api/v1/teams/ops/tokens", json={"name": "ci"}, headers=ADMIN)
    bearer = {"Authorization": f"Bearer {made.get_json()['secret']}"}
    # At once, before the standby may have it: tokens are always checked on the primary (a
    # token just made works, one just revoked does not), and its first use is recorded there.
    assert routed.test_client().get("/api/v1/teams/ops/tokens", headers=bearer).status_code == 200
    # The admin wrote a moment ago, so its reads come from the primary.
    tokens = admin.get("/api/v1/teams/ops/tokens", headers=ADMIN).get_json()["items"]
    assert tokens[0]["last_used_at"] is not None


def test_reads_fall_back_to_the_primary_when_the_standby_stops(routed, pair):
    admin = routed.test_client()
    night = {"slug": "night", "name": "Night"}
    assert admin.post("/api/v1/teams", json=night, headers=ADMIN).status_code == 201
    _replayed(routed.test_client(), "/api/v1/teams/night")
    pair.standby.stop()
    try:
        reader = routed.test_client()
        assert reader.get("/api/v1/teams/night").status_code == 200
        body = reader.get("/readyz").get_json()
        assert (body["status"], body["replica"]["state"]) == ("ready", "down")
    finally:
        pair.standby.start()


def test_a_standby_behind_by_more_than_allowed_is_not_read(pair):
    application = create_app(
        {
            "database_url": pair.url,
            "database_read_url": pair.replica_url,
            "replica_max_lag_s": 0,  # any lag is too much
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "TESTING": True,
        }
    )
    _replay(pair, "pause")
    try:
        team = {"slug": "late", "name": "Late"}
        writer = application.test_client()
        assert writer.post("/api/v1/teams", json=team, headers=ADMIN).status_code == 201
        deadline = time.monotonic() + 30
        while _replica_state(application) != "behind":  # once the standby received the change
            assert time.monotonic() < deadline, "the standby never reported its lag"
            time.sleep(0.05)
        # A caller that did not write reads the primary: the standby has not replayed it yet.
        assert application.test_client().get("/api/v1/teams/late").status_code == 200
    finally:
        _replay(pair, "resume")
        application.extensions["eventry"].dispose()


def _replica_state(application) -> str:
    return application.test_client().get("/readyz").get_json()["replica"]["state"]


def _replay(pair: Pair, action: str) -> None:
    engine = create_engine(pair.replica_url)
    with engine.connect() as connection:
        connection.execute(text(f"SELECT pg_wal_replay_{action}()"))
    engine.dispose()


def test_under_gunicorn_the_cookie_brings_the_writer_back_to_the_primary(pair, serve):
    # A paused standby's lag is the age of its last replayed change: allow any, here.
    settings = {"DATABASE_READ_URL": pair.replica_url, "EVENTRY_REPLICA_MAX_LAG_S": "86400"}
    server = serve(pair.url, **settings)
    base = f"http://127.0.0.1:{server.port}/api/v1"
    _replay(pair, "pause")  # the standby now lags for as long as the test needs
    try:
        writer = requests.Session()  # keeps cookies, as HTTP clients' sessions do
        team = {"slug": "gunicorn-crew", "name": "Crew"}
        served_admin = {"Authorization": f"Bearer {SERVED_ADMIN}"}
        answer = writer.post(f"{base}/teams", json=team, headers=served_admin, timeout=30)
        assert answer.status_code == 201
        # Several reads, which two workers share: the cookie, not one worker's memory, counts.
        reads = [writer.get(f"{base}/teams/gunicorn-crew", timeout=30) for _ in range(8)]
        assert {read.status_code for read in reads} == {200}
        # Anyone else reads the standby, which has not replayed the team.
        assert requests.get(f"{base}/teams/gunicorn-crew", timeout=30).status_code == 404
    finally:
        _replay(pair, "resume")
