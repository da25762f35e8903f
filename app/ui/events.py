"""Event-type pages: the card, schema, analysis, samples and versions; diffs; validation."""

from __future__ import annotations

import json

from flask import Blueprint, request, url_for

from app.core.bindings import Language
from app.core.errors import InvalidInput, NotFound
from app.core.vocabulary import is_digits
from app.services import (
    catalog,
    examples,
    modes,
    pages,
    schema_links,
    schemas,
    subjects,
    validation,
    version_diffs,
    versions,
)
from app.ui import storm, writes_form
from app.ui.common import (
    Pasted,
    check_read_access,
    event_url,
    home_crumb,
    pasted_json,
    render,
    secure,
)
from app.ui.diffview import compare_fields
from app.ui.fields import field_page, is_closed
from app.ui.jsonview import attach_errors, json_lines
from app.web import db_session

bp = Blueprint("ui_events", __name__, url_prefix="/events/<domain>/<name>")
# What one page shows at most of a diff, of the lines of a validated event, and of an event
# type's samples: each page stays under 2 MB however large the schema or the input.
DIFF_FIELDS, DIFF_ROWS, DIFF_DIFFERENCES = 2_000, 500, 300
EVENT_LINES, SAMPLES_SHOWN = 2_000, 20
bp.before_request(check_read_access)
bp.after_request(secure)


def _crumbs(event_type, *tail):
    owner = event_type.domain
    return [
        home_crumb(),
        (owner.name, url_for("ui_catalog.domain", slug=owner.slug)),
        (event_type.name, event_url(event_type) if tail else None),
        *tail,
    ]


@bp.get("")
def event(domain: str, name: str):
    """Everything about an event type, on one page."""
    return event_view(domain, name)


def event_view(domain: str, name: str, status: int = 200, consumer_form: dict | None = None):
    """The event page; ``consumer_form`` refills the consumer form that was refused (its
    values and the problem, app.ui.writes), answered with ``status``."""
    session = db_session()
    page = pages.event_page(session, domain, name)
    event_type = page.event_type
    return render(
        "event.html",
        f"{domain}.{name}",
        _crumbs(event_type),
        status=status,
        consumer_form=consumer_form or writes_form.consumer_defaults(page),
        page=page,
        event_type=event_type,
        cards=_cards(page),
        fields=field_page(page.document, _page_number()) if page.document else None,
        closed=is_closed(page.document) if page.document else None,
        samples_shown=SAMPLES_SHOWN,
        # What the Confluent door shows of it: its subjects and mode, and references.
        subjects=subjects.subject_names(session, [event_type])[event_type.id],
        mode=modes.event_mode(session, event_type),
        links=schema_links.version_links(session, page.versions),
    )


def _page_number() -> int:
    """The field table's page, from ?fields=N (1 when absent or not a number)."""
    text = request.args.get("fields", "1")
    return int(text) if is_digits(text) and 0 < len(text) < 7 else 1


@bp.get("/versions/<int:number>")
def version(domain: str, name: str, number: int):
    """One version's schema, as a field table and as raw JSON (a soft-deleted one too: the
    event page and references link to it), with the versions it uses and that use it."""
    session = db_session()
    chosen = versions.get_version(session, domain, name, number, deleted=True)
    document = schemas.of_version(chosen)
    event_type = chosen.event_type
    return render(
        "version.html",
        f"{domain}.{name} version {number}",
        _crumbs(event_type, (f"Version {number}", None)),
        event_type=event_type,
        version=chosen,
        schema=document.raw,
        fields=field_page(document, _page_number()),
        closed=is_closed(document),
        live=pages.live_versions(session, event_type),
        links=schema_links.version_links(session, [chosen])[chosen.id],
        example=None if chosen.deleted_at else _example(session, domain, name, number),
        languages=list(Language),
    )


def _example(session, domain: str, name: str, number: int) -> dict:
    """The version's example event (seed 0), or why there is none."""
    try:
        made = examples.example(session, domain, name, number)
    except InvalidInput as refusal:  # NoExample, LimitExceeded: the page says why
        return {"event": None, "reason": refusal.detail}
    return {"event": made.event, "reason": None}


