"""Request parsing shared by the API endpoints: JSON bodies, pagination, flags, openapi metadata.

Who is asking (`writer`, `require_read_access`) and list cursors live in app.web (the UI needs
them too).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import current_app, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from app.apidoc import describe
from app.core import limits, ndjson
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.vocabulary import is_digits
from app.services.request_bodies import check_body
from app.web import decode_cursor

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_LINE = 1024 * 1024  # a line's bytes when no body limit is configured
# The depth limit that bounds each body: the events or the schemas it carries (analysis bodies
# carry both, other bodies neither: the larger limit bounds them).
_CARRIES = {
    "validate": "max_event_depth",
    "infer": "max_event_depth",
    "sample-create": "max_event_depth",
    "version-register": "max_schema_depth",
    "compatibility-test": "max_schema_depth",
    "compatibility-compare": "max_schema_depth",
}
View = TypeVar("View", bound=Callable[..., Any])


def json_body(schema_name: str) -> dict[str, Any]:
    """Parse the request's JSON body and check it against its schema (415, 400 or 422)."""
    if not request.is_json:
        raise UnsupportedMediaType(
            f"send the body as JSON with 'Content-Type: application/json' "
            f"(got {request.mimetype or 'no content type'!r})"
        )
    # Measured before it is parsed (depth, integer digits): LimitExceeded answers 422.
    carries = _CARRIES.get(schema_name, "")
    try:
        body = parse_json(request.get_data(cache=True) or b"", limits.current(), carries)
    except (json.JSONDecodeError, CanonicalJSONError, UnicodeDecodeError) as error:
        raise BadRequest(f"the body is not valid JSON: {error}") from None
    check_body(schema_name, body)
    return body


def ndjson_lines() -> Iterator[bytes | ndjson.TooLong]:
    """The lines of an NDJSON request body, read as they come (app.core.ndjson). Each line is
    held to the body limit, which then no longer applies to the whole body: the services that
    read a stream bound its lines instead (max_events_per_stream, max_events_per_discovery)."""
    per_line = current_app.config["MAX_CONTENT_LENGTH"] or MAX_LINE
    request.max_content_length = sys.maxsize
    return ndjson.lines(request.stream.read, per_line)


def page_args() -> tuple[int, Any]:
    """Return (limit, decoded cursor) from the query string, or raise 400."""
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    if not is_digits(raw_limit) or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT} (got {raw_limit!r})")
    cursor = request.args.get("cursor")
    return int(raw_limit), decode_cursor(cursor) if cursor else None


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


ATTRIBUTE = "openapi"  # where the native API's description of a view is attached


def documented(
    summary: str, body: str | None = None, status: int = 200, auth: bool = False, **extra: Any
) -> Callable[[View], View]:
    """Attach what the OpenAPI document says about an endpoint to its view function.

    ``extra`` may name: ``answer`` (the success body, a key of app.api.answers.ANSWERS; a page
    of them with ``paginated=True`` or ``listed=True``), ``media`` (other representations of
    the answer: media type to schema), ``tag``, ``flags``, ``query``, ``paginated`` and
    ``paged`` (takes ``limit`` and ``cursor`` and answers a ``next`` link itself, its answer
    not a list: a field's detail)."""
    meta = {"summary": summary, "body": body, "status": status, "auth": auth, **extra}
    return describe(ATTRIBUTE, meta)
