"""Compatibility levels (``/config``), modes (``/mode``), contexts, the registry's id and
the bus-to-event associations."""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import MethodNotAllowed

from app.confluent import methods, wire
from app.confluent.openapi import array_of, described, ref
from app.core.errors import NotFound
from app.services import lookups, modes, settings, subject_settings, subjects
from app.web import db_session, require_read_access, writer

bp = Blueprint("ccompat_settings", __name__, url_prefix="/ccompat")
bp.register_error_handler(Exception, wire.error_answer)
# What both PUT /mode and PUT /mode/{subject} take and answer, for the OpenAPI document.
SETTING_A_MODE = (
    "Modes (v1)",
    ref("Mode"),
    (40301, 42204, 42205),
    ("force",),
    "ModeUpdateRequest",
    "write",
)


@bp.get("/config")
@described("Get the registry's compatibility level", "Config (v1)", ref("Config"))
def get_config() -> Response:
    require_read_access()
    return wire.answer(_global_config())


@bp.put("/config")
@described(
    "Set the registry's compatibility level and group (admin)",
    "Config (v1)",
    ref("ConfigUpdateResponse"),
    (40301, 42203),
    body="ConfigUpdateRequest",
    auth="write",
)
def put_config() -> Response:
    payload = wire.body()
    level, group = wire.config_of(payload)
    settings.set_defaults(db_session(), writer(), level, group=group)
    return wire.answer(wire.config_echo(level, group))


@bp.delete("/config")
@described(
    "Reset the registry's level and group (admin)",
    "Config (v1)",
    ref("Config"),
    (40301,),
    auth="write",
)
def delete_config() -> Response:
    session, actor = db_session(), writer()
    before = _global_config()
    settings.set_defaults(session, actor, wire.DEFAULT_LEVEL, group="")
    return wire.answer(before)


@bp.get("/config/<subject>")
@described(
    "Get a subject's compatibility level",
    "Config (v1)",
    ref("Config"),
    (40408,),
    ("defaultToGlobal",),
)
def get_subject_config(subject: str) -> Response:
    require_read_access()
    found = subject_settings.config(db_session(), subject, wire.flag("defaultToGlobal"))
    return wire.answer(wire.level_body(found.level, found.group))


@bp.put("/config/<subject>")
@described(
    "Set a subject's compatibility level and group",
    "Config (v1)",
    ref("ConfigUpdateResponse"),
    (40301, 42203),
    body="ConfigUpdateRequest",
    auth="write",
)
def put_subject_config(subject: str) -> Response:
    level, group = wire.config_of(wire.body())
    subject_settings.set_config(db_session(), writer(), subject, level, group)
    return wire.answer(wire.config_echo(level, group))


@bp.delete("/config/<subject>")
@described(
    "Remove a subject's own level and group",
    "Config (v1)",
    ref("Config"),
    (40301, 40401),
    auth="write",
)
def delete_subject_config(subject: str) -> Response:
    before = subject_settings.clear_config(db_session(), writer(), subject)
    return wire.answer(wire.level_body(before.level, before.group))


@bp.get("/mode")
@described("Get the registry's mode", "Modes (v1)", ref("Mode"))
def get_mode() -> Response:
    require_read_access()
    return wire.answer({"mode": modes.registry_mode(db_session()).value})


@bp.put("/mode")
@described("Set the registry's mode (admin)", *SETTING_A_MODE)
def put_mode() -> Response:
    mode = modes.parse_mode(wire.body().get("mode"))
    modes.set_registry_mode(db_session(), writer(), mode, wire.flag("force"))
    return wire.answer({"mode": mode.value})


@bp.delete("/mode")
@described("Reset the registry's mode (admin)", "Modes (v1)", ref("Mode"), (40301,), auth="write")
def delete_mode() -> Response:
    session = db_session()
    before = modes.registry_mode(session)
    modes.set_registry_mode(session, writer(), modes.Mode.READWRITE)
    return wire.answer({"mode": before.value})


@bp.get("/mode/<subject>")
@described("Get a subject's mode", "Modes (v1)", ref("Mode"), (40409,), ("defaultToGlobal",))
def get_subject_mode(subject: str) -> Response:
    require_read_access()
    mode = subject_settings.mode(db_session(), subject, wire.flag("defaultToGlobal"))
    return wire.answer({"mode": mode.value})


@bp.put("/mode/<subject>")
@described("Set a subject's mode", *SETTING_A_MODE)
def put_subject_mode(subject: str) -> Response:
    mode = modes.parse_mode(wire.body().get("mode"))
    subject_settings.set_mode(db_session(), writer(), subject, mode, wire.flag("force"))
    return wire.answer({"mode": mode.value})


@bp.delete("/mode/<subject>")
@described("Remove a subject's own mode", "Modes (v1)", ref("Mode"), (40301, 40401), auth="write")
def delete_subject_mode(subject: str) -> Response:
    before = subject_settings.clear_mode(db_session(), writer(), subject)
    return wire.answer({"mode": before.value})


@bp.get("/contexts")
@described("List contexts (domains)", "Contexts (v1)", array_of("string"))
def contexts() -> Response:
    require_read_access()
    return wire.answer(subjects.contexts(db_session()))


@bp.get("/v1/metadata/id")
@described("The registry's cluster id", "Server metadata (v1)", ref("ServerClusterId"), auth="open")
def registry_id() -> Response:
    return wire.answer(wire.cluster_id())


@bp.get("/associations/resources/<namespace>/<name>")
@described(
    "A topic's associations (its bus's one event type)",
    "Associations (v1)",
    {"type": "array", "items": ref("Association")},
    (40401,),
    ("associationType", "resourceType"),
)
def associations(namespace: str, name: str) -> Response:
    """A topic's associations, as recent confluent-kafka serializers ask before their first
    record: the one value subject of the bus named like the topic (a list of one), [] when
    the bus carries several event types or none, 404 when no bus has that name. Keys are not
    event types: [] for ``associationType=key``."""
    require_read_access()
    wanted = request.args.getlist("associationType") or ["value"]
    found = lookups.topic_subjects(db_session(), name) if "value" in wanted else []
    return wire.answer([wire.association(subject, name, namespace) for subject in found])


@bp.route("/associations", methods=["GET", "POST", "DELETE"], defaults={"rest": ""})
@bp.route("/associations/<path:rest>", methods=["GET", "POST", "DELETE"])
def other_associations(rest: str) -> Response:
    require_read_access()
    raise NotFound(
        "Eventry keeps no associations besides a topic's (GET /associations/resources/-/<topic>)"
        ": a bus and its event types are its associations"
    )


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "DELETE"])
def unknown(anything: str) -> Response:
    """404 (40401) for a path the API does not have; 405 for one it has with other methods, as
    Confluent answers (this catch-all would otherwise take every method of every path)."""
    raise methods.refusal(MethodNotAllowed())


def _global_config() -> dict:
    found = settings.get_settings(db_session())
    return wire.level_body(found.compatibility, found.compatibility_group)
