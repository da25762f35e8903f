"""What the suite runs where a tool may be missing: CI or not, and the PostgreSQL leg.

The PostgreSQL leg: whether it runs, on which server, and, when it does not, why.

TEST_DATABASE_URL decides when it is set (set empty, it switches the leg off). Unset, the
local server is used when one answers on 127.0.0.1:5432 and its `test` database exists or can
be created, so `make test` on a developer's machine tests what CI tests. Either way the suite
says in its last lines what it ran (tests/conftest.py's terminal summary).
"""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

LOCAL_HOST, LOCAL_PORT, LOCAL_DATABASE = "127.0.0.1", 5432, "test"
LOCAL_URL = f"postgresql+psycopg://postgres@{LOCAL_HOST}:{LOCAL_PORT}/{LOCAL_DATABASE}"
VARIABLE = "TEST_DATABASE_URL"


def in_ci() -> bool:
    """Whether the suite runs in CI (CI=true), where a missing tool fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@dataclass(frozen=True)
class Leg:
    """The PostgreSQL leg: the server's URL ('' when the leg does not run) and why."""

    url: str
    why: str

    def summary(self, tests: int) -> str:
        """The line the suite ends with."""
        if not self.url:
            return f"PostgreSQL leg did NOT run: {self.why}"
        shown = make_url(self.url).render_as_string(hide_password=True)
        return f"PostgreSQL leg: {tests} tests ran on {shown} ({self.why})"


def discover(environ: MutableMapping[str, str] = os.environ) -> Leg:
    """Decide the leg; a local server found is written to ``environ`` for subprocesses too."""
    if VARIABLE in environ:
        url = environ[VARIABLE]
        if url:
            return Leg(url, f"{VARIABLE} is set")
        return Leg("", f"{VARIABLE} is set but empty, which switches it off")
    problem = _local_problem()
    if problem:
        return Leg("", f"{VARIABLE} is unset and {problem}; start PostgreSQL or set {VARIABLE}")
    environ[VARIABLE] = LOCAL_URL
    return Leg(LOCAL_URL, f"{VARIABLE} was unset; the local server answered")


def _local_problem() -> str | None:
    try:
        socket.create_connection((LOCAL_HOST, LOCAL_PORT), timeout=1).close()
    except OSError as error:
        return f"nothing answers on {LOCAL_HOST}:{LOCAL_PORT} ({error.strerror or error})"
    try:
        _ensure_test_database()
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        where = f"{LOCAL_HOST}:{LOCAL_PORT}"
        return f"{where} answers but its '{LOCAL_DATABASE}' database is not usable: {reason}"
    return None


def _ensure_test_database() -> None:
    with psycopg.connect(
        host=LOCAL_HOST,
        port=LOCAL_PORT,
        user="postgres",
        dbname="postgres",
        connect_timeout=2,
        autocommit=True,
    ) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (LOCAL_DATABASE,)
        ).fetchone()
        if found is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(LOCAL_DATABASE)))
