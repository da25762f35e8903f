"""Registry-wide endpoints: global compatibility settings, stateless checks, search and audit."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from app.api.rendering import event_address, page
from app.api.requests import documented, json_body, page_args
from app.core.vocabulary import DEFAULT_COMPATIBILITY, DEFAULT_POLICY
from app.services import audit, search, settings, subject_settings
from app.services.compatibility import compare_schemas
from app.web import db_session, require_read_access, writer

bp = Blueprint("registry", __name__, url_prefix="/api/v1")


@bp.get("/config")
@documented(
    "Get the registry-wide compatibility level and policy, its Confluent mode and "
    "compatibility group, and the settings held for Confluent subjects no event type answers "
    "to yet",
    tag="compatibility",
    answer="RegistryConfig",
)
def get_config() -> Response:
    require_read_access()
    session = db_session()
    current = settings.get_settings(session)
    return jsonify(
        compatibility=current.compatibility,
        policy=current.policy,
        mode=current.mode,
        compatibility_group=current.compatibility_group,
        subject_settings=subject_settings.exported(session),
    )


@bp.put("/config")
@documented(
    "Change the registry-wide compatibility level and/or policy (admin)",
    body="config",
    auth=True,
    tag="compatibility",
    answer="Defaults",
)
def put_config() -> Response:
    body = json_body("config")
    current = settings.set_defaults(
        db_session(), writer(), body.get("compatibility"), body.get("policy")
    )
    return jsonify(compatibility=current.compatibility, policy=current.policy)


@bp.post("/compatibility")
@documented(
    "Compare two schemas under a level and a policy (stateless)",
    body="compatibility-compare",
    tag="compatibility",
    answer="Verdict",
)
def compare() -> Response:
    require_read_access()
    body = json_body("compatibility-compare")
    result = compare_schemas(
        body["old"],
        body["new"],
        body.get("level", DEFAULT_COMPATIBILITY),
        body.get("policy", DEFAULT_POLICY),
    )
    rendered = result.to_dict()
    del rendered["evidence"]  # no samples take part in a stateless check
    return jsonify(rendered)


@bp.get("/search")
@documented(
    "Search event names, descriptions, producers, domains, buses, field names and consumers (q=)",
    paginated=True,
    tag="search",
    query={
        "q": (
            {"pattern": r"\S[\s\S]*\S", "x-required": True},
            "What to find: at least 2 characters besides spaces, case-insensitive.",
        )
    },
    answer="SearchHit",
)
def search_catalogue() -> Response:
    require_read_access()
    query = request.args.get("q", "")
    limit, after = page_args()
    result = search.search(db_session(), query, after, limit)
    return page(result, _hit_json)


@bp.get("/audit")
@documented(
    "The audit log, newest first (filters: actor, action, target, since)",
    paginated=True,
    tag="audit",
    query={
        "actor": ({}, "Only the entries of this actor (a token's name)."),
        "action": ({}, "Only this action, e.g. version.register."),
        "target": ({}, "Only entries about this target, e.g. orders.OrderPlaced."),
        "since": (
            {"format": "date-time"},
            "Only entries at or after this time (RFC 3339, with a time zone).",
        ),
    },
    answer="AuditEntry",
)
def audit_log() -> Response:
    require_read_access()
    limit, after = page_args()
    filters = {key: request.args.get(key) for key in ("actor", "action", "target")}
    since = _since(request.args.get("since"))
    result = audit.list_entries(db_session(), after, limit, since=since, **filters)
    return page(result, _audit_json)


def _since(text: str | None) -> datetime | None:
    """The `since` query parameter as an aware time; None when absent, 400 when not one."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(
            f"since must be an ISO 8601 time such as 2026-01-31T12:00:00Z (got {text!r})"
        ) from None
    if moment.tzinfo is None:
        raise BadRequest("since needs a time zone, e.g. 2026-01-31T12:00:00Z")
    return moment


def _hit_json(hit: search.Hit) -> dict:
    event_type = hit.event_type
    return {
        "event": f"{event_type.domain.slug}.{event_type.name}",
        "domain": event_type.domain.slug,
        "name": event_type.name,
        "latest_version": hit.version,
        "matches": [{"in": m.where, "text": m.text} for m in hit.matches],
        "links": {"self": event_address(event_type)},
    }


def _audit_json(entry) -> dict:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "before": entry.before,
        "after": entry.after,
    }
