"""Domain, bus, team and audit pages."""

from __future__ import annotations

import math

from flask import Blueprint, request, url_for

from app.core.errors import InvalidInput
from app.services import audit as audit_log
from app.services import findings, pages, webhooks
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
from app.web import db_session, runtime

bp = Blueprint("ui_catalog", __name__)
bp.before_request(check_read_access)
bp.after_request(secure)
AUDIT_FILTERS = ("actor", "action", "target")


@bp.get("/domains/<slug>")
def domain(slug: str):
    """A domain: owner team, buses, event types with shapes, consumers."""
    page = pages.domain_page(db_session(), slug, PAGE_SIZE)
    crumbs = [home_crumb(), (page["domain"].name, None)]
    return render("domain.html", f"Domain {page['domain'].name}", crumbs, **page)


@bp.get("/buses/<slug>")
def bus(slug: str):
    """A bus: router, ordering, events, consumers, and what a declared throughput would cost."""
    raw = request.args.get("events_per_second", "").strip()
    rate, problem = None, None
    if raw:
        try:
            rate = float(raw)
        except ValueError:
            rate = None
        if rate is None or not math.isfinite(rate):
            rate, problem = None, f"events per second must be a number (got {raw!r})"
    session = db_session()
    try:
        page = pages.bus_page(session, slug, rate, runtime().settings.router_prices, PAGE_SIZE)
    except InvalidInput as error:
        problem = error.detail
        page = pages.bus_page(session, slug, None, most=PAGE_SIZE)
    owner = page["bus"].domain
    crumbs = [
        home_crumb(),
        (owner.name, url_for("ui_catalog.domain", slug=owner.slug)),
        (page["bus"].slug, None),
    ]
    hazards = findings.of_bus(session, page["bus"].id)
    return render(
        "bus.html", f"Bus {slug}", crumbs, rate=raw, problem=problem, hazards=hazards, **page
    )


@bp.get("/teams")
def teams():
    """Every team."""
    crumbs = [home_crumb(), ("Teams", None)]
    return render("teams.html", "Teams", crumbs, teams=pages.teams(db_session()))


@bp.get("/teams/<slug>")
def team(slug: str):
    """A team: its domains, how many active tokens it has (never names or secrets), its
    consumers."""
    page = pages.team_page(db_session(), slug, PAGE_SIZE)
    crumbs = [home_crumb(), ("Teams", url_for("ui_catalog.teams")), (page["team"].name, None)]
    return render("team.html", f"Team {page['team'].name}", crumbs, **page)


@bp.get("/teams/<slug>/webhooks/<int:webhook_id>")
def webhook(slug: str, webhook_id: int):
    """A webhook of the team and its delivery log, newest first."""
    found, log = webhooks.delivery_log(db_session(), slug, webhook_id, cursor(), PAGE_SIZE)
    crumbs = [
        home_crumb(),
        ("Teams", url_for("ui_catalog.teams")),
        (found.team.name, url_for("ui_catalog.team", slug=slug, _anchor="webhooks")),
        (f"Webhook {webhook_id}", None),
    ]
    return render(
        "webhook.html",
        f"Webhook {webhook_id}",
        crumbs,
        webhook=found,
        deliveries=log.items,
        more=next_link(log.after),
        first=first_link(),
    )


@bp.get("/audit")
def audit():
    """The audit log, newest first, filtered by actor, action and target (a target and what
    lies beneath it)."""
    filters = {key: request.args.get(key, "").strip() for key in AUDIT_FILTERS}
    session = db_session()
    result = audit_log.list_entries(session, cursor(), PAGE_SIZE, **filters)
    crumbs = [home_crumb(), ("Audit log", None)]
    return render(
        "audit.html",
        "Audit log",
        crumbs,
        filters=filters,
        entries=result.items,
        targets=audit_log.targets(session, result.items),
        more=next_link(result.after),
        first=first_link(),
    )
