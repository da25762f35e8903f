"""The import mode (admin): history restored as exported, for `eventry import` into an empty
registry. Every route only adds; see app.services.restore."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.api.rendering import created, event_json, version_json
from app.api.requests import documented, json_body
from app.core.contract import checked_contract
from app.services import restore, subject_settings
from app.services.views import consumer_view
from app.web import db_session, writer

bp = Blueprint("imports", __name__, url_prefix="/api/v1/import")
_HISTORY = ("note", "author", "created_at", "deleted_at", "dialect")


@bp.post("/events/<domain>/<name>/versions")
@documented(
    "Restore a version with its number, author, note, times and state, and its content's GUID, "
    "references, metadata and rule set (admin; the number must be above every number the "
    "event type has given; compatibility is not judged again)",
    body="version-import",
    status=201,
    auth=True,
    tag="import",
    answer="Version",
)
def import_version(domain: str, name: str) -> Response:
    body = json_body("version-import")
    history = {key: body[key] for key in _HISTORY if key in body}
    contract = checked_contract(body.get("references"), body.get("metadata"), body.get("ruleSet"))
    version = restore.restore_version(
        db_session(),
        writer(),
        domain,
        name,
        body["version"],
        body["schema"],
        history,
        contract=contract,
        guid=body.get("guid"),
    )
    return created(
        version_json(version), f"/api/v1/events/{domain}/{name}/versions/{version.version}"
    )


@bp.put("/events/<domain>/<name>/last-version")
@documented(
    "Raise an event type's version counter to the last number its exporting registry gave "
    "(admin; never lowered), so purged numbers are not given again",
    body="counter-import",
    auth=True,
    tag="import",
    answer="EventType",
)
def import_counter(domain: str, name: str) -> Response:
    body = json_body("counter-import")
    event_type = restore.restore_counter(db_session(), writer(), domain, name, body["last_version"])
    return jsonify(event_json(event_type))


@bp.put("/events/<domain>/<name>/subjects")
@documented(
    "Bind the Confluent subjects an event type had (admin; before the versions whose "
    "references name them)",
    body="subjects-import",
    auth=True,
    tag="import",
    answer="EventType",
)
def import_subjects(domain: str, name: str) -> Response:
    body = json_body("subjects-import")
    event_type = restore.restore_subjects(db_session(), writer(), domain, name, body["subjects"])
    return jsonify(event_json(event_type))


@bp.put("/events/<domain>/<name>/settings")
@documented(
    "Restore an event type's mode and compatibility group (admin; after its history)",
    body="settings-import",
    auth=True,
    tag="import",
    answer="EventType",
)
def import_event_settings(domain: str, name: str) -> Response:
    body = json_body("settings-import")
    event_type = restore.restore_event_settings(
        db_session(), writer(), domain, name, body.get("mode"), body.get("compatibility_group")
    )
    return jsonify(event_json(event_type))


@bp.put("/settings")
@documented(
    "Restore the registry's mode and compatibility group (admin; last of an import)",
    body="settings-import",
    auth=True,
    tag="import",
    answer="SubjectMode",
)
def import_settings() -> Response:
    body = json_body("settings-import")
    setting = restore.restore_settings(
        # null, as an event type's "follow the registry", is the registry's default here
        db_session(),
        writer(),
        body.get("mode") or "READWRITE",
        body.get("compatibility_group"),
    )
    return jsonify(mode=setting.mode, compatibility_group=setting.compatibility_group)


@bp.put("/subject-settings")
@documented(
    "Restore the settings of Confluent subjects no event type answers to yet (admin)",
    body="subject-settings-import",
    auth=True,
    tag="import",
    answer="Restored",
)
def import_subject_settings() -> Response:
    body = json_body("subject-settings-import")
    count = subject_settings.restore(db_session(), writer(), body["subject_settings"])
    return jsonify(restored=count)


@bp.post("/events/<domain>/<name>/samples")
@documented(
    "Restore a sample with its creation time (admin)",
    body="sample-import",
    status=201,
    auth=True,
    tag="import",
    answer="ImportedSample",
)
def import_sample(domain: str, name: str) -> Response:
    body = json_body("sample-import")
    sample = restore.restore_sample(db_session(), writer(), domain, name, body)
    location = f"/api/v1/events/{domain}/{name}/samples/{sample.id}"
    return created(
        {"id": sample.id, "name": sample.name, "created_at": sample.created_at.isoformat()},
        location,
    )


@bp.post("/consumers")
@documented(
    "Restore a consumer with its creation time (admin)",
    body="consumer-import",
    status=201,
    auth=True,
    tag="import",
    answer="Consumer",
)
def import_consumer() -> Response:
    body = json_body("consumer-import")
    name, bus, created_at = body.pop("name"), body.pop("bus"), body.pop("created_at", None)
    consumer = restore.restore_consumer(db_session(), writer(), name, bus, created_at, **body)
    return created(consumer_view(consumer), f"/api/v1/consumers/{consumer.id}")
