"""Whether the registry can serve: the database answers, is migrated, and what it holds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.db.engine import probe_write
from app.db.migrate import is_current
from app.db.queries.catalog import catalogue_counts as count_catalogue

# How long /readyz waits for the write lock: longer than a healthy write holds it, shorter
# than the 1 s a load balancer or Kubernetes gives a probe by default.
READY_WRITE_WAIT_MS = 500


@dataclass(frozen=True)
class Readiness:
    """Whether the app can serve requests; when not, ``problem`` says why in one sentence."""

    ready: bool
    database: str
    problem: str | None = None


def readiness(engine: Engine) -> Readiness:
    """Check that the database answers, that its schema is at the newest migration, and that
    it takes writes (its write lock comes free within READY_WRITE_WAIT_MS, nothing is changed).

    ``database`` is the dialect's name (``sqlite``, ``postgresql``). Never raises for a database
    that is down, behind, locked or read-only: that is what the answer reports.
    """
    database = engine.dialect.name
    try:
        current = is_current(engine)
    except SQLAlchemyError as error:
        return Readiness(False, database, f"the database is not reachable: {_reason(error)}")
    if not current:
        return Readiness(
            False,
            database,
            "the database schema is not at the newest migration; run `eventry db upgrade`",
        )
    try:
        probe_write(engine, READY_WRITE_WAIT_MS)
    except SQLAlchemyError as error:
        return Readiness(False, database, f"the database cannot take writes: {_reason(error)}")
    return Readiness(True, database)


def _reason(error: SQLAlchemyError) -> str:
    return str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]


def catalogue_counts(session: Session) -> dict[str, int] | None:
    """How many teams, domains, buses, event types, consumers, versions, schemas and samples
    exist (keys ``teams``, ``domains``, ``buses``, ``event_types``, ``consumers``,
    ``schema_versions``, ``schemas``, ``samples``); None when the database does not answer."""
    try:
        return count_catalogue(session)
    except SQLAlchemyError:
        return None
