"""Liveness and readiness probes for load balancers and orchestrators, and Prometheus metrics."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.services import health
from app.web import db_session, problem, require_read_access, runtime

bp = Blueprint("health", __name__)
PROMETHEUS = "text/plain; version=0.0.4"


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: the catalogue's size, read from the database on each scrape."""
    require_read_access()
    counts = health.catalogue_counts(db_session())
    if counts is None:
        return Response("eventry_up 0\n", mimetype=PROMETHEUS)
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
    return Response("\n".join(lines) + "\n", mimetype=PROMETHEUS)


@bp.get("/readyz")
def readyz() -> Response:
    """The database answers and its schema is at the newest migration (else 503)."""
    state = health.readiness(runtime().engine)
    if not state.ready:
        return problem(503, "Service Unavailable", state.problem or "not ready")
    return jsonify(status="ready", database=state.database)
