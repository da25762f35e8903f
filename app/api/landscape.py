"""The landscape map's graph as JSON: the nodes and weighted links ``/map`` draws, for tools
that draw their own (the same service and the same query string as the page)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.requests import documented
from app.core.landscape.graph import AUTO_DETAIL_MOST, DETAIL_MOST
from app.core.landscape.model import DETAIL_LINKS, LinkKind, Query, View
from app.services import landscape
from app.web import db_session, require_read_access

bp = Blueprint("landscape", __name__, url_prefix="/api/v1/landscape")

_TEXT = {"type": "string"}
_SEVERAL = "; several: repeated or a comma list, an event type passing when it matches any"


@bp.get("")
@documented(
    "The landscape graph: producer services, event types by domain, buses and receiving "
    f"services with their links, summarised by domain past {AUTO_DETAIL_MOST} event types",
    tag="landscape",
    query={
        "domain": (
            _TEXT,
            f"Only this domain's event types (a slug; 422 when none is so named){_SEVERAL}.",
        ),
        "bus": (_TEXT, f"Only the event types on this bus (a slug){_SEVERAL}."),
        "service": (_TEXT, f"Only the event types this service publishes or receives{_SEVERAL}."),
        "team": (
            _TEXT,
            f"Only the event types of this team's domains or its consumers'{_SEVERAL}.",
        ),
        "focus": (
            _TEXT,
            "domain:<slug>, service:<name> or bus:<slug>: that element and its direct "
            "neighbours (one value, 422 when repeated; 404 when it names nothing).",
        ),
        "view": (
            {"enum": list(View)},
            f"auto (detail up to {AUTO_DETAIL_MOST} event types), detail (at most "
            f"{DETAIL_MOST}, else 422) or summary (one value).",
        ),
        "link": (
            {"enum": [str(k) for k in LinkKind if k in DETAIL_LINKS]},
            "The detail's kinds of line to draw (repeated or a comma list); all by default. "
            "The summary draws flows only: a link leaving a kind out is a 422 there.",
        ),
    },
    answer="Landscape",
)
def graph() -> Response:
    require_read_access()
    query = Query.parse(request.args.to_dict(flat=False))
    return jsonify(landscape.landscape_map(db_session(), query).graph.to_dict())
