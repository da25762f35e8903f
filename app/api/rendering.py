"""JSON shapes of the API's answers, built from the services' views.

The rendering functions take the objects the services return (event types, domains, versions)
and read only their public attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from flask import Response, current_app, jsonify, request, url_for

from app.core.paging import Page
from app.services import schemas, subjects
from app.services.views import contract_view, domain_view, event_type_view, version_view
from app.web import db_session, encode_cursor


def created(body: Any, location: str) -> Response:
    """A 201 answer with a Location header."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def json_answer(body: dict[str, Any]) -> Response:
    """``jsonify(body)``, byte for byte, written by orjson (Rust) where it writes the same bytes:
    for a body of text, integers up to 64 bits, booleans, null, lists and objects with text
    keys, in the compact form (not in debug mode), whose writing is ASCII without DEL (jsonify
    escapes every other character as \\uXXXX, and DEL, which orjson leaves as it is; the
    escapes of control characters agree). Any other body goes through jsonify. A batch's
    answer of 1,000 results is written in a fraction of jsonify's time
    (tests/functional/api/test_validation_answers.py compares the bytes)."""
    provider = current_app.json
    indented = provider.compact is False or (provider.compact is None and current_app.debug)
    if not indented and not getattr(provider, "sort_keys", True) and provider.ensure_ascii:
        try:
            written = orjson.dumps(body)
        except TypeError:  # an integer beyond 64 bits, a key that is not text, ...
            return jsonify(body)
        if written.isascii() and b"\x7f" not in written:
            return current_app.response_class(written + b"\n", mimetype=provider.mimetype)
    return jsonify(body)


def page(result: Page, render: Callable[[Any], Any]) -> Response:
    """A list answer: ``{"items": [render(item)...], "next": link or null}``."""
    return jsonify(items=[render(item) for item in result.items], next=next_link(result.after))


def next_link(after: list[Any] | None) -> str | None:
    """The link to the page after ``after`` of this request's list (its query string kept,
    the cursor replaced), or None on the last page."""
    if after is None:
        return None
    args = {**request.view_args, **request.args.to_dict(), "cursor": encode_cursor(after)}
    return url_for(request.endpoint, **args)


def event_address(event_type: Any) -> str:
    """The URL path of an event type."""
    return f"/api/v1/events/{event_type.domain.slug}/{event_type.name}"


def event_json(event_type: Any, names: list[str] | None = None) -> dict[str, Any]:
    """An event type as the API shows it; ``names`` are its Confluent subject names (looked up
    when not given: a list answer looks them up for its whole page at once)."""
    if names is None:
        names = subject_names([event_type])[event_type.id]
    return {
        **event_type_view(event_type),
        # The Confluent subjects it answers to, and its own mode and compatibility group (None:
        # the registry's).
        "subjects": names,
        "mode": event_type.mode,
        "compatibility_group": event_type.compatibility_group,
        # The highest version number given, purged ones included: an export keeps it.
        "last_version": event_type.last_version,
        "created_at": event_type.created_at.isoformat(),
        "updated_at": event_type.updated_at.isoformat(),
        "links": {"self": event_address(event_type)},
    }


def subject_names(event_types: list[Any]) -> dict[int, list[str]]:
    """The Confluent subject names of each event type, by id (one look-up for all)."""
    return subjects.subject_names(db_session(), event_types)


def domain_json(domain: Any) -> dict[str, Any]:
    """A domain as the API shows it."""
    return {**domain_view(domain), "links": {"self": f"/api/v1/domains/{domain.slug}"}}


def version_json(version: Any, with_schema: bool = True) -> dict[str, Any]:
    """A schema version, with its schema document unless asked not to, its content's GUID and
    references, and a data contract's metadata and rule set when it has them."""
    body = {
        **version_view(version),
        "event": f"{version.event_type.domain.slug}.{version.event_type.name}",
        "fingerprint": version.schema.fingerprint,
        "dialect": version.schema.dialect,
        **contract_view(version.schema),
        "created_at": version.created_at.isoformat(),
        "deleted_at": version.deleted_at.isoformat() if version.deleted_at else None,
    }
    if with_schema:
        body["schema"] = schemas.of_version(version).raw
    return body


def schema_json(stored: Any) -> dict[str, Any]:
    """A stored content by its global id, with everything it carries besides its text."""
    return {
        "id": stored.id,
        "fingerprint": stored.fingerprint,
        "dialect": stored.dialect,
        **contract_view(stored),
        "schema": schemas.of_schema(stored).raw,
    }


def referrer_json(version: Any) -> dict[str, Any]:
    """A version that references another, as ``referenced-by`` lists it."""
    return {
        "event": f"{version.event_type.domain.slug}.{version.event_type.name}",
        "version": version.version,
        "schema_id": version.schema_id,
        "deleted": version.deleted_at is not None,
        "links": {"self": f"{event_address(version.event_type)}/versions/{version.version}"},
    }
