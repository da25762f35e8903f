"""The landscape map's graph as JSON: the nodes and weighted links ``/map`` draws, for tools
that draw their own (the same service and the same query string as the page)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.requests import documented
from app.core.landscape.graph import AUTO_DETAIL_MOST, DETAIL_MOST
from app.core.landscape.model import LinkKind, Query, View
from app.services import landscape
from app.web import db_session, require_read_access

bp = Blueprint("landscape", __name__, url_prefix="/api/v1/landscape")

_TEXT = {"type": "string"}
FILTERS = ("domain", "bus", "service", "team", "focus", "view")


@bp.get("")
@documented(
    "The landscape graph: producer services, event types by domain, buses and receiving "
    f"services with their links, summarised by domain past {AUTO_DETAIL_MOST} event types",
    tag="landscape",
    query={
        "domain": (_TEXT, "Only this domain's event types (a slug; 422 when none is so named)."),
        "bus": (_TEXT, "Only the event types on this bus (a slug)."),
        "service": (_TEXT, "Only the event types this service publishes or receives."),
        "team": (_TEXT, "Only the event types of this team's domains or its consumers'."),
        "focus": (
            _TEXT,
            "domain:<slug>, service:<name> or bus:<slug>: that element and its direct "
            "neighbours (404 when it names nothing).",
        ),
        "view": (
            {"enum": list(View)},
            f"auto (detail up to {AUTO_DETAIL_MOST} event types), detail (at most "
            f"{DETAIL_MOST}, else 422) or summary.",
        ),
        "link": (
            {"enum": [str(k) for k in LinkKind if k is not LinkKind.FLOWS]},
            "Only these kinds of link (repeatable); all by default.",
        ),
    },
    answer="Landscape",
)
def graph() -> Response:
    require_read_access()
    args = {name: request.args.get(name, "").strip() for name in FILTERS}
    query = Query.parse(args, request.args.getlist("link"))
    return jsonify(landscape.landscape_map(db_session(), query).graph.to_dict())
