"""JSON shapes of the API's answers, built from the services' views.

The rendering functions take the objects the services return (event types, domains, versions)
and read only their public attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request, url_for

from app.core.paging import Page
from app.services import schemas
from app.services.views import domain_view, event_type_view, version_view
from app.web import encode_cursor


def created(body: Any, location: str) -> Response:
    """A 201 answer with a Location header."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def page(result: Page, render: Callable[[Any], Any]) -> Response:
    """A list answer: ``{"items": [render(item)...], "next": link or null}``."""
    next_link = None
    if result.after is not None:
        args = {
            **request.view_args,
            **request.args.to_dict(),
            "cursor": encode_cursor(result.after),
        }
        next_link = url_for(request.endpoint, **args)
    return jsonify(items=[render(item) for item in result.items], next=next_link)


def event_address(event_type: Any) -> str:
    """The URL path of an event type."""
    return f"/api/v1/events/{event_type.domain.slug}/{event_type.name}"


def event_json(event_type: Any) -> dict[str, Any]:
    """An event type as the API shows it."""
    return {
        **event_type_view(event_type),
        # The highest version number given, purged ones included: an export keeps it.
        "last_version": event_type.last_version,
        "created_at": event_type.created_at.isoformat(),
        "updated_at": event_type.updated_at.isoformat(),
        "links": {"self": event_address(event_type)},
    }


def domain_json(domain: Any) -> dict[str, Any]:
    """A domain as the API shows it."""
    return {**domain_view(domain), "links": {"self": f"/api/v1/domains/{domain.slug}"}}


def version_json(version: Any, with_schema: bool = True) -> dict[str, Any]:
    """A schema version, with its schema document unless asked not to."""
    body = {
        **version_view(version),
        "event": f"{version.event_type.domain.slug}.{version.event_type.name}",
        "fingerprint": version.schema.fingerprint,
        "dialect": version.schema.dialect,
        "created_at": version.created_at.isoformat(),
        "deleted_at": version.deleted_at.isoformat() if version.deleted_at else None,
    }
    if with_schema:
        body["schema"] = schemas.of_version(version).raw
    return body
