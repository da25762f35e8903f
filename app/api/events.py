"""Event types, their compatibility settings, validation and samples."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
from flask import Blueprint, Response, jsonify, request, stream_with_context
from werkzeug.exceptions import BadRequest, NotAcceptable

from app.api.rendering import (
    created,
    event_address,
    event_json,
    json_answer,
    page,
    subject_names,
)
from app.api.requests import documented, flag, json_body, ndjson_lines, page_args
from app.core.contract import checked_contract
from app.core.ndjson import MEDIA_TYPE as NDJSON
from app.core.vocabulary import whole_number
from app.services import catalog, changes, event_config, lifecycle, listing, samples, validation
from app.services.compatibility import effective_config, what_if
from app.web import db_session, require_read_access, writer

bp = Blueprint("events", __name__, url_prefix="/api/v1/events")


@bp.post("")
@documented(
    "Create an event type",
    body="event-create",
    status=201,
    auth=True,
    tag="events",
    answer="EventType",
)
def create_event() -> Response:
    body = json_body("event-create")
    domain, name = body.pop("domain"), body.pop("name")
    event_type = catalog.create_event_type(db_session(), writer(), domain, name, **body)
    return created(event_json(event_type), event_address(event_type))


@bp.get("")
@documented(
    "List event types (filters: domain, bus, producer, deprecated)",
    paginated=True,
    tag="events",
    flags={"deprecated": "true: only deprecated event types; false: only the others."},
    query={
        "domain": ({}, "Only the event types of this domain."),
        "bus": ({}, "Only the event types on this bus."),
        "producer": ({}, "Only the event types of this producer."),
    },
    answer="EventType",
)
def list_events() -> Response:
    require_read_access()
    limit, after = page_args()
    filters = {key: request.args.get(key) for key in ("domain", "bus", "producer")}
    result = listing.list_event_types(
        db_session(), after, limit, deprecated=flag("deprecated"), **filters
    )
    names = subject_names(result.items)
    return page(result, lambda event_type: event_json(event_type, names[event_type.id]))


@bp.get("/<domain>/<name>")
@documented("Get an event type", tag="events", answer="EventType")
def get_event(domain: str, name: str) -> Response:
    require_read_access()
    return jsonify(event_json(catalog.get_event_type(db_session(), domain, name)))


@bp.patch("/<domain>/<name>")
@documented(
    "Change an event type", body="event-update", auth=True, tag="events", answer="EventType"
)
def update_event(domain: str, name: str) -> Response:
    body = json_body("event-update")
    return jsonify(
        event_json(changes.update_event_type(db_session(), writer(), domain, name, body))
    )


@bp.put("/<domain>/<name>/lifecycle")
@documented(
    "Move an event type through its lifecycle: draft, active, deprecated (since, reason, "
    "successor), retired (takes no new versions); its domain's owner, audited",
    body="lifecycle",
    auth=True,
    tag="events",
    answer="EventType",
)
def put_lifecycle(domain: str, name: str) -> Response:
    body = json_body("lifecycle")
    wanted = lifecycle.stage_from(body)
    event_type = lifecycle.set_lifecycle(db_session(), writer(), domain, name, wanted)
    return jsonify(event_json(event_type))


@bp.delete("/<domain>/<name>")
@documented(
    "Delete an event type with its versions and samples (409 while consumers declare it, "
    "naming them)",
    status=204,
    auth=True,
    tag="events",
    flags={
        "force": "true (admin): delete it anyway; its consumers stay on their bus, declaring "
        "no event type; audited."
    },
)
def delete_event(domain: str, name: str) -> Response:
    changes.delete_event_type(db_session(), writer(), domain, name, force=bool(flag("force")))
    return Response(status=204)


@bp.get("/<domain>/<name>/config")
@documented(
    "Get the compatibility settings that apply to an event type",
    tag="compatibility",
    answer="EventConfig",
)
def get_config(domain: str, name: str) -> Response:
    require_read_access()
    session = db_session()
    event_type = catalog.get_event_type(session, domain, name)
    return jsonify(_config_json(session, event_type))


@bp.put("/<domain>/<name>/config")
@documented(
    "Override the compatibility level and/or policy of an event type",
    body="config",
    auth=True,
    tag="compatibility",
    answer="EventConfig",
)
def put_config(domain: str, name: str) -> Response:
    body = json_body("config")
    session = db_session()
    event_type = event_config.set_event_config(
        session, writer(), domain, name, body.get("compatibility"), body.get("policy")
    )
    return jsonify(_config_json(session, event_type))


@bp.delete("/<domain>/<name>/config")
@documented(
    "Inherit the registry-wide compatibility settings again",
    auth=True,
    tag="compatibility",
    answer="EventConfig",
)
def delete_config(domain: str, name: str) -> Response:
    session = db_session()
    event_type = event_config.clear_event_config(session, writer(), domain, name)
    return jsonify(_config_json(session, event_type))


@bp.post("/<domain>/<name>/compatibility")
@documented(
    "Would this schema be accepted as the next version? (registers nothing; impact: the "
    "consumers whose declared fields each difference touches)",
    body="compatibility-test",
    tag="compatibility",
    answer="Verdict",
)
def test_compatibility(domain: str, name: str) -> Response:
    require_read_access()
    body = json_body("compatibility-test")
    contract = checked_contract(body.get("references"), None, None)
    verdict = what_if(
        db_session(), domain, name, body["schema"], body.get("level"), body.get("policy"), contract
    )
    return jsonify(verdict.to_dict())


@bp.post("/<domain>/<name>/validate")
@documented(
    "Validate one event or up to 10,000 against a version (default latest); or a stream of up "
    "to 1,000,000 events as NDJSON",
    body="validate",
    tag="validation",
    answer="Validation",
    ndjson=(
        "With Content-Type application/x-ndjson: one event a line, answered as a stream, one "
        'line per event: {"line", "valid", "errors"[, "errors_cut"]}, or {"line", "problem"} '
        "for a line that cannot be validated (docs/api.md, Validating a stream)."
    ),
    query={
        "version": (
            {"pattern": "^(latest|[1-9][0-9]{0,9})$"},
            "NDJSON only: the version to validate against (default latest).",
        )
    },
)
def validate(domain: str, name: str) -> Response:
    require_read_access()
    if request.mimetype == NDJSON:
        return _validate_stream(domain, name)
    body = json_body("validate")
    events = body["events"] if "events" in body else [body["event"]]
    done = validation.validate_events(
        db_session(), domain, name, events, body.get("version", "latest")
    )
    version, dialect, results = done.version, done.dialect, done.results
    rendered = [result.to_dict() for result in results]
    if "event" in body:
        return json_answer({"version": version, "dialect": dialect, **rendered[0]})
    valid = sum(result.valid for result in results)
    return json_answer(
        {
            "version": version,
            "dialect": dialect,
            "valid": valid,
            "invalid": len(results) - valid,
            "results": rendered,
        }
    )


def _validate_stream(domain: str, name: str) -> Response:
    accepted = request.accept_mimetypes  # empty (falsy) without an Accept header: any will do
    if accepted and accepted.best_match([NDJSON]) is None:
        raise NotAcceptable(f"an NDJSON stream is answered as {NDJSON}: accept it (or */*)")
    version = request.args.get("version", "latest")
    if version != "latest":
        version = whole_number(version)
        if version is None:
            raise BadRequest("version must be latest or a version number from 1")
    # The service stops after EVENTRY_MAX_EVENTS_PER_STREAM lines (blank ones too), which
    # bounds the stream's bytes: the body limit is for one line.
    stream = validation.validate_stream(db_session(), domain, name, ndjson_lines(), version)
    headers = {"Eventry-Version": str(stream.version), "Eventry-Dialect": stream.dialect}
    return Response(stream_with_context(_chunks(stream.lines)), headers=headers, mimetype=NDJSON)


def _chunks(answers) -> Iterator[bytes]:
    # One write per 64 KiB of answers, not one per line: a million lines, a few hundred writes.
    held: list[bytes] = []
    size = 0
    for answer in answers:
        # orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":")) writes for
        # these answers (ints, booleans, text) in a fraction of the time (the test checks).
        line = orjson.dumps(answer) + b"\n"
        held.append(line)
        size += len(line)
        if size >= 64 * 1024:
            yield b"".join(held)
            held, size = [], 0
    if held:
        yield b"".join(held)


@bp.post("/<domain>/<name>/samples")
@documented(
    "Store a sample event",
    body="sample-create",
    status=201,
    auth=True,
    tag="samples",
    answer="Sample",
)
def create_sample(domain: str, name: str) -> Response:
    body = json_body("sample-create")
    sample = samples.add_sample(db_session(), writer(), domain, name, body["name"], body["payload"])
    results = validation.sample_results(db_session(), domain, name).items
    result = next(r for r in results if r.sample.id == sample.id)
    return created(result.to_dict(), f"/api/v1/events/{domain}/{name}/samples/{sample.id}")


@bp.get("/<domain>/<name>/samples")
@documented(
    "List samples, each validated against the latest version",
    paginated=True,
    tag="samples",
    answer="Sample",
)
def list_samples(domain: str, name: str) -> Response:
    require_read_access()
    limit, after = page_args()
    result = validation.sample_results(db_session(), domain, name, after, limit)
    return page(result, lambda sample: sample.to_dict())


@bp.delete("/<domain>/<name>/samples/<int:sample_id>")
@documented("Delete a sample", status=204, auth=True, tag="samples")
def delete_sample(domain: str, name: str, sample_id: int) -> Response:
    samples.delete_sample(db_session(), writer(), domain, name, sample_id)
    return Response(status=204)


def _config_json(session, event_type) -> dict:
    level, policy = effective_config(session, event_type)
    return {
        "compatibility": level,
        "policy": policy,
        "overrides": {"compatibility": event_type.compatibility, "policy": event_type.policy},
    }
