"""Schema versions of an event type, and schemas by their global id."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from app import http_cache
from app.api.rendering import page, referrer_json, schema_json, version_json
from app.api.requests import documented, flag, json_body, page_args
from app.core.contract import checked_contract
from app.core.vocabulary import VERSION_PATTERN
from app.services import (
    lifecycle,
    listing,
    schema_links,
    served,
    version_diffs,
    version_lifecycle,
    versions,
)
from app.web import db_session, require_read_access, writer

bp = Blueprint("versions", __name__, url_prefix="/api/v1")
# A version's answer is its content, which never changes, until it is soft-deleted (then 404)
# or, for "latest", a newer one is registered: caches ask again each time (a 304 is cheap).
VERSION_CACHING = http_cache.REVALIDATE


@bp.post("/events/<domain>/<name>/versions")
@documented(
    "Register the next version (200 if identical to a live one, 409 if incompatible); "
    "references name registered versions its $ref may use, metadata and ruleSet are a data "
    "contract's extras",
    body="version-register",
    status=201,
    auth=True,
    tag="versions",
    answer="RegisteredVersion",
)
def register(domain: str, name: str) -> Response:
    body = json_body("version-register")
    contract = checked_contract(body.get("references"), body.get("metadata"), body.get("ruleSet"))
    outcome = versions.register_version(
        db_session(),
        writer(),
        domain,
        name,
        body["schema"],
        body.get("note", ""),
        body.get("author", ""),
        contract=contract,
    )
    # The schema's dialect is in the version; warnings name keywords that dialect ignores.
    response = jsonify({**version_json(outcome.version), "warnings": outcome.warnings})
    response.status_code = 201 if outcome.created else 200
    if outcome.created:
        response.headers["Location"] = (
            f"/api/v1/events/{domain}/{name}/versions/{outcome.version.version}"
        )
    return response


@bp.get("/events/<domain>/<name>/versions")
@documented(
    "List versions (add deleted=true to include soft-deleted ones)",
    paginated=True,
    tag="versions",
    flags={"deleted": "true: include soft-deleted versions."},
    answer="VersionSummary",
)
def list_versions(domain: str, name: str) -> Response:
    require_read_access()
    limit, after = page_args()
    deleted = bool(flag("deleted"))
    result = listing.list_versions(db_session(), domain, name, after, limit, deleted)
    return page(result, lambda version: version_json(version, with_schema=False))


@bp.get("/events/<domain>/<name>/versions/<number>")
@documented(
    "Get a version with its schema ('latest' for the newest live one)",
    tag="versions",
    answer="Version",
)
def get_version(domain: str, name: str, number: str) -> Response:
    require_read_access()
    found = served.version(db_session(), domain, name, number)
    body = http_cache.body(found.key, lambda: jsonify(version_json(found.load())).get_data())
    return http_cache.answer(body, "application/json", VERSION_CACHING)


@bp.put("/events/<domain>/<name>/versions/<number>/lifecycle")
@documented(
    "Move a version through its lifecycle: active, deprecated (since, reason, successor "
    "version), retired (no consumer newly pins it, it validates nothing); its domain's owner, "
    "audited",
    body="version-lifecycle",
    auth=True,
    tag="versions",
    answer="VersionSummary",
)
def put_lifecycle(domain: str, name: str, number: str) -> Response:
    wanted = lifecycle.stage_from(json_body("version-lifecycle"))
    version = version_lifecycle.set_version_lifecycle(
        db_session(), writer(), domain, name, number, wanted
    )
    return jsonify(version_json(version, with_schema=False))


@bp.get("/events/<domain>/<name>/versions/<number>/referenced-by")
@documented(
    "The versions (soft-deleted ones too) whose schemas reference this version",
    tag="versions",
    answer="Referrer",
    listed=True,
)
def referenced_by(domain: str, name: str, number: str) -> Response:
    require_read_access()
    users = schema_links.referenced_by(db_session(), domain, name, number)
    return jsonify(items=[referrer_json(each) for each in users], next=None)


@bp.delete("/events/<domain>/<name>/versions/<number>")
@documented(
    "Soft-delete a version; permanent=true (admin) removes a soft-deleted one",
    auth=True,
    tag="versions",
    flags={
        "permanent": "true (admin): remove a soft-deleted version for good (204).",
        "force": "true (admin): delete it although consumers declare they consume it (409 "
        "without, naming them); audited.",
    },
    answer="VersionSummary",
)
def delete_version(domain: str, name: str, number: str) -> Response:
    permanent, force = bool(flag("permanent")), bool(flag("force"))
    version = versions.delete_version(
        db_session(), writer(), domain, name, number, permanent, force=force
    )
    if permanent:
        return Response(status=204)
    return jsonify(version_json(version, with_schema=False))


@bp.get("/events/<domain>/<name>/diff")
@documented(
    "Every difference between two versions (from=, to=) with its verdict under each level, "
    "and the consumers whose declared fields each touches (impact)",
    tag="versions",
    query={
        "from": (
            {"pattern": VERSION_PATTERN, "x-required": True},
            "The older version: a number or latest.",
        ),
        "to": ({"pattern": VERSION_PATTERN}, "The newer version (default latest)."),
    },
    answer="Diff",
)
def diff(domain: str, name: str) -> Response:
    require_read_access()
    old, new = request.args.get("from"), request.args.get("to", "latest")
    if not old:
        raise BadRequest("say which versions to compare: ?from=1&to=3 (to defaults to latest)")
    return jsonify(version_diffs.diff(db_session(), domain, name, old, new))


@bp.get("/schemas/<int:schema_id>")
@documented(
    "Get a schema by its global id (immutable: cache it forever); details=true answers it "
    "with its guid, references, metadata and ruleSet",
    tag="schemas",
    flags={"details": "Answer JSON: id, guid, references, metadata, ruleSet and the schema."},
    answer="StoredSchema",
    # Without details=true: the schema itself, as stored (any JSON Schema: an object or a boolean).
    media={"application/schema+json": {"type": ["object", "boolean"]}},
)
def get_schema(schema_id: int) -> Response:
    require_read_access()
    found = served.schema(db_session(), schema_id)
    fingerprint = found.fingerprint
    # The two answers are two representations: each has its own strong validator.
    if flag("details"):
        key, tag = (*found.key, "details"), f"{fingerprint}.details"
        body = http_cache.body(key, lambda: jsonify(schema_json(found.load())).get_data(), tag)
        return http_cache.answer(body, "application/json", http_cache.IMMUTABLE)
    body = http_cache.body(found.key, lambda: found.load().canonical.encode(), fingerprint)
    return http_cache.answer(body, "application/schema+json", http_cache.IMMUTABLE)


@bp.get("/schemas/<int:schema_id>/versions")
@documented(
    "Which event types and versions use a schema", tag="schemas", answer="SchemaUsage", listed=True
)
def schema_usages(schema_id: int) -> Response:
    require_read_access()
    used = listing.schema_usages(db_session(), schema_id)
    items = [
        {
            "event": f"{v.event_type.domain.slug}.{v.event_type.name}",
            "version": v.version,
            "deleted": v.deleted_at is not None,
        }
        for v in used
    ]
    return jsonify(items=items, next=None)
