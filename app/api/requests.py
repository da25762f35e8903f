"""Request parsing shared by the API endpoints: JSON bodies, auth, pagination, openapi metadata."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from app.config import SCHEMAS
from app.core.access import Actor
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.validation import validate_event
from app.services import tokens
from app.services.errors import InvalidInput, Unauthorized
from app.web import db_session, runtime

BODY_SCHEMAS = SCHEMAS / "api"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
View = TypeVar("View", bound=Callable[..., Any])


@cache
def body_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of a request body, from schemas/api/NAME.json."""
    return json.loads((BODY_SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def json_body(schema_name: str) -> dict[str, Any]:
    """Parse the request's JSON body and check it against its schema (415, 400 or 422)."""
    if not request.is_json:
        raise UnsupportedMediaType(
            f"send the body as JSON with 'Content-Type: application/json' "
            f"(got {request.mimetype or 'no content type'!r})"
        )
    try:
        body = parse_json(request.get_data(cache=True) or b"")
    except (json.JSONDecodeError, CanonicalJSONError, UnicodeDecodeError) as error:
        raise BadRequest(f"the body is not valid JSON: {error}") from None
    errors = validate_event(body_schema(schema_name), body)
    if errors:
        raise InvalidInput(
            f"the request body does not match the {schema_name} schema ({len(errors)} error(s))",
            [{"pointer": e.path, "message": e.message} for e in errors],
        )
    return body


def current_actor() -> Actor | None:
    """Return the actor behind the request's bearer token, None without one; 401 if it is bad."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    settings = runtime().settings
    token = tokens.authenticate(db_session(), secret.strip(), settings.admin_token)
    if token is None:
        raise Unauthorized("the token is unknown, revoked or expired")
    tokens.touch(db_session(), token)
    team = token.team.slug if token.team is not None else None
    return Actor(name=token.name, team=team, admin=token.is_admin, scopes=tuple(token.scopes))


def writer() -> Actor:
    """Return the authenticated actor of a write request, or raise 401."""
    actor = current_actor()
    if actor is None:
        raise Unauthorized("writes need 'Authorization: Bearer <token>'")
    return actor


def require_read_access() -> None:
    """With EVENTRY_READ_AUTH=token, reads need a valid token too."""
    if runtime().settings.read_auth == "token":
        writer()


def page_args() -> tuple[int, Any]:
    """Return (limit, decoded cursor) from the query string, or raise 400."""
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT} (got {raw_limit!r})")
    cursor = request.args.get("cursor")
    return int(raw_limit), decode_cursor(cursor) if cursor else None


def encode_cursor(after: Any) -> str:
    """Return an opaque cursor for a position in a list."""
    return base64.urlsafe_b64encode(json.dumps(after).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """Decode a cursor made by encode_cursor, or raise 400."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError):
        raise BadRequest(
            "the cursor is not one this API handed out; start again without it"
        ) from None


def flag(name: str) -> bool | None:
    """Read a true/false query parameter; None when absent, 400 when neither."""
    value = request.args.get(name)
    if value is None:
        return None
    if value.lower() in {"true", "1"}:
        return True
    if value.lower() in {"false", "0"}:
        return False
    raise BadRequest(f"{name} must be true or false (got {value!r})")


def documented(
    summary: str, body: str | None = None, status: int = 200, auth: bool = False, **extra: Any
) -> Callable[[View], View]:
    """Attach what the OpenAPI document says about an endpoint to its view function."""

    def attach(view: View) -> View:
        view.openapi = {"summary": summary, "body": body, "status": status, "auth": auth, **extra}  # type: ignore[attr-defined]
        return view

    return attach
