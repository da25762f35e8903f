"""Compatibility levels (``/config``), modes (``/mode``), contexts, the registry's id and
the bus-to-event associations."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app.confluent import wire
from app.core.errors import NotConfigured, NotFound
from app.services import event_config, lookups, modes, settings, subjects
from app.services.compatibility import compatibility_group
from app.web import db_session, require_read_access, writer

bp = Blueprint("ccompat_settings", __name__, url_prefix="/ccompat")
bp.register_error_handler(Exception, wire.error_answer)


@bp.get("/config")
def get_config() -> Response:
    require_read_access()
    return wire.answer(_global_config())


@bp.put("/config")
def put_config() -> Response:
    payload = wire.body()
    level, group = wire.config_of(payload)
    settings.set_defaults(db_session(), writer(), level, group=group)
    return wire.answer(wire.config_echo(level, group))


@bp.delete("/config")
def delete_config() -> Response:
    session, actor = db_session(), writer()
    before = _global_config()
    settings.set_defaults(session, actor, wire.DEFAULT_LEVEL, group="")
    return wire.answer(before)


@bp.get("/config/<subject>")
def get_subject_config(subject: str) -> Response:
    require_read_access()
    session = db_session()
    event_type = subjects.find(session, subject)
    if event_type.compatibility is None and not wire.flag("defaultToGlobal"):
        raise NotConfigured(
            f"Subject '{subject}' does not have subject-level compatibility configured",
            "compatibility",
        )
    if event_type.compatibility is None:
        return wire.answer(_global_config())
    return wire.answer(
        wire.level_body(event_type.compatibility, compatibility_group(session, event_type))
    )


@bp.put("/config/<subject>")
def put_subject_config(subject: str) -> Response:
    session = db_session()
    level, group = wire.config_of(wire.body())
    event_type = subjects.find(session, subject)
    event_config.set_event_config(
        session, writer(), event_type.domain.slug, event_type.name, level, None, group
    )
    return wire.answer(wire.config_echo(level, group))


@bp.delete("/config/<subject>")
def delete_subject_config(subject: str) -> Response:
    session = db_session()
    event_type = subjects.find(session, subject)
    before = wire.level_body(event_type.compatibility or _global_config()["compatibilityLevel"])
    event_config.clear_event_config(session, writer(), event_type.domain.slug, event_type.name)
    return wire.answer(before)


@bp.get("/mode")
def get_mode() -> Response:
    require_read_access()
    return wire.answer({"mode": modes.registry_mode(db_session()).value})


@bp.put("/mode")
def put_mode() -> Response:
    mode = modes.parse_mode(wire.body().get("mode"))
    modes.set_registry_mode(db_session(), writer(), mode, wire.flag("force"))
    return wire.answer({"mode": mode.value})


@bp.delete("/mode")
def delete_mode() -> Response:
    session = db_session()
    before = modes.registry_mode(session)
    modes.set_registry_mode(session, writer(), modes.Mode.READWRITE)
    return wire.answer({"mode": before.value})


@bp.get("/mode/<subject>")
def get_subject_mode(subject: str) -> Response:
    require_read_access()
    session = db_session()
    event_type = subjects.find(session, subject)
    mode = modes.event_mode(session, event_type, wire.flag("defaultToGlobal"))
    return wire.answer({"mode": mode.value})


@bp.put("/mode/<subject>")
def put_subject_mode(subject: str) -> Response:
    session = db_session()
    mode = modes.parse_mode(wire.body().get("mode"))
    event_type = subjects.find(session, subject)
    modes.set_event_mode(session, writer(), event_type, mode, wire.flag("force"))
    return wire.answer({"mode": mode.value})


@bp.delete("/mode/<subject>")
def delete_subject_mode(subject: str) -> Response:
    session = db_session()
    event_type = subjects.find(session, subject)
    before = modes.event_mode(session, event_type)
    modes.set_event_mode(session, writer(), event_type, None)
    return wire.answer({"mode": before.value})


@bp.get("/contexts")
def contexts() -> Response:
    require_read_access()
    return wire.answer(subjects.contexts(db_session()))


@bp.get("/v1/metadata/id")
def registry_id() -> Response:
    return wire.answer(wire.cluster_id())


@bp.get("/associations/resources/<namespace>/<name>")
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
    allowed = _other_methods(request.path)
    if allowed:
        raise MethodNotAllowed(valid_methods=sorted(allowed))
    raise NotFound(f"/ccompat/{anything} is not an endpoint of the Confluent-compatible API")


def _other_methods(path: str) -> set[str]:
    urls = current_app.url_map.bind_to_environ(request.environ)
    found = set()
    for method in ("GET", "POST", "PUT", "DELETE"):
        try:
            endpoint, _ = urls.match(path, method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            found.add(method)
    return found


def _global_config() -> dict:
    found = settings.get_settings(db_session())
    return wire.level_body(found.compatibility, found.compatibility_group)
