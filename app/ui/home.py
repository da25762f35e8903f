"""The catalogue's front page and search."""

from __future__ import annotations

from flask import Blueprint, request

from app.core.errors import InvalidInput
from app.services import directory, overview, search
from app.ui.common import (
    PAGE_SIZE,
    check_read_access,
    cursor,
    first_link,
    home_crumb,
    next_link,
    render,
    secure,
)
from app.ui.highlight import highlight
from app.web import db_session

bp = Blueprint("ui_home", __name__)
bp.before_request(check_read_access)
bp.after_request(secure)


@bp.get("/")
def home():
    """Counts, a search box, domains with buses and event counts, recently changed events."""
    front = overview.home(db_session())
    return render(
        "home.html",
        "Event catalogue",
        [("Catalogue", None)],
        counts=front.counts,
        domains=front.domains,
        recent=front.recent,
    )


@bp.get("/search")
def search_page():
    """Matches in names, descriptions, producers and field names, highlighted and paginated."""
    query = request.args.get("q", "").strip()
    hits, more, problem, others = [], None, None, {}
    if query:
        try:
            result = search.search(db_session(), query, cursor(), PAGE_SIZE)
            hits, more = result.items, next_link(result.after)
        except InvalidInput as error:
            problem = error.detail
        else:
            # Teams, domains, buses, consumers and services head the first page only.
            others = {} if cursor() else directory.find(db_session(), query)
    title = f"Search: {query}" if query else "Search"
    crumbs = [home_crumb(), ("Search", None)]
    return render(
        "search.html",
        title,
        crumbs,
        query=query,
        hits=hits,
        more=more,
        problem=problem,
        others=others,
        mark=lambda text: highlight(text, query),
        first=first_link(),
    )
