"""Confluent Schema Registry's wire format: media types, request bodies, query flags, the
JSON shapes of versions and schemas, and errors as ``{"error_code", "message"}``.

Source: Confluent Schema Registry's API reference (docs.confluent.io, "Schema Registry API
Reference") and its ``RestException`` subclasses for the error codes.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, g, request
from werkzeug.exceptions import BadRequest, HTTPException

from app.confluent import methods
from app.core import errors, limits
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.confluent_words import level_named
from app.core.contract import Contract, checked_contract
from app.core.limits import LimitExceeded
from app.core.vocabulary import CompatibilityLevel, is_digits
from app.services import database, views
from app.web import problem_of

V1 = "application/vnd.schemaregistry.v1+json"
MEDIA_TYPES = (V1, "application/vnd.schemaregistry+json", "application/json")
SCHEMA_TYPE = "JSON"


def answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer in the media type the client accepts of Confluent's three (v1 first)."""
    response = Response(encoded(body), status, mimetype=media_type())
    response.headers.update(headers or {})
    return response


def encoded(body: Any) -> bytes:
    """A JSON body as Confluent's answers write it (compact)."""
    return json.dumps(body, separators=(",", ":")).encode()


def media_type() -> str:
    """The media type of an answer: the one the client accepts of Confluent's three (v1
    first), v1 when it accepts anything."""
    accepted = request.accept_mimetypes
    if not accepted or accepted.best in (None, "*/*"):
        return V1
    return next((each for each in MEDIA_TYPES if each in accepted.values()), V1)


