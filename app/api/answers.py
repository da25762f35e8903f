"""What the API's successful answers hold, as JSON Schemas: the one description of each shape that
the OpenAPI document (app/api/openapi.py) shows under ``components/schemas`` and that the fuzzer
(tests/fuzz) checks every answer against.

A view names its answer with ``documented(answer="Team")``; a paginated view's answer is a page
of them (``{"items": [...], "next": link or null}``), built here too. Members are listed as the
rendering functions build them (app/api/rendering.py, app/services/views.py); objects stay open
(``additionalProperties`` is not false), so a member added later breaks no client, while one
removed or retyped fails the fuzzer. Values drawn from Eventry's vocabularies (compatibility
levels, policies, modes, routers) are listed from their enums (app/core/vocabulary.py).
"""

from __future__ import annotations

from typing import Any

from app.api.asyncapi_answers import ASYNCAPI_ANSWERS
from app.api.finding_answers import FINDING_ANSWERS
from app.api.route_answers import ROUTE_ANSWERS
from app.core.analysis.consistency import ConflictKind
from app.core.discovery import Envelope, Proposal
from app.core.lifecycle import Lifecycle
from app.core.vocabulary import (
    CompatibilityLevel,
    EventShape,
    Mode,
    Policy,
    RouterKind,
    ShapeSignal,
)

_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_TIME = {"type": "string", "format": "date-time"}
_MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
_NUMBER = {"type": "integer", "minimum": 1}
_ANY: dict[str, Any] = {}  # any JSON value: a schema, an event, a pattern, an audit snapshot
_LINKS = {"type": "object", "required": ["self"], "properties": {"self": _TEXT}}
_TEXTS = {"type": "array", "items": _TEXT}
_COUNT = {"type": "integer", "minimum": 0}


def _one_of(values, nullable: bool = False) -> dict[str, Any]:
    listed = [str(value) for value in values]
    return {"enum": [*listed, None] if nullable else listed}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these members (``required`` always there, ``optional`` sometimes)."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_LEVEL = _one_of(CompatibilityLevel)
_OPTIONAL = _object(  # a field absent from some events (app.core.discovery.OptionalField)
    {"pointer": _TEXT, "present": _COUNT, "of": _NUMBER, "frequency": {"type": "number"}}
)
_POLICY = _one_of(Policy)
_REFERENCE = _object({"name": _TEXT, "subject": _TEXT, "version": {"type": "integer"}})
_CONTRACT = {  # what a stored content carries besides its text (views.contract_view)
    "guid": _TEXT,
    "references": {"type": "array", "items": _REFERENCE},
}
_CONTRACT_EXTRAS = {"metadata": {"type": "object"}, "ruleSet": {"type": "object"}}


