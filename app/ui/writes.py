"""What a signed-in team member writes from an event's page: their service as a consumer of
the event, and a proposed schema version previewed before it is saved (docs/ui.md, "Writing
from the catalogue"). The same services as the API, with the same ownership checks and
messages; every form carries the session's CSRF token (app.ui.visits)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, url_for

from app.core.errors import Conflict, DomainError, Forbidden, InvalidInput, Unauthorized
from app.services import catalog, pages, versions
from app.services.compatibility import what_if
from app.ui import visits, writes_form
from app.ui.common import (
    Pasted,
    check_form,
    check_read_access,
    event_url,
    home_crumb,
    pasted_json,
    pretty,
    render,
    secure,
)
from app.ui.events import event_view
from app.web import db_session, status_of, writer

# What the forms call the members of the API's request bodies, for refusals in their words.
CONSUMER_FIELDS = {
    "name": "Your service's name",
    "team": "The team",
    "pattern": "The rule",
    "fields": "The fields it reads",
    "description": "The description",
}
VERSION_FIELDS = {
    "schema": 'The schema must be a JSON object (a JSON Schema such as {"type": "object"})',
    "note": "The note",
}

bp = Blueprint("ui_writes", __name__, url_prefix="/events/<domain>/<name>")
bp.before_request(check_read_access)
bp.after_request(secure)


@bp.post("/consumers")
def register_consumer(domain: str, name: str):
    """Register the signed-in team's service as a consumer of the event, reading the ticked
    fields: 303 to its row on the event page; a refusal refills the form with the API's
    message and status (401, 403, 409, 422), and nothing is stored."""
    visits.check_csrf()
    actor = writer()
    sent = writes_form.sent_consumer_form()
    event_type = catalog.get_event_type(db_session(), domain, name)
    bus = event_type.bus.slug if event_type.bus else ""
    try:
        fields = writes_form.consumer_fields(sent, f"{domain}.{name}")
        check_form("consumer-create", {"name": sent["name"], "bus": bus, **fields}, CONSUMER_FIELDS)
        consumer = catalog.create_consumer(db_session(), actor, sent["name"], bus, **fields)
    except Pasted as refusal:
        return event_view(domain, name, refusal.status, {**sent, "problem": refusal.problem})
    except DomainError as refusal:
        if isinstance(refusal, Unauthorized):
            raise
        problem = {"problem": refusal.detail, "errors": refusal.errors}
        return event_view(domain, name, status_of(refusal), {**sent, **problem})
    return redirect(f"{event_url(event_type)}#consumer-{consumer.id}", code=303)


@bp.route("/propose", methods=["GET", "POST"])
def propose(domain: str, name: str):
    """Paste a schema, preview its compatibility and consumer impact (registers nothing),
    then save it as the next version (303 to the version's page). A refusal shows the API's
    message (a body of the wrong shape: in the form's words, 422), and for an incompatible
    schema every difference, on the form."""
    session = db_session()
    page = pages.event_page(session, domain, name)
    context: dict[str, Any] = {
        "text": "",
        "note": "",
        "verdict": None,
        "problem": None,
        "errors": [],
        "saved": None,
    }
    status = 200
    if request.method == "GET":
        context["text"] = _latest_text(page)
    else:
        visits.check_csrf()
        context["text"] = request.form.get("schema", "")
        context["note"] = request.form.get("note", "")
        status, saved = _preview_or_save(domain, name, context)
        if saved is not None:
            return redirect(
                url_for("ui_events.version", domain=domain, name=name, number=saved), code=303
            )
    event_type = page.event_type
    return render(
        "propose.html",
        f"Propose a version of {domain}.{name}",
        [home_crumb(), (f"{domain}.{name}", event_url(event_type)), ("Propose a version", None)],
        status=status,
        event_type=event_type,
        page=page,
        **context,
    )


def _latest_text(page: pages.EventPage) -> str:
    """The latest version's schema, as a start to edit from."""
    return pretty(page.document.raw) if page.document is not None else ""


def _preview_or_save(domain: str, name: str, context: dict[str, Any]) -> tuple[int, int | None]:
    """Fill the context with the preview, or save; return the status and the saved version's
    number (None when nothing was saved)."""
    action = request.form.get("action", "preview")
    try:
        schema = pasted_json(context["text"], "max_schema_depth", "a JSON Schema")
        body = {"schema": schema, **({"note": context["note"]} if context["note"] else {})}
        check_form("version-register", body, VERSION_FIELDS)
        if action == "save":
            done = versions.register_version(
                db_session(), writer(), domain, name, schema, context["note"]
            )
            return 303, done.version.version
        context["verdict"] = what_if(db_session(), domain, name, schema).to_dict()
        return 200, None
    except Pasted as refusal:
        context["problem"] = refusal.problem
        return refusal.status, None
    except (Conflict, Forbidden, InvalidInput) as refusal:
        context["problem"], context["errors"] = refusal.detail, refusal.errors
        context["verdict"] = refusal.extensions.get("compatibility")
        return status_of(refusal), None
