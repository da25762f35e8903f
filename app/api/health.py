"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from app.api.problems import problem
from app.db.migrate import is_current
from app.web import runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up."""
    return jsonify(status="ok")


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
