"""Shared fields: every field name of the catalogue's latest versions, and its type conflicts."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.rendering import next_link, page
from app.api.requests import documented, flag, page_args
from app.services import field_index
from app.web import db_session, require_read_access

bp = Blueprint("fields", __name__, url_prefix="/api/v1")


@bp.get("/fields")
@documented(
    "List the field names of the latest versions, with how many event types carry each, the "
    "JSON types seen and the conflict kinds (filters: name prefix, conflicts)",
    paginated=True,
    tag="fields",
    query={"name": ({}, "Only field names starting with this (case-sensitive).")},
    flags={"conflicts": "true: only field names with a type or format conflict."},
    answer="FieldSummary",
)
def list_fields() -> Response:
    require_read_access()
    limit, after = page_args()
    found = field_index.list_fields(
        db_session(), after, limit, request.args.get("name"), bool(flag("conflicts"))
    )
    return page(found, lambda item: item)


@bp.get("/fields/<path:field>")
@documented(
    "A field name: how many event types' latest versions carry it, its JSON types and "
    "conflicts, and a page of the event types carrying it (by address): each one's latest "
    "version's use (pointer, type, format, description) and every live version carrying it",
    paged=True,
    tag="fields",
    answer="Field",
)
def get_field(field: str) -> Response:
    require_read_access()
    limit, after = page_args()
    found = field_index.field_detail(db_session(), field, after, limit)
    return jsonify({**found.body, "next": next_link(found.after)})
