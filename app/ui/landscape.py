"""The landscape map: the whole catalogue drawn on the server as SVG (``/map`` as a page with
filters and a table of the same relations, ``/map.svg`` the drawing alone). No script is
needed: every element is a link, and the query string carries filters, focus and view."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from app.core.landscape.graph import OUTSIDE, Node
from app.core.landscape.model import (
    DETAIL_LINKS,
    FILTERS,
    SINGLE,
    LinkKind,
    NodeKind,
    Query,
    View,
)
from app.services import directory, landscape
from app.ui.common import check_read_access, home_crumb, render, secure
from app.web import db_session

bp = Blueprint("ui_landscape", __name__)
bp.before_request(check_read_access)
bp.after_request(secure)

# How each kind of link is drawn; the colours are event storming's sticky notes where one
# exists (events orange, external systems pink), and all pass 3:1 against white.
LINK_COLOURS = {
    LinkKind.PUBLISHES: "#b54708",
    LinkKind.TRAVELS: "#475467",
    LinkKind.DELIVERS: "#6941c6",
    LinkKind.FLOWS: "#6941c6",
}


def _map():
    query = Query.parse(request.args.to_dict(flat=False))
    # The form shows each parameter's values as given (a filter may have several).
    args = {name: ", ".join(request.args.getlist(name)) for name in (*FILTERS, *SINGLE)}
    return args, landscape.landscape_map(db_session(), query)


def node_href(node: Node, summary: bool) -> str:
    """The page a node links to; in the summary a domain links to the map focused on it."""
    if node.kind is NodeKind.EVENT:
        return url_for("ui_events.event", domain=node.domain, name=node.name)
    if node.kind is NodeKind.BUS:
        return url_for("ui_catalog.bus", slug=node.name)
    if node.kind is NodeKind.DOMAIN and summary:
        return url_for("ui_landscape.landscape_map", focus=f"domain:{node.name}")
    if node.kind is NodeKind.DOMAIN:
        return url_for("ui_catalog.domain", slug=node.name)
    if node.name in ("", OUTSIDE):
        return url_for("ui_lists.services")
    return url_for("ui_lists.service", name=node.name)


def _context(found) -> dict:
    return {
        "map": found,
        "summary": found.graph.view is View.SUMMARY,
        "href": node_href,
        "colours": LINK_COLOURS,
    }


@bp.get("/map")
def landscape_map():
    """The map page: filters (domain, bus, service, team: each repeatable or a comma list;
    the detail's link kinds), focus (``kind:name``, one), view (auto, detail, summary, one),
    the drawing and a table of its relations. 422 for a bad filter, 404 for a focus naming
    nothing (app.core.landscape.model.Query.parse)."""
    args, found = _map()
    crumbs = [home_crumb(), ("Landscape map", None)]
    return render(
        "map.html",
        "Landscape map",
        crumbs,
        filters=args,
        link_kinds=[k for k in LinkKind if k in DETAIL_LINKS],
        views=list(View),
        choices=directory.choices(db_session()),
        **_context(found),
    )


@bp.get("/map.svg")
def landscape_svg():
    """The drawing alone as a standalone SVG document (image/svg+xml), same query string."""
    _args, found = _map()
    body = render_template("ui/map.svg", **_context(found))
    return Response(body, mimetype="image/svg+xml")
