"""Fixtures shared by every test: databases on SQLite and PostgreSQL (TEST_DATABASE_URL, else
the local server when one answers: tests/legs.py; the suite ends saying which it used).

Every fixture that hands out a database is parametrised over the backends, so each storage test
runs once per database without a second copy of the test.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core.limits import configure as configure_limits
from app.core.schema.dialects import configure_default
from app.db import migrate
from app.db.models import Base
from tests import legs

# Decided once, at import: TEST_DATABASE_URL, else the local server when it answers.
POSTGRES_LEG = legs.discover()
POSTGRES_URL = POSTGRES_LEG.url
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
ADMIN_TOKEN = "evt_test-admin-token"
# The shared app's database budget. A test arranges its state through the app's own sessions,
# and a loaded CI host has stalled one PostgreSQL INSERT past the production budget (1 s);
# tests of the budget itself make their own app with the budget they test.
ARRANGING_DB_TIMEOUT_MS = 20000
# No background refresher of stored analyses in tests: it would outlive a test's database.
# Reads analyse what is stale themselves (EVENTRY_ANALYSIS_INLINE), so answers stay exact;
# tests of the refresher start one themselves.
os.environ.setdefault("EVENTRY_ANALYSIS_REFRESH", "0")
# and every stale event type is analysed by the read (a test's catalogue is small): tests of
# the stored rows' own path set a lower limit.
os.environ.setdefault("EVENTRY_ANALYSIS_INLINE", "100000")


class PostgresDatabases:
    """Creates and drops throwaway databases on the server TEST_DATABASE_URL points at."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def create(self) -> str:
        """Create an empty database and return its URL."""
        name = f"eventry_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop a database created by create(), disconnecting whoever is still on it."""
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    """The Postgres server under test, or None when TEST_DATABASE_URL is not set."""
    if not POSTGRES_URL:
        yield None
        return
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path, postgres) -> Iterator[str]:
    """A URL of a brand-new, empty database (no tables at all)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = postgres.create()
    yield url
    postgres.drop(url)


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory, postgres) -> Iterator[dict[str, str]]:
    """One database per backend, migrated to head once per test session."""
    sqlite_path = tmp_path_factory.mktemp("template") / "eventry.db"
    templates = {"sqlite": f"sqlite:///{sqlite_path}"}
    if postgres is not None:
        templates["postgres"] = postgres.create()
    for url in templates.values():
        migrate.upgrade(url)
    yield templates
    if postgres is not None:
        postgres.drop(templates["postgres"])


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, migrated_templates) -> str:
    """A migrated database with no data but the default settings row, fresh for each test."""
    template = migrated_templates[request.param]
    if request.param == "sqlite":
        copy = tmp_path / "eventry.db"
        shutil.copyfile(make_url(template).database, copy)
        return f"sqlite:///{copy}"
    _empty_tables(template)
    return template


def _empty_tables(url: str) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name != "settings")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(
            text(
                "UPDATE settings SET compatibility = 'BACKWARD', policy = 'strict',"
                " mode = 'READWRITE', compatibility_group = NULL, rules = '[]'"
            )
        )
    engine.dispose()


@pytest.fixture(autouse=True)
def _default_dialect_from_the_environment():
    """Each test starts with the process default read from the environment, as a fresh
    process would (an app made by a test sets it from its settings); the same for the limits."""
    yield
    configure_default(None)
    configure_limits(None)


@pytest.fixture
def app(database_url):
    """The app on a fresh migrated database, with a known admin token and no demo."""
    application = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "TESTING": True,
            "db_timeout_ms": ARRANGING_DB_TIMEOUT_MS,
        }
    )
    yield application
    application.extensions["eventry"].engine.dispose()


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def session(app):
    """A session on the app's database, for arranging and inspecting state."""
    with app.extensions["eventry"].sessions() as db_session:
        yield db_session


@pytest.fixture
def runner(database_url) -> CliRunner:
    """A CLI runner whose environment points the `eventry` command at the test database."""
    return CliRunner(env={"DATABASE_URL": database_url, "EVENTRY_ADMIN_TOKEN": ADMIN_TOKEN})


def pytest_sessionfinish(session, exitstatus):
    """In CI a run without its PostgreSQL leg fails, even when every test that ran passed."""
    if legs.in_ci() and not POSTGRES_URL and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outermost: after the short test summary
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """End with what ran: how many tests ran on PostgreSQL, or why the leg did not run."""
    yield
    stats = terminalreporter.stats
    ran = {r.nodeid for key in ("passed", "failed", "error") for r in stats.get(key, [])}
    on_postgres = [nodeid for nodeid in ran if "postgres" in nodeid.partition("[")[2]]
    terminalreporter.write_sep("-", "what ran")
    terminalreporter.write_line(POSTGRES_LEG.summary(len(on_postgres)))
    skipped = {r.nodeid for r in stats.get("skipped", [])}
    for folder, what in (("tests/browser/", "browser"), ("tests/functional/faults/", "fault")):
        done = sum(nodeid.startswith(folder) for nodeid in ran)
        passed_over = sum(nodeid.startswith(folder) for nodeid in skipped)
        if done or passed_over:
            terminalreporter.write_line(f"{what} tests: {done} ran, {passed_over} skipped")
    if legs.in_ci() and not POSTGRES_URL:
        terminalreporter.write_line("CI=true: a run without its PostgreSQL leg fails.")
