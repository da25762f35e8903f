"""Findings across domains: every lint, ordering hazard, consumer gap, routing-rule finding,
deprecated-use warning and missing example of the catalogue, filtered, counted and paged."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from app.api.requests import MAX_LIMIT, documented, page_args
from app.core.findings import FindingKind, Severity
from app.services import findings
from app.web import db_session, encode_cursor, require_read_access

bp = Blueprint("findings", __name__, url_prefix="/api/v1/findings")

_LIST = {"type": "string"}
FILTERS = ("domain", "team", "severity", "kind")


@bp.get("")
@documented(
    "List findings across domains (filters: domain, team, severity, kind; each repeated or a "
    "comma list), with counts per domain, kind and severity",
    tag="analysis",
    query={
        "domain": (_LIST, "Only the findings of these domains' event types (slugs)."),
        "team": (
            _LIST,
            "Only the findings for these teams (a consumer's team, else the domain's owner).",
        ),
        "severity": (_LIST, f"Only these severities: {', '.join(Severity)}."),
        "kind": (_LIST, f"Only these kinds: {', '.join(FindingKind)}."),
        # Paged as the other lists, but the answer also carries counts: not a bare page.
        "limit": ({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "At most this many."),
        "cursor": (_LIST, "The `next` link's cursor."),
    },
    answer="FindingsPage",
)
def list_findings() -> Response:
    require_read_access()
    limit, after = page_args()
    wanted = findings.filters(*(request.args.getlist(name) for name in FILTERS))
    found = findings.list_findings(db_session(), after, limit, wanted)
    next_link = None
    if found.page.after is not None:
        args = {**request.args.to_dict(flat=False), "cursor": encode_cursor(found.page.after)}
        next_link = url_for("findings.list_findings", **args)
    return jsonify(
        items=[finding.to_dict() for finding in found.page.items],
        next=next_link,
        counts=found.counts,
        skipped=found.skipped,
        analysing=found.analysing,
    )
