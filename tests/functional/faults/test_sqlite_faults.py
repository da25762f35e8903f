"""SQLite locked by another writer, or its file unusable: 503 with Retry-After within 2 s,
/readyz not ready, and the same app answering again once the file is back."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from app import create_app
from app.cli.main import main
from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BUDGET_S = 2.0
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def app(database_url):
    """The app at the production database budget (1 s), which these tests wait out; the shared
    fixture's budget is long, for tests that arrange state on a loaded host."""
    application = create_app(
        {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False, "TESTING": True}
    )
    yield application
    application.extensions["eventry"].engine.dispose()


def timed(call, *args, **kwargs):
    """The answer of a test-client call and the seconds it took."""
    started = time.monotonic()
    answer = call(*args, **kwargs)
    return answer, time.monotonic() - started


def assert_unavailable(answer, seconds: float, mimetype: str = "application/problem+json"):
    assert answer.status_code == 503, answer.get_data(as_text=True)[:300]
    assert seconds < BUDGET_S, f"answered after {seconds:.2f} s"
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.mimetype == mimetype


@contextmanager
def write_lock(path: Path):
    """Hold SQLite's write lock from another connection, as a stuck writer would."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def set_aside(path: Path, replacement):
    """Move the database file away, put ``replacement(path)`` in its place, then restore it.

    The write-ahead log is folded into the file first, so that moving the file alone moves the
    whole database (tests run as root, where chmod 000 stops nobody reading a file).
    """
    with sqlite3.connect(path, isolation_level=None) as folder:
        folder.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = path.with_name(path.name + ".kept")
    os.replace(path, kept)
    replacement(path, kept)
    try:
        yield
    finally:
        if path.is_dir():
            path.rmdir()
        os.replace(kept, path)


def nothing(_path: Path, _kept: Path) -> None:
    """The file is gone (SQLite would create an empty database in its place)."""


def a_folder(path: Path, _kept: Path) -> None:
    path.mkdir()


def a_damaged_copy(path: Path, kept: Path) -> None:
    path.write_bytes(b"\0" * 100 + kept.read_bytes()[100:])  # the header is gone


def file_of(database_url: str) -> Path:
    return Path(make_url(database_url).database)


@sqlite_only
def test_writes_answer_503_in_time_while_another_connection_holds_the_write_lock(
    client, database_url
):
    with write_lock(file_of(database_url)):
        answer, seconds = timed(
            client.post, "/api/v1/teams", json={"slug": "a", "name": "A"}, headers=ADMIN
        )
        assert_unavailable(answer, seconds)
        assert answer.json["detail"] == "the database is busy with another write; retry in a moment"
        ready, seconds = timed(client.get, "/readyz")
        assert_unavailable(ready, seconds)
        assert ready.json["detail"].startswith("the database cannot take writes")
        assert client.get("/api/v1/teams").status_code == 200  # WAL: reads go on
    created = client.post("/api/v1/teams", json={"slug": "a", "name": "A"}, headers=ADMIN)
    assert created.status_code == 201
    assert client.get("/readyz").status_code == 200


@sqlite_only
@pytest.mark.parametrize(
    "replacement", [nothing, a_folder, a_damaged_copy], ids=["gone", "folder", "damaged"]
)
def test_an_unusable_file_answers_503_everywhere_and_the_same_app_heals(
    client, database_url, replacement
):
    path = file_of(database_url)
    assert (
        client.post("/api/v1/teams", json={"slug": "a", "name": "A"}, headers=ADMIN).status_code
        == 201
    )
    with set_aside(path, replacement):
        for url, mimetype in [
            ("/api/v1/teams", "application/problem+json"),
            ("/readyz", "application/problem+json"),
            ("/teams", "text/html"),
            ("/sign-in", "text/html"),  # its form's CSRF token needs the stored session key
        ]:
            answer, seconds = timed(client.get, url)
            assert_unavailable(answer, seconds, mimetype)
        answer, seconds = timed(
            client.post, "/api/v1/teams", json={"slug": "b", "name": "B"}, headers=ADMIN
        )
        assert_unavailable(answer, seconds)
    teams = client.get("/api/v1/teams")
    assert teams.status_code == 200
    assert [team["slug"] for team in teams.json["items"]] == ["a"]
    assert client.get("/readyz").status_code == 200


@sqlite_only
def test_the_cli_prints_one_line_and_exits_1_when_the_database_is_locked(database_url):
    # Commands wait for a writer as a person would (5 s), not a request's budget.
    env = {"DATABASE_URL": database_url}
    with write_lock(file_of(database_url)):
        result = CliRunner().invoke(main, ["token", "create", "--admin"], env=env)
    assert result.exit_code == 1
    assert result.output == "error: the database is busy with another write; retry in a moment\n"
