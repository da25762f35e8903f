"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from app.api.problems import problem
from app.api.requests import require_read_access
from app.db.migrate import is_current
from app.db.queries.catalog import catalogue_counts
from app.web import db_session, runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: the catalogue's size, read from the database on each scrape."""
    require_read_access()
    try:
        counts = catalogue_counts(db_session())
    except SQLAlchemyError:
        return Response("eventry_up 0\n", mimetype="text/plain; version=0.0.4")
    lines = [
        "# HELP eventry_up Whether the database answered this scrape.",
        "# TYPE eventry_up gauge",
    ]
    lines.append("eventry_up 1")
    lines += [
        "# HELP eventry_catalogue_items Items in the catalogue, by kind.",
        "# TYPE eventry_catalogue_items gauge",
    ]
    lines += [f'eventry_catalogue_items{{kind="{kind}"}} {count}' for kind, count in counts.items()]
    return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")


@bp.get("/readyz")
def readyz() -> Response:
    """The database answers and its schema is at the newest migration."""
    try:
        current = is_current(runtime().engine)
    except SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]
        return problem(503, "Service Unavailable", f"the database is not reachable: {reason}")
    if not current:
        return problem(
            503,
            "Service Unavailable",
            "the database schema is not at the newest migration; run `eventry db upgrade`",
        )
    return jsonify(status="ready", database=runtime().engine.dialect.name)
