"""AsyncAPI in and out: import a 2.6 or 3.0 document into a domain, export a domain, a
service or the catalogue as AsyncAPI 3.0 (now or at a past time), and diff two documents
(docs/interop.md, AsyncAPI). Issue 16's paths, POST /api/v1/import/asyncapi and
GET /api/v1/domains/{domain}/asyncapi, are the same views under a second route each."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import BadRequest

from app.api.requests import documented, flag, json_body
from app.core.asyncapi.source import dumps_json, dumps_yaml
from app.core.errors import InvalidInput
from app.core.times import parse_time
from app.core.vocabulary import SLUG_PATTERN, CompatibilityLevel
from app.services import asyncapi_diff, asyncapi_export, asyncapi_import
from app.web import db_session, require_read_access, writer

bp = Blueprint("asyncapi", __name__, url_prefix="/api/v1")
JSON, YAML = "application/json", "application/yaml"
_SLUG = {"type": "string", "pattern": SLUG_PATTERN}


@bp.post("/asyncapi/import")
@bp.post("/import/asyncapi", endpoint="import_document_at_issue_path")
@documented(
    "Import an AsyncAPI 2.6 or 3.0 document into a domain: channels become buses, messages "
    "event types, payloads versions, examples samples, operations producers and consumers; "
    "what exists is kept, a payload already registered is not registered again; 422 with the "
    "document pointer of each problem",
    auth=True,
    tag="asyncapi",
    answer="AsyncApiImport",
    text=(
        (JSON, YAML, "text/yaml"),
        "The AsyncAPI document, JSON or YAML, at most EVENTRY_MAX_BODY_BYTES.",
    ),
    query={
        "domain": ({**_SLUG, "x-required": True}, "The domain to import into."),
        "team": (_SLUG, "The team that owns the domain when it is created (default: yours)."),
    },
    flags={
        "dry_run": "true: report what would change, change nothing.",
        "prune": "true: delete the domain's buses, event types and consumers the document "
        "no longer names.",
    },
)
def import_document() -> Response:
    domain = request.args.get("domain")
    if not domain:
        raise BadRequest("name the domain to import into: ?domain=orders")
    report = asyncapi_import.import_document(
        db_session(),
        writer(),
        request.get_data(cache=False),
        domain,
        team=request.args.get("team") or None,
        dry_run=bool(flag("dry_run")),
        prune=bool(flag("prune")),
        most_bytes=current_app.config["MAX_CONTENT_LENGTH"],
    )
    return jsonify(report.to_dict())


@bp.get("/asyncapi")
@bp.get("/domains/<domain>/asyncapi", endpoint="export_domain_document")
@documented(
    "Export a domain, a service or (with neither) the whole catalogue as an AsyncAPI 3.0 "
    "document, JSON or YAML as the Accept header asks; with `at`, as it was at that time",
    tag="asyncapi",
    answer="AsyncApiDocument",
    media={YAML: {"type": "string"}},
    query={
        "domain": (_SLUG, "Only this domain."),
        "service": ({"type": "string"}, "Only what this service produces and consumes."),
        "at": (
            {"type": "string", "format": "date-time"},
            "An RFC 3339 time with its zone: the catalogue as it was then (event types, buses "
            "and consumers created later left out; each payload the latest version registered "
            "at or before it).",
        ),
    },
)
def export_document(domain: str | None = None) -> Response:
    require_read_access()
    document = asyncapi_export.export_document(
        db_session(),
        domain or request.args.get("domain"),
        request.args.get("service"),
        _time(request.args.get("at"), "at"),
    )
    wanted = request.accept_mimetypes.best_match([JSON, YAML, "text/yaml"], default=JSON)
    if wanted == JSON:
        return Response(dumps_json(document), mimetype=JSON)
    return Response(dumps_yaml(document), mimetype=YAML)


@bp.post("/asyncapi/diff")
@documented(
    "Compare two AsyncAPI 2.6 or 3.0 documents: each change (channel or message added or "
    "removed, operation direction changed, payload changed) breaking or not; payloads are "
    "compared by the registry's compatibility engine at the level asked; 422 with the pointer "
    "of each problem, under /old or /new",
    body="asyncapi-diff",
    tag="asyncapi",
    answer="AsyncApiDiff",
)
def diff_documents() -> Response:
    require_read_access()
    body = json_body("asyncapi-diff")
    report = asyncapi_diff.diff_documents(
        body["old"],
        body["new"],
        CompatibilityLevel(body.get("level", CompatibilityLevel.BACKWARD)),
        current_app.config["MAX_CONTENT_LENGTH"],
    )
    return jsonify(report.to_dict())


def _time(text: str | None, name: str) -> datetime | None:
    # The one reading of a time in a query (app.core.times), refused as a 422 naming it.
    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError as error:
        raise InvalidInput(
            f"{name} must be an RFC 3339 time with its zone, such as 2026-01-31T12:00:00Z",
            [{"pointer": f"/{name}", "message": str(error)}],
        ) from None
