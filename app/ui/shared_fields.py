"""Shared fields: the field names of the catalogue's latest versions, and one name's events,
types and conflicts (the same service as GET /api/v1/fields)."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from app.core.pointers import split_pointer
from app.services import field_index
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

bp = Blueprint("ui_fields", __name__)
bp.before_request(check_read_access)
bp.after_request(secure)


@bp.get("/fields")
def fields():
    """Field names by name, with how many events carry them and their types; filters: name
    (prefix), conflicts (only names with a type or format conflict)."""
    filters = {
        "name": request.args.get("name", "").strip(),
        "conflicts": "true" if request.args.get("conflicts") == "true" else "",
    }
    found = field_index.list_fields(
        db_session(), cursor(), PAGE_SIZE, filters["name"] or None, bool(filters["conflicts"])
    )
    return render(
        "fields.html",
        "Shared fields",
        [home_crumb(), ("Shared fields", None)],
        rows=found.items,
        more=next_link(found.after),
        first=first_link(),
        filters=filters,
    )


@bp.get("/fields/<path:name>")
def field(name: str):
    """One field name: the events whose latest version carries it, with pointer, type,
    format and description, a page at a time; its conflicts first."""
    found = field_index.field_detail(db_session(), name, cursor(), PAGE_SIZE)
    detail = found.body
    crumbs = [home_crumb(), ("Shared fields", url_for("ui_fields.fields")), (name, None)]
    conflicting = {(use["event"], use["pointer"]) for c in detail["conflicts"] for use in c["uses"]}
    return render(
        "field.html",
        f"Field {name}",
        crumbs,
        field=detail,
        conflicting=conflicting,
        more=next_link(found.after),
        first=first_link(),
    )


def field_name(pointer: str) -> str:
    """The field name a JSON pointer ends in (its last segment that is no array index), for
    links from search hits and lint findings to the field's page."""
    try:
        segments = split_pointer(pointer)
    except ValueError:
        return ""
    named = [segment for segment in segments if not segment.isdigit()]
    return named[-1] if named else ""
