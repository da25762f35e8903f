"""The catalogue's lists (event types, buses, domains, consumers, services) and a page per
service; each list filtered by its query string and paginated by keyset, as the API's."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from app.core.findings import FindingKind, Severity
from app.services import directory, findings, reception
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
from app.web import db_session

bp = Blueprint("ui_lists", __name__)
# The findings page's filters, in the order of findings.filters' arguments.
FINDING_FILTERS = ("domain", "team", "severity", "kind")
bp.before_request(check_read_access)
bp.after_request(secure)


def _args(*names: str) -> dict[str, str]:
    return {name: request.args.get(name, "").strip() for name in names}


def _list(template: str, title: str, page, **context):
    """A list page: its rows, the next and first pages' links, and what its filters offer."""
    return render(
        template,
        title,
        [home_crumb(), (title, None)],
        rows=page.items,
        more=next_link(page.after),
        first=first_link(),
        choices=directory.choices(db_session()),
        **context,
    )


@bp.get("/events")
def events():
    """Event types by address; filters: domain, bus, router, shape, lifecycle, findings (any,
    none or a finding kind)."""
    filters = _args("domain", "bus", "router", "shape", "lifecycle", "findings")
    found = directory.events(db_session(), cursor(), PAGE_SIZE, directory.EventFilters(**filters))
    kinds = [findings.ANY, findings.NONE, *FindingKind]
    return _list("events.html", "Event types", found, filters=filters, finding_kinds=kinds)


@bp.get("/buses")
def buses():
    """Buses by slug with their router, ordering and counts; filters: domain, router."""
    filters = _args("domain", "router")
    found = directory.buses(db_session(), cursor(), PAGE_SIZE, **filters)
    return _list("buses.html", "Buses", found, filters=filters)


@bp.get("/domains")
def domains():
    """Domains by slug with their owners and counts."""
    found = directory.domains(db_session(), cursor(), PAGE_SIZE)
    return _list("domains.html", "Domains", found, filters={})


@bp.get("/consumers")
def consumers():
    """Consumers, oldest first; filters: bus, team, event (domain.EventName)."""
    filters = _args("bus", "team", "event")
    session = db_session()
    found = directory.consumers(session, cursor(), PAGE_SIZE, **filters)
    # Each row says what its rule receives and its findings (gaps, routing-rule lints), as on
    # the bus and team pages: a "—" here would deny the findings the event page shows.
    received = reception.received_events(session, found.items)
    return _list("consumers.html", "Consumers", found, filters=filters, received=received)


@bp.get("/findings")
def findings_list():
    """Every lint, ordering hazard, consumer gap, routing-rule finding, deprecated-use warning
    and missing example; filters: domain, team, severity, kind, each repeatable (or a comma
    list) as in ``GET /api/v1/findings``; counts per domain and kind."""
    wanted = findings.filters(*(request.args.getlist(name) for name in FINDING_FILTERS))
    found = findings.list_findings(db_session(), cursor(), PAGE_SIZE, wanted)
    # What the form shows as chosen, and what its links keep: each filter's values, sorted.
    chosen = (wanted.domains, wanted.teams, wanted.severities, wanted.kinds)
    filters = {name: sorted(values) for name, values in zip(FINDING_FILTERS, chosen, strict=True)}
    return _list(
        "findings.html",
        "Findings",
        found.page,
        filters=filters,
        counts=found.counts,
        skipped=found.skipped,
        analysing=found.analysing,
        severities=list(Severity),
        kinds=list(FindingKind),
        nouns={kind.value: kind.noun for kind in FindingKind},
    )


@bp.get("/services")
def services():
    """Every service the catalogue names, as producer or consumer, by name."""
    found = directory.services(db_session(), cursor(), PAGE_SIZE)
    return _list("services.html", "Services", found, filters={})


@bp.get("/services/<path:name>")
def service(name: str):
    """A service: what it publishes and consumes, through which buses, owned by which teams."""
    session = db_session()
    found = directory.service(session, name)
    received = reception.received_events(session, found.consumes)
    crumbs = [home_crumb(), ("Services", url_for("ui_lists.services")), (name, None)]
    return render("service.html", f"Service {name}", crumbs, service=found, received=received)