def _stage(successor: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle block (app.core.lifecycle.Stage); ``successor`` is an event type's address
    or a version's number."""
    return _object(
        {
            "state": _one_of(Lifecycle),
            "since": {"type": ["string", "null"], "format": "date"},
            "reason": _MAYBE_TEXT,
            "successor": successor,
        }
    )


_VERSION = {
    "version": _NUMBER,
    "schema_id": _NUMBER,
    "note": _TEXT,
    "author": _TEXT,
    "deleted": {"type": "boolean"},
    "lifecycle": _stage({"type": ["integer", "null"], "minimum": 1}),
    "event": _TEXT,
    "fingerprint": _TEXT,
    "dialect": _TEXT,
    **_CONTRACT,
    "created_at": _TIME,
    "deleted_at": _MAYBE_TIME,
}
_CONSUMER = {
    "id": _NUMBER,
    "name": _TEXT,
    "team": _MAYBE_TEXT,
    "bus": _TEXT,
    "event": _MAYBE_TEXT,
    "pattern": _ANY,
    "scope": _MAYBE_TEXT,  # an SNS consumer's: message-attributes or message-body
    "fields": {"type": ["array", "null"], "items": _TEXT},
    "version": {"type": ["integer", "null"]},
    "calls_back": {"type": "boolean"},
    "description": _TEXT,
    "created_at": _TIME,
}
_TOKEN = {
    "id": _NUMBER,
    "name": _TEXT,
    "team": _MAYBE_TEXT,
    "admin": {"type": "boolean"},
    "prefix": _TEXT,
    "scopes": {"type": ["array", "null"], "items": _TEXT},
    "created_at": _TIME,
    "expires_at": _MAYBE_TIME,
    "revoked_at": _MAYBE_TIME,
    "last_used_at": _MAYBE_TIME,
}
_DIFFERENCE = {"type": "object", "required": ["type"], "properties": {"type": _TEXT}}
_AFFECTED = _object({"name": _TEXT, "team": _MAYBE_TEXT, "fields": _TEXTS})
# app.core.impact: Impact.to_dict and Pinned.to_dict.
_CONFLICT_KIND = _one_of(ConflictKind)
_FIELD_USE = _object(
    {"event": _TEXT, "version": _NUMBER, "pointer": _TEXT, "type": _TEXT, "types": _TEXT}
    | {"format": _MAYBE_TEXT, "description": _TEXT, "required": {"type": "boolean"}},
)
_FIELD_CONFLICT = _object(
    {"id": _CONFLICT_KIND, "severity": _TEXT, "field": _TEXT, "events": _TEXTS}
    | {"uses": {"type": "array", "items": _FIELD_USE}, "message": _TEXT}
)
_IMPACT = _object(
    {
        "type": _TEXT,
        "pointer": _TEXT,
        "field": _MAYBE_TEXT,
        "consumers": {"type": "array", "items": _AFFECTED},
        "summary": _TEXT,
    }
)
_SIGNAL = _object(  # one piece of shape evidence (app.core.analysis.model.Signal)
    {
        "id": _one_of(ShapeSignal),
        "message": _TEXT,
        "pointers": _TEXTS,
        "weight": {"type": "number"},
        "points_to": _one_of(EventShape, nullable=True),
    }
)
_PINNED = _object(
    {
        "name": _TEXT,
        "team": _MAYBE_TEXT,
        "version": _NUMBER,
        "to": {"type": ["integer", "null"]},
        "differences": {"type": ["array", "null"], "items": _IMPACT},
        "summary": _TEXT,
    }
)

ANSWERS: dict[str, dict[str, Any]] = {
    "Team": _object({"slug": _TEXT, "name": _TEXT, "description": _TEXT}),
    "Domain": _object(
        {"slug": _TEXT, "name": _TEXT, "description": _TEXT, "owner": _TEXT, "links": _LINKS}
    ),
    "Bus": _object(
        {
            "slug": _TEXT,
            "domain": _TEXT,
            "router": _one_of(RouterKind),
            "description": _TEXT,
            "owner": _TEXT,
            "publishers": _TEXTS,
        }
    ),
    "EventType": _object(
        {
            "domain": _TEXT,
            "name": _TEXT,
            "bus": _MAYBE_TEXT,
            "producer": _MAYBE_TEXT,
            "aggregate": _MAYBE_TEXT,
            "command": _MAYBE_TEXT,
            "description": _TEXT,
            "compatibility": _one_of(CompatibilityLevel, nullable=True),
            "policy": _one_of(Policy, nullable=True),
            "deprecated": {"type": "boolean"},
            "lifecycle": _stage(_MAYBE_TEXT),
            "subjects": _TEXTS,
            "mode": _one_of(Mode, nullable=True),
            "compatibility_group": _MAYBE_TEXT,
            "last_version": {"type": "integer", "minimum": 0},
            "created_at": _TIME,
            "updated_at": _TIME,
            "links": _LINKS,
        }
    ),
    "VersionSummary": _object(_VERSION, _CONTRACT_EXTRAS),
    "Version": _object({**_VERSION, "schema": _ANY}, _CONTRACT_EXTRAS),
    "RegisteredVersion": _object(
        {**_VERSION, "schema": _ANY, "warnings": {"type": "array"}}, _CONTRACT_EXTRAS
    ),
    "StoredSchema": _object(
        {"id": _NUMBER, "fingerprint": _TEXT, "dialect": _TEXT, **_CONTRACT, "schema": _ANY},
        _CONTRACT_EXTRAS,
    ),
    "SchemaUsage": _object({"event": _TEXT, "version": _NUMBER, "deleted": {"type": "boolean"}}),
    "Referrer": _object(
        {
            "event": _TEXT,
            "version": _NUMBER,
            "schema_id": _NUMBER,
            "deleted": {"type": "boolean"},
            "links": _LINKS,
        }
    ),
    "Consumer": _object(_CONSUMER),
    "EventConsumers": _object(
        {
            "consumers": {
                "type": "array",
                "items": _object(
                    {
                        **_CONSUMER,
                        "receives": {"type": "boolean"},
                        "reason": _TEXT,
                        "samples": _TEXTS,
                        "assumed": _TEXTS,
                    }
                ),
            }
        }
    ),
    "Token": _object(_TOKEN),
    "NewToken": _object({**_TOKEN, "secret": _TEXT}),
    "EventConfig": _object(
        {
            "compatibility": _LEVEL,
            "policy": _POLICY,
            "overrides": _object(
                {
                    "compatibility": _one_of(CompatibilityLevel, nullable=True),
                    "policy": _one_of(Policy, nullable=True),
                }
            ),
        }
    ),
    "RegistryConfig": _object(
        {
            "compatibility": _LEVEL,
            "policy": _POLICY,
            "mode": _one_of(Mode),
            "compatibility_group": _MAYBE_TEXT,
            "subject_settings": {"type": "array", "items": {"type": "object"}},
        }
    ),
    "Defaults": _object({"compatibility": _LEVEL, "policy": _POLICY}),
    "SubjectMode": _object(
        {"mode": _one_of(Mode, nullable=True), "compatibility_group": _MAYBE_TEXT}
    ),
    "Restored": _object({"restored": {"type": "integer", "minimum": 0}}),
    "Rules": _object({"rules": {"type": "array", "items": {"type": "object"}}}),
    "AuditEntry": _object(
        {
            "id": _NUMBER,
            "at": _TIME,
            "actor": _TEXT,
            "action": _TEXT,
            "target": _TEXT,
            "before": _ANY,
            "after": _ANY,
        }
    ),
    "SearchHit": _object(
        {
            "event": _TEXT,
            "domain": _TEXT,
            "name": _TEXT,
            "latest_version": {"type": ["integer", "null"]},
            "matches": {"type": "array", "items": _object({"in": _TEXT, "text": _TEXT})},
            "links": _LINKS,
        }
    ),
    "Sample": _object(
        {"id": _NUMBER, "name": _TEXT, "expect_valid": {"type": "boolean"}, "payload": _ANY}
    ),
    "ImportedSample": _object({"id": _NUMBER, "name": _TEXT, "created_at": _TIME}),
    "Verdict": _object(
        {
            "compatible": {"type": "boolean"},
            "level": _LEVEL,
            "policy": _POLICY,
            "failed_version": {"type": ["integer", "null"]},
            "direction": _MAYBE_TEXT,
            "differences": {"type": "array", "items": _DIFFERENCE},
        },
        {
            "impact": {"type": "array", "items": _IMPACT},
            "pinned": {"type": "array", "items": _PINNED},
        },
    ),
    "Diff": _object(
        {
            "event": _TEXT,
            "from": _NUMBER,
            "to": _NUMBER,
            "policy": _POLICY,
            "levels": {"type": "object", "additionalProperties": {"type": "boolean"}},
            "differences": {"type": "array", "items": _DIFFERENCE},
            "impact": {"type": "array", "items": _IMPACT},
            "pinned": {"type": "array", "items": _PINNED},
        }
    ),
    "Validation": _object({"version": _NUMBER, "dialect": _TEXT}),
    "ExampleEvent": _object(
        {"event": _TEXT, "version": _NUMBER, "seed": {"type": "integer", "minimum": 0}},
        {"example": _ANY},
    ),
    "Analysis": _object(
        {
            "shape": _one_of(EventShape),
            "richness": {"type": "number"},
            "signals": {"type": "array", "items": _SIGNAL},
        },
        {  # POST /analysis with bus or router (app.services.analysis.carried)
            "bus": _MAYBE_TEXT,
            "router": _one_of(RouterKind),
            "ordering": {"type": ["object", "null"]},
            "router_advice": _TEXTS,
            # GET …/analysis of a registered event: its findings as GET /api/v1/findings lists them
            "findings": {"type": "array", "items": _ref("Finding")},
        },
    ),
    "BusAdvice": _object(
        {
            "bus": _TEXT,
            "router": _one_of(RouterKind),
            "needs_ordering": {"type": "boolean"},
            "advice": _TEXTS,
        }
    ),
    # Schema discovery and inference (app/services/discovery.py)
    "Inferred": _object(
        {
            "samples": _COUNT,
            "schema": {"type": "object"},
            "optional": {"type": "array", "items": _OPTIONAL},
        }
    ),
    "Discovery": _object(
        {
            "bus": _TEXT,
            "lines": _COUNT,
            "events": _COUNT,
            "problems": {
                "type": "array",
                "items": _object({"line": _NUMBER, "problem": {"type": "object"}}),
            },
            "problems_cut": _COUNT,
            "types": {
                "type": "array",
                "items": _object(
                    {
                        "type": _TEXT,
                        "events": _COUNT,
                        "envelopes": {
                            "type": "object",
                            "propertyNames": _one_of(Envelope),
                            "additionalProperties": _COUNT,
                        },
                        "proposal": _one_of(Proposal),
                        "name": _MAYBE_TEXT,
                        "event": _MAYBE_TEXT,
                        "schema": {"type": "object"},
                        "optional": {"type": "array", "items": _OPTIONAL},
                        "verdict": {"anyOf": [_ref("Verdict"), {"type": "null"}]},
                        "registered": {
                            "anyOf": [
                                _object(
                                    {
                                        "event": _TEXT,
                                        "version": _NUMBER,
                                        "created": {"type": "boolean"},
                                    }
                                ),
                                {"type": "null"},
                            ]
                        },
                    }
                ),
            },
        }
    ),
    "RouterEstimate": _object({"routers": {"type": "array", "items": {"type": "object"}}}),
    # Shared fields (app/services/field_index.py; FieldUse.to_dict, FieldConflict.to_dict)
    "FieldSummary": _object(
        {"name": _TEXT, "events": _COUNT, "types": _TEXTS}
        | {"conflicts": {"type": "array", "items": _CONFLICT_KIND}}
    ),
    "Field": _object(
        {
            "name": _TEXT,
            "events": {"type": "array", "items": _FIELD_USE},
            "versions": {"type": "array", "items": _FIELD_USE},
            "types": _TEXTS,
            "conflicts": {"type": "array", "items": _FIELD_CONFLICT},
        }
    ),
    "PatternTest": _object(
        {"router": _one_of(RouterKind), "scope": _MAYBE_TEXT, "matched": {"type": "boolean"}}
    ),
    **ROUTE_ANSWERS,
}
ANSWERS.update(ASYNCAPI_ANSWERS)


ANSWERS.update(FINDING_ANSWERS)


def answer_schema(name: str, listed: bool = False) -> dict[str, Any]:
    """The schema of an answer named ``name`` (a key of ANSWERS, as a reference into the
    document's components), or of a page of them when ``listed``. KeyError for an unknown name."""
    if name not in ANSWERS:  # a view naming no known answer fails when the document is built
        raise KeyError(f"no answer named {name!r} in app/api/answers.py")
    if not listed:
        return _ref(name)
    return _object({"items": {"type": "array", "items": _ref(name)}, "next": _MAYBE_TEXT})


# The webhook endpoints' answers live in their own module (this one is near its size limit).
from app.api.webhook_answers import WEBHOOK_ANSWERS  # noqa: E402

ANSWERS.update(WEBHOOK_ANSWERS)