def body() -> dict[str, Any]:
    """The request's JSON object, in any of Confluent's media types or none.

    Raises BadRequest-shaped Confluent errors (HTTP 400, error 400 as Confluent's Jersey
    answers) for a body that is not a JSON object, and LimitExceeded (422) beyond the limits."""
    raw = request.get_data(cache=True) or b"{}"
    try:
        parsed = parse_json(raw, limits.current(), "max_schema_depth")
    except (json.JSONDecodeError, CanonicalJSONError, UnicodeDecodeError) as error:
        raise BadRequest(f"the body is not valid JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise BadRequest("the body must be a JSON object")
    return parsed


def schema_of(payload: dict[str, Any]) -> Any:
    """The schema a registration or lookup carries: ``schema`` as a JSON string (or, leniently,
    as JSON itself), parsed under the limits. Raises InvalidSchemaInput (42201) for a missing
    schema, another ``schemaType``, or text that is not JSON."""
    kind = payload.get("schemaType") or SCHEMA_TYPE
    if kind != SCHEMA_TYPE:
        raise errors.InvalidSchemaInput(
            f"Invalid schema: schemaType {kind!r} is not served; Eventry registers JSON Schema "
            "only (schemaType JSON)"
        )
    text = payload.get("schema")
    if text is None:
        raise errors.InvalidSchemaInput("Invalid schema: the body has no 'schema'")
    if not isinstance(text, str):
        return text
    try:
        return parse_json(text, limits.current(), "max_schema_depth")
    except (json.JSONDecodeError, CanonicalJSONError, UnicodeDecodeError) as error:
        raise errors.InvalidSchemaInput(
            f"Invalid schema: the schema is not JSON: {error}"
        ) from None


def contract(payload: dict[str, Any]) -> Contract:
    """The references, metadata and rule set of a registration body (RegisterSchemaRequest, as
    registrations, lookups and compatibility checks send it). Raises InvalidSchemaInput
    (42201) for one of the wrong shape."""
    return checked_contract(
        payload.get("references"), payload.get("metadata"), payload.get("ruleSet")
    )


def explicit(payload: dict[str, Any], word: str) -> int | None:
    """A registration body's explicit ``id`` or ``version`` (IMPORT mode): None when absent,
    0 or -1 (what clients send for "let the registry choose"). Raises InvalidSchemaInput
    (42201) for a value that is no whole number."""
    value = payload.get(word)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.InvalidSchemaInput(f"{word} must be a whole number")
    return value if value > 0 else None


def flag(name: str, default: bool = False) -> bool:
    """A boolean query parameter, case-insensitive as Confluent's (``TRUE``, ``False``…);
    anything but true is false."""
    value = request.args.get(name)
    return default if value is None else value.strip().lower() == "true"


def whole(name: str, default: int, least: int = 0) -> int:
    """A whole-number query parameter. Raises BadRequest for another value."""
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not is_digits(value.removeprefix("-")) or int(value) < least:
        raise BadRequest(f"{name} must be a whole number from {least} (got {value!r})")
    return int(value)


def schema_body(stored: Any, with_schema: bool = True) -> dict[str, Any]:
    """A stored content as Confluent's ``GET /schemas/ids/{id}`` gives it."""
    found: dict[str, Any] = {"schemaType": SCHEMA_TYPE}
    if with_schema:
        found["schema"] = stored.canonical
    contract = views.contract_view(stored)
    found["references"] = contract.pop("references")
    guid = contract.pop("guid")
    return {**found, **contract, "guid": guid}


def version_body(subject: str, version: Any) -> dict[str, Any]:
    """A subject's version as Confluent's ``GET /subjects/{s}/versions/{v}`` gives it."""
    stored = version.schema
    return {
        "subject": subject,
        "version": version.version,
        "id": stored.id,
        "guid": stored.guid,
        **schema_body(stored),
        "deleted": version.deleted_at is not None,
    }


def error_answer(error: BaseException) -> Response:
    """Any error as Confluent answers it: its HTTP status and ``{"error_code", "message"}``
    (the 5-digit code where Confluent has one, else the status)."""
    if isinstance(error, HTTPException):
        error = methods.refusal(error)  # Allow names the path's own methods, not the catch-all's
    problem = problem_of(error)
    if problem.status >= 500 and not isinstance(error, errors.Unavailable):
        g.eventry_error = error  # its traceback goes into the request's log line
    # A driver's error for a database down or locked is an Unavailable (50002), as in problem_of.
    status, code = _status_and_code(database.unavailable_of(error) or error, problem.status)
    message = problem.detail
    if problem.errors and isinstance(error, errors.InvalidInput):
        first = problem.errors[0]
        where = first.get("pointer") or first.get("path")
        message = f"{message} (at {where})" if where and where not in message else message
    body: dict[str, Any] = {"error_code": code, "message": message}
    if problem.errors:
        body["errors"] = problem.errors  # Eventry's detail: every problem, with its pointer
    return answer(body, status, {**problem.headers, "Content-Type": _error_type()})


def _error_type() -> str:
    accepted = request.accept_mimetypes
    return next((each for each in MEDIA_TYPES if each in accepted.values()), V1)


# (domain error, HTTP status, Confluent's error code), the most specific first.
_CODES: tuple[tuple[type[BaseException], int, int], ...] = (
    (errors.VersionNotFound, 404, 40402),
    (errors.SchemaNotFound, 404, 40403),
    (errors.NotFound, 404, 40401),
    (errors.InvalidSchemaInput, 422, 42201),
    (errors.InvalidVersion, 422, 42202),
    (errors.InvalidMode, 422, 42204),
    (errors.InvalidLevel, 422, 42203),
    (errors.NotPermitted, 422, 42205),
    (errors.StillReferenced, 422, 42206),
    (LimitExceeded, 422, 42201),
    (errors.Unauthorized, 401, 40101),
    (errors.Forbidden, 403, 40301),
    (errors.Unavailable, 503, 50002),
)


def _status_and_code(error: BaseException, status: int) -> tuple[int, int]:
    if isinstance(error, errors.NotConfigured):
        return 404, 40408 if error.what == "compatibility" else 40409
    if isinstance(error, errors.NotSoftDeleted):
        return 404, 40405 if error.what == "subject" else 40407
    if isinstance(error, errors.AlreadyDeleted):
        return 404, 40404 if error.what == "subject" else 40406
    for kind, http, code in _CODES:
        if isinstance(error, kind):
            return http, code
    if isinstance(error, errors.Conflict | errors.AlreadyExists):
        return 409, 409  # an incompatible schema: Confluent answers 409 with code 409
    if isinstance(error, errors.InvalidInput):
        return 422, 422
    if isinstance(error, HTTPException):
        return status, 40401 if status == 404 else status
    return status, 50001 if status >= 500 else status


DEFAULT_LEVEL = CompatibilityLevel.BACKWARD


def prefix() -> str:
    """The ``subjectPrefix`` query parameter ("" without; ":*:" means every context)."""
    found = request.args.get("subjectPrefix", "")
    return "" if found == ":*:" else found


def subject_filter() -> str | None:
    """The ``subject`` query parameter, None without."""
    return request.args.get("subject") or None


def metadata_filter() -> dict[str, str]:
    """``key``/``value`` pairs of ``GET /subjects/{s}/metadata`` (repeatable, paired in
    order)."""
    keys, values = request.args.getlist("key"), request.args.getlist("value")
    return dict(zip(keys, values, strict=False))


def raw_schema(stored: Any) -> Response:
    """The schema text alone, as ``…/schema`` endpoints give it."""
    return Response(stored.canonical, 200, mimetype=_error_type())


def messages_of(verdict: Any) -> list[str]:
    """A verdict as Confluent's verbose ``messages``: one line per incompatible difference
    (its type, pointer and message) and per stored sample the schema would break."""
    body = verdict.to_dict()
    lines = [
        f"{each['type']} at {each.get('path') or '/'}: {each['message']}"
        for each in body["differences"]
        if not each["compatible"]
    ]
    lines += [each.message() for each in verdict.evidence]
    return lines


def config_of(payload: dict[str, Any]) -> tuple[str | None, str | None]:
    """(level, group) of a ``PUT /config`` body: ``compatibility`` (or ``compatibilityLevel``)
    and ``compatibilityGroup``; unknown members are accepted and ignored."""
    level = payload.get("compatibility", payload.get("compatibilityLevel"))
    group = payload.get("compatibilityGroup")
    if level is None and group is None:
        raise errors.InvalidLevel(
            "Invalid compatibility level: the body names neither 'compatibility' nor "
            "'compatibilityGroup'"
        )
    if level is not None:
        found = level_named(level)
        if found is None:
            raise errors.InvalidLevel(
                f"Invalid compatibility level {level!r}. Valid values are "
                + ", ".join(CompatibilityLevel)
            )
        level = found.value
    if group is not None and not isinstance(group, str):
        raise errors.InvalidLevel("compatibilityGroup must be a string")
    return level, group


def config_echo(level: str | None, group: str | None) -> dict[str, Any]:
    """The answer of ``PUT /config``: what was set."""
    found: dict[str, Any] = {}
    if level is not None:
        found["compatibility"] = level
    if group is not None:
        found["compatibilityGroup"] = group
    return found


def level_body(level: str | None, group: str | None = None) -> dict[str, Any]:
    """The answer of ``GET /config``: ``compatibilityLevel`` and the group, each when set."""
    found: dict[str, Any] = {} if level is None else {"compatibilityLevel": str(level)}
    if group:
        found["compatibilityGroup"] = group
    return found


def cluster_id() -> dict[str, Any]:
    """``GET /v1/metadata/id``: the registry's cluster id, as Confluent's."""
    return {
        "scope": {
            "path": [],
            "clusters": {"kafka-cluster": "eventry", "schema-registry-cluster": "eventry"},
        }
    }


def association(subject: str, topic: str, namespace: str) -> dict[str, Any]:
    """One association of a topic with its value subject, in the shape confluent-kafka's
    ``Association`` reads."""
    return {
        "subject": subject,
        "resourceName": topic,
        "resourceNamespace": namespace,
        "resourceId": topic,
        "resourceType": "topic",
        "associationType": "value",
        "frozen": False,
    }