@bp.get("/diff")
def diff(domain: str, name: str):
    """Two versions side by side, every difference with its verdict per level."""
    session = db_session()
    event_type = versions.get_version(session, domain, name, "latest").event_type
    live = pages.live_versions(session, event_type)
    old = request.args.get("from") or str(live[-2].version if len(live) > 1 else live[0].version)
    new = request.args.get("to") or "latest"
    report = version_diffs.diff(session, domain, name, old, new)
    before = versions.get_version(session, domain, name, report["from"])
    after = versions.get_version(session, domain, name, report["to"])
    differences = report["differences"]
    rows, unplaced = compare_fields(
        schemas.of_version(before),
        schemas.of_version(after),
        differences[:DIFF_DIFFERENCES],
        DIFF_FIELDS,
    )
    show_all = request.args.get("all") == "1"
    shown = rows if show_all else [row for row in rows if row.status != "unchanged"]
    report = {**report, "differences": differences[:DIFF_DIFFERENCES]}
    return render(
        "diff.html",
        f"{domain}.{name}: version {report['from']} → {report['to']}",
        _crumbs(event_type, (f"Compare {report['from']} → {report['to']}", None)),
        event_type=event_type,
        live=live,
        report=report,
        rows=shown[:DIFF_ROWS],
        rows_cut=max(len(shown) - DIFF_ROWS, 0),
        differences_cut=max(len(differences) - DIFF_DIFFERENCES, 0),
        field_count=len(rows),
        fields_cut=len(rows) >= DIFF_FIELDS,
        show_all=show_all,
        unplaced=unplaced,
        before=before,
        after=after,
    )


@bp.route("/validate", methods=["GET", "POST"])
def validate(domain: str, name: str):
    """Paste an event, pick a version, see every error pointing into the event."""
    session = db_session()
    event_type = catalog.get_event_type(session, domain, name)
    live = pages.live_versions(session, event_type)
    chosen = request.form.get("version") or request.args.get("version") or "latest"
    text = request.form.get("event", "") if request.method == "POST" else _sample_text(event_type)
    context = {"text": text, "chosen": chosen, "result": None, "problem": None, "lines": []}
    status = 200
    if request.method == "POST":
        status = _check(session, domain, name, context)
    return render(
        "validate.html",
        f"Validate {domain}.{name}",
        _crumbs(event_type, ("Validate", None)),
        status=status,
        event_type=event_type,
        live=live,
        **context,
    )


def _sample_text(event_type) -> str:
    wanted = request.args.get("sample")
    for sample in event_type.samples:
        if sample.name == wanted:
            return json.dumps(sample.payload, indent=2, ensure_ascii=False)
    return ""


def _check(session, domain: str, name: str, context: dict) -> int:
    """Parse and validate the pasted event into the context; return the HTTP status."""
    try:
        payload = pasted_json(context["text"], "max_event_depth", "a JSON event to validate")
    except Pasted as refusal:
        context["problem"] = refusal.problem
        return refusal.status
    try:
        done = validation.validate_events(session, domain, name, [payload], context["chosen"])
    except (InvalidInput, NotFound) as error:
        context["problem"] = error.detail
        return 422 if isinstance(error, InvalidInput) else 404
    lines = json_lines(payload)
    context["placed"] = attach_errors(lines, done.results[0].errors)
    context["lines"] = lines[:EVENT_LINES]
    context["lines_cut"] = max(len(lines) - EVENT_LINES, 0)
    context["result"] = done.results[0]
    context["version"] = done.version
    return 200


def _cards(page: pages.EventPage) -> list[storm.Card]:
    """The event-storming card, laid out wide and narrow (CSS shows the one that fits)."""
    event_type = page.event_type
    bus = event_type.bus
    version = f"event · v{page.latest.version}" if page.latest else "event"
    chain = [
        _sticky("command", "command", event_type.command, "no command recorded"),
        _sticky("aggregate", "aggregate", event_type.aggregate, "no aggregate recorded"),
        storm.Sticky("event", version, event_type.name, href="#schema"),
        storm.Sticky(
            "bus",
            f"bus · {bus.router}" if bus else "bus",
            bus.slug if bus else "no bus",
            href=url_for("ui_catalog.bus", slug=bus.slug) if bus else None,
            missing=bus is None,
        ),
    ]
    consumers = storm.consumer_stickies(
        [
            storm.Sticky(
                "consumer",
                "calls back" if r.calls_back else "consumer",
                r.consumer.name,
                href=f"#consumer-{r.consumer.id}",
            )
            for r in page.receivers
            if r.reception.receives
        ]
    )
    return [storm.horizontal(chain, consumers), storm.vertical(chain, consumers)]


def _sticky(kind: str, caption: str, text: str, absent: str) -> storm.Sticky:
    return storm.Sticky(kind, caption, text or absent, missing=not text)
