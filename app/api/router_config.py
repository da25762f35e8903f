"""A bus's router configuration: import its consumers from the AWS CLI's exports, and the
drift between them and the catalogue (app.services.route_import; docs/routes.md)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.api.requests import documented, flag, json_body
from app.services import route_import
from app.web import db_session, require_read_access, writer

bp = Blueprint("router_config", __name__, url_prefix="/api/v1")


def _documents(body: dict) -> list[tuple[str, object]]:
    # Each document's problems point into the request body.
    return [(f"/documents/{index}", each) for index, each in enumerate(body["documents"])]


@bp.post("/buses/<bus>/routes/import")
@documented(
    "Create and update the bus's consumers from its exported EventBridge rules and targets or "
    "SNS subscriptions (idempotent; deletes nothing; 422 names each bad rule's pointer)",
    body="routes-import",
    auth=True,
    tag="buses",
    answer="RouteImport",
    flags={"dry_run": "true: say what would change, change nothing."},
)
def import_routes(bus: str) -> Response:
    body = json_body("routes-import")
    report = route_import.import_routes(
        db_session(),
        writer(),
        bus,
        _documents(body),
        dry_run=bool(flag("dry_run")),
        team=body.get("team"),
    )
    return jsonify(report)


@bp.post("/buses/<bus>/routes/drift")
@documented(
    "Compare the bus's declared consumers with its exported router configuration: undeclared, "
    "absent, declared on another bus, rule differs (stateless)",
    body="routes-import",
    tag="buses",
    answer="RouteDrift",
)
def route_drift(bus: str) -> Response:
    require_read_access()
    body = json_body("routes-import")
    return jsonify(route_import.drift(db_session(), bus, _documents(body)))
