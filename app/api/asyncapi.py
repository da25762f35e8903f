"""AsyncAPI in and out: import a 2.6 or 3.0 document into a domain, export a domain, a
service or the catalogue as AsyncAPI 3.0 (docs/interop.md, AsyncAPI)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import BadRequest

from app.api.requests import documented, flag
from app.core.asyncapi.source import dumps_json, dumps_yaml
from app.core.vocabulary import SLUG_PATTERN
from app.services import asyncapi_export, asyncapi_import
from app.web import db_session, require_read_access, writer

bp = Blueprint("asyncapi", __name__, url_prefix="/api/v1/asyncapi")
JSON, YAML = "application/json", "application/yaml"
_SLUG = {"type": "string", "pattern": SLUG_PATTERN}


@bp.post("/import")
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


@bp.get("")
@documented(
    "Export a domain, a service or (with neither) the whole catalogue as an AsyncAPI 3.0 "
    "document, JSON or YAML as the Accept header asks",
    tag="asyncapi",
    answer="AsyncApiDocument",
    media={YAML: {"type": "string"}},
    query={
        "domain": (_SLUG, "Only this domain."),
        "service": ({"type": "string"}, "Only what this service produces and consumes."),
    },
)
def export_document() -> Response:
    require_read_access()
    document = asyncapi_export.export_document(
        db_session(), request.args.get("domain"), request.args.get("service")
    )
    wanted = request.accept_mimetypes.best_match([JSON, YAML, "text/yaml"], default=JSON)
    if wanted == JSON:
        return Response(dumps_json(document), mimetype=JSON)
    return Response(dumps_yaml(document), mimetype=YAML)
