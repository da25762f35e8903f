"""Liveness and readiness probes for load balancers and orchestrators, and Prometheus metrics."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app import metrics as exported
from app.services import health
from app.web import db_session, problem, require_read_access, runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: the catalogue's size, read from the database on each scrape, and
    the request, registration, validation, database and rate-limit metrics of every worker."""
    require_read_access()
    counts = health.catalogue_counts(db_session())
    return Response(exported.exposition(counts), content_type=exported.CONTENT_TYPE)


@bp.get("/readyz")
def readyz() -> Response:
    """The database answers, its schema is at the newest migration and it takes writes (else
    503, with Retry-After: a balancer may ask again then). With a read replica, ``replica``
    reports it; one that is down or behind leaves the app ready (reads go to the primary)."""
    state = health.readiness(runtime().engine)
    if not state.ready:
        answer = problem(503, "Service Unavailable", state.problem or "not ready")
        answer.headers["Retry-After"] = "5"
        return answer
    reads = runtime().reads
    if reads is None:
        return jsonify(status="ready", database=state.database)
    return jsonify(status="ready", database=state.database, replica=reads.report())
