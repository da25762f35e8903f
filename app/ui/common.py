"""What the UI's views share: rendering with a title and breadcrumbs, read access, paging links."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from flask import Response, g, render_template, request, url_for
from markupsafe import Markup, escape

from app.core import limits
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.errors import InvalidInput
from app.services import request_bodies
from app.ui import visits
from app.web import decode_cursor, encode_cursor, require_read_access

Crumbs = list[tuple[str, str | None]]
PAGE_SIZE = 25
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def render(template: str, title: str, crumbs: Crumbs, status: int = 200, **context: Any):
    """Render a page of the UI with its title and breadcrumbs (the last one is the page itself)."""
    body = render_template(f"ui/{template}", title=title, crumbs=crumbs, **context)
    return Response(body, status=status, mimetype="text/html")


class Pasted(Exception):
    """Pasted text that is not usable JSON: what to tell the person, and the page's status."""

    def __init__(self, problem: str, status: int) -> None:
        super().__init__(problem)
        self.problem, self.status = problem, status


def check_form(body: str, sent: dict[str, Any], fields: dict[str, str]) -> None:
    """Check a form's values against the API's request-body schema ``body`` (the same rules
    as the API, app.services.request_bodies), and raise Pasted (422) in the form's words: each
    error is led by what ``fields`` calls its member (``{"schema": "The schema must be a JSON
    object"}``), with any deeper place as a pointer inside it, never the body schema's name."""
    try:
        request_bodies.check_body(body, sent)
    except InvalidInput as refusal:
        said = []
        for error in refusal.errors:
            member, _, inside = str(error.get("pointer", "")).lstrip("/").partition("/")
            lead = fields.get(member, f"The form's {member or 'content'}")
            said.append(f"{lead}{f' (at /{inside})' if inside else ''}: {error['message']}.")
        raise Pasted(" ".join(said), 422) from None


def pasted_json(text: str, carries: str, what: str) -> Any:
    """Parse JSON pasted into a form (an event, a schema) under the request limits that
    ``carries`` names (app.core.canonical.parse_json). Raises Pasted: 400 for empty text or
    text that is not JSON, 422 for JSON beyond the limits."""
    if not text.strip():
        raise Pasted(f"Paste {what}.", 400)
    try:
        return parse_json(text, limits.current(), carries)
    except limits.LimitExceeded as error:
        raise Pasted(error.detail, 422) from None
    except json.JSONDecodeError as error:
        raise Pasted(
            f"That is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            400,
        ) from None
    except (CanonicalJSONError, ValueError) as error:
        raise Pasted(f"That is not valid JSON: {error}", 400) from None


def check_read_access() -> None:
    """Who is reading: a bearer token, else the browser's session (app.ui.visits); with
    EVENTRY_READ_AUTH=token the pages need one of them, as the API's reads need a token."""
    actor = visits.visit().actor
    if actor is not None and not request.headers.get("Authorization"):
        g.eventry_actor = actor  # what app.web.current_actor answers for this request
    require_read_access()


def secure(response: Response) -> Response:
    """Add the UI's security headers (no inline script or style is ever needed)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def cursor() -> Any:
    """The decoded `cursor` query parameter, or None on the first page."""
    raw = request.args.get("cursor")
    return decode_cursor(raw) if raw else None


def next_link(after: Any) -> str | None:
    """The URL of the next page of the current view, or None on the last page."""
    if after is None:
        return None
    # Every value of a repeated filter (?kind=lint&kind=consumer-gap) goes along, not the first.
    args = {
        **(request.view_args or {}),
        **request.args.to_dict(flat=False),
        "cursor": encode_cursor(after),
    }
    return url_for(request.endpoint or "", **args)


def first_link() -> str | None:
    """The URL of the first page of the current view, or None when this is the first page."""
    if "cursor" not in request.args:
        return None
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "cursor"}
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def event_url(event_type: Any, **args: Any) -> str:
    """The page of an event type (one the services returned: its domain and name are read)."""
    return url_for("ui_events.event", domain=event_type.domain.slug, name=event_type.name, **args)


def home_crumb() -> tuple[str, str]:
    """The first breadcrumb of every page."""
    return ("Catalogue", url_for("ui_home.home"))


def version_url(version: Any) -> str:
    """The page of a version (one the services returned: its event type is read)."""
    event_type = version.event_type
    return url_for(
        "ui_events.version",
        domain=event_type.domain.slug,
        name=event_type.name,
        number=version.version,
    )


def pointer(text: str) -> Markup:
    """A JSON pointer (or a dotted path such as a schema path) as ``<code class="ptr">``, with
    a ``<wbr>`` break opportunity before each ``/`` but the first: a long pointer wraps between
    its tokens ("/customer/<wbr>/address"), never inside a name. The empty pointer (the whole
    document, RFC 6901) shows as "/"."""
    # Escaping neither adds nor removes a "/": break before each one of the escaped text (a
    # page of a thousand pointers escaped each token as Markup, 2 ms of its time).
    inner = str(escape(str(text or "/"))).replace("/", "<wbr>/")
    if inner.startswith("<wbr>"):
        inner = inner[len("<wbr>") :]
    return Markup(f'<code class="ptr">{inner}</code>')


# A code span as Markdown writes it (CommonMark: one backtick each side, no backtick inside).
_CODE_SPAN = re.compile(r"`([^`]+)`")


def prose(text: str) -> Markup:
    """Text written for people (a hint, an advice line, a finding) as HTML: escaped, with its
    Markdown code spans (`eventId`) shown as ``<code>`` rather than as literal backticks. The
    same text reads as Markdown in CI annotations and in the API."""
    escaped = escape(str(text or ""))
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", str(escaped)))


def when(moment: datetime | None) -> str:
    """A time as people read it: '2025-03-10 10:31 UTC'."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


# The most characters of one JSON value a page shows: a schema of 85,000 properties or a
# sample of a megabyte is cut there, so every page stays small; the API serves it whole.
PRETTY_CHARS = 200_000


def pretty(value: Any, most: int = PRETTY_CHARS) -> str:
    """JSON with two-space indents, for reading and copying; cut after ``most`` characters
    (with a last line saying so). The text is produced piece by piece and only up to the cut,
    so a huge value costs no more than what is shown."""
    parts, size = [], 0
    for part in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(value):
        parts.append(part)
        size += len(part)
        if size > most:
            shown = "".join(parts)[:most]
            return f"{shown}\n… cut after {most:,} characters: read the whole value from the API"
    return "".join(parts)
