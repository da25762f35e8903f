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

from app.api.answer_parts import (
    ANY,
    COUNT,
    LINKS,
    MAYBE_TEXT,
    MAYBE_TIME,
    NUMBER,
    TEXT,
    TEXTS,
    TIME,
    object_of,
    one_of,
    ref,
)
from app.api.asyncapi_answers import ASYNCAPI_ANSWERS
from app.api.field_answers import FIELD_ANSWERS
from app.api.finding_answers import FINDING_ANSWERS
from app.api.landscape_answers import LANDSCAPE_ANSWERS
from app.api.route_answers import ROUTE_ANSWERS
from app.api.webhook_answers import WEBHOOK_ANSWERS
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

_LEVEL = one_of(CompatibilityLevel)
_OPTIONAL = object_of(  # a field absent from some events (app.core.discovery.OptionalField)
    {"pointer": TEXT, "present": COUNT, "of": NUMBER, "frequency": {"type": "number"}}
)
_POLICY = one_of(Policy)
_REFERENCE = object_of({"name": TEXT, "subject": TEXT, "version": {"type": "integer"}})
_CONTRACT = {  # what a stored content carries besides its text (views.contract_view)
    "guid": TEXT,
    "references": {"type": "array", "items": _REFERENCE},
}
_CONTRACT_EXTRAS = {"metadata": {"type": "object"}, "ruleSet": {"type": "object"}}


def _stage(successor: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle block (app.core.lifecycle.Stage); ``successor`` is an event type's address
    or a version's number."""
    return object_of(
        {
            "state": one_of(Lifecycle),
            "since": {"type": ["string", "null"], "format": "date"},
            "reason": MAYBE_TEXT,
            "successor": successor,
        }
    )


_VERSION = {
    "version": NUMBER,
    "schema_id": NUMBER,
    "note": TEXT,
    "author": TEXT,
    "deleted": {"type": "boolean"},
    "lifecycle": _stage({"type": ["integer", "null"], "minimum": 1}),
    "event": TEXT,
    "fingerprint": TEXT,
    "dialect": TEXT,
    **_CONTRACT,
    "created_at": TIME,
    "deleted_at": MAYBE_TIME,
}
_CONSUMER = {
    "id": NUMBER,
    "name": TEXT,
    "team": MAYBE_TEXT,
    "bus": TEXT,
    "event": MAYBE_TEXT,
    "pattern": ANY,
    "scope": MAYBE_TEXT,  # an SNS consumer's: message-attributes or message-body
    "fields": {"type": ["array", "null"], "items": TEXT},
    "version": {"type": ["integer", "null"]},
    "calls_back": {"type": "boolean"},
    "description": TEXT,
    "created_at": TIME,
}
_TOKEN = {
    "id": NUMBER,
    "name": TEXT,
    "team": MAYBE_TEXT,
    "admin": {"type": "boolean"},
    "prefix": TEXT,
    "scopes": {"type": ["array", "null"], "items": TEXT},
    "created_at": TIME,
    "expires_at": MAYBE_TIME,
    "revoked_at": MAYBE_TIME,
    "last_used_at": MAYBE_TIME,
}
_DIFFERENCE = {"type": "object", "required": ["type"], "properties": {"type": TEXT}}
_AFFECTED = object_of({"name": TEXT, "team": MAYBE_TEXT, "fields": TEXTS})
# app.core.impact: Impact.to_dict and Pinned.to_dict.
_IMPACT = object_of(
    {
        "type": TEXT,
        "pointer": TEXT,
        "field": MAYBE_TEXT,
        "consumers": {"type": "array", "items": _AFFECTED},
        "summary": TEXT,
    }
)
_SIGNAL = object_of(  # one piece of shape evidence (app.core.analysis.model.Signal)
    {
        "id": one_of(ShapeSignal),
        "message": TEXT,
        "pointers": TEXTS,
        "weight": {"type": "number"},
        "points_to": one_of(EventShape, nullable=True),
    }
)
_PINNED = object_of(
    {
        "name": TEXT,
        "team": MAYBE_TEXT,
        "version": NUMBER,
        "to": {"type": ["integer", "null"]},
        "differences": {"type": ["array", "null"], "items": _IMPACT},
        "summary": TEXT,
    }
)

ANSWERS: dict[str, dict[str, Any]] = {
    "Team": object_of({"slug": TEXT, "name": TEXT, "description": TEXT}),
    "Domain": object_of(
        {"slug": TEXT, "name": TEXT, "description": TEXT, "owner": TEXT, "links": LINKS}
    ),
    "Bus": object_of(
        {
            "slug": TEXT,
            "domain": TEXT,
            "router": one_of(RouterKind),
            "description": TEXT,
            "owner": TEXT,
            "publishers": TEXTS,
        }
    ),
    "EventType": object_of(
        {
            "domain": TEXT,
            "name": TEXT,
            "bus": MAYBE_TEXT,
            "producer": MAYBE_TEXT,
            "aggregate": MAYBE_TEXT,
            "command": MAYBE_TEXT,
            "description": TEXT,
            "compatibility": one_of(CompatibilityLevel, nullable=True),
            "policy": one_of(Policy, nullable=True),
            "deprecated": {"type": "boolean"},
            "lifecycle": _stage(MAYBE_TEXT),
            "subjects": TEXTS,
            "mode": one_of(Mode, nullable=True),
            "compatibility_group": MAYBE_TEXT,
            "last_version": {"type": "integer", "minimum": 0},
            "created_at": TIME,
            "updated_at": TIME,
            "links": LINKS,
        }
    ),
    "VersionSummary": object_of(_VERSION, _CONTRACT_EXTRAS),
    "Version": object_of({**_VERSION, "schema": ANY}, _CONTRACT_EXTRAS),
    "RegisteredVersion": object_of(
        {**_VERSION, "schema": ANY, "warnings": {"type": "array"}}, _CONTRACT_EXTRAS
    ),
    "StoredSchema": object_of(
        {"id": NUMBER, "fingerprint": TEXT, "dialect": TEXT, **_CONTRACT, "schema": ANY},
        _CONTRACT_EXTRAS,
    ),
    "SchemaUsage": object_of({"event": TEXT, "version": NUMBER, "deleted": {"type": "boolean"}}),
    "Referrer": object_of(
        {
            "event": TEXT,
            "version": NUMBER,
            "schema_id": NUMBER,
            "deleted": {"type": "boolean"},
            "links": LINKS,
        }
    ),
    "Consumer": object_of(_CONSUMER),
    "EventConsumers": object_of(
        {
            "consumers": {
                "type": "array",
                "items": object_of(
                    {
                        **_CONSUMER,
                        "receives": {"type": "boolean"},
                        "reason": TEXT,
                        "samples": TEXTS,
                        "assumed": TEXTS,
                    }
                ),
            }
        }
    ),
    "Token": object_of(_TOKEN),
    "NewToken": object_of({**_TOKEN, "secret": TEXT}),
    "EventConfig": object_of(
        {
            "compatibility": _LEVEL,
            "policy": _POLICY,
            "overrides": object_of(
                {
                    "compatibility": one_of(CompatibilityLevel, nullable=True),
                    "policy": one_of(Policy, nullable=True),
                }
            ),
        }
    ),
    "RegistryConfig": object_of(
        {
            "compatibility": _LEVEL,
            "policy": _POLICY,
            "mode": one_of(Mode),
            "compatibility_group": MAYBE_TEXT,
            "subject_settings": {"type": "array", "items": {"type": "object"}},
        }
    ),
    "Defaults": object_of({"compatibility": _LEVEL, "policy": _POLICY}),
    "SubjectMode": object_of(
        {"mode": one_of(Mode, nullable=True), "compatibility_group": MAYBE_TEXT}
    ),
    "Restored": object_of({"restored": {"type": "integer", "minimum": 0}}),
    "Rules": object_of({"rules": {"type": "array", "items": {"type": "object"}}}),
    "AuditEntry": object_of(
        {
            "id": NUMBER,
            "at": TIME,
            "actor": TEXT,
            "action": TEXT,
            "target": TEXT,
            "before": ANY,
            "after": ANY,
        }
    ),
    "SearchHit": object_of(
        {
            "event": TEXT,
            "domain": TEXT,
            "name": TEXT,
            "latest_version": {"type": ["integer", "null"]},
            "matches": {"type": "array", "items": object_of({"in": TEXT, "text": TEXT})},
            "links": LINKS,
        }
    ),
    "Sample": object_of(
        {"id": NUMBER, "name": TEXT, "expect_valid": {"type": "boolean"}, "payload": ANY}
    ),
    "ImportedSample": object_of({"id": NUMBER, "name": TEXT, "created_at": TIME}),
    "Verdict": object_of(
        {
            "compatible": {"type": "boolean"},
            "level": _LEVEL,
            "policy": _POLICY,
            "failed_version": {"type": ["integer", "null"]},
            "direction": MAYBE_TEXT,
            "differences": {"type": "array", "items": _DIFFERENCE},
        },
        {
            "impact": {"type": "array", "items": _IMPACT},
            "pinned": {"type": "array", "items": _PINNED},
        },
    ),
    "Diff": object_of(
        {
            "event": TEXT,
            "from": NUMBER,
            "to": NUMBER,
            "policy": _POLICY,
            "levels": {"type": "object", "additionalProperties": {"type": "boolean"}},
            "differences": {"type": "array", "items": _DIFFERENCE},
            "impact": {"type": "array", "items": _IMPACT},
            "pinned": {"type": "array", "items": _PINNED},
        }
    ),
    "Validation": object_of({"version": NUMBER, "dialect": TEXT}),
    "ExampleEvent": object_of(
        {"event": TEXT, "version": NUMBER, "seed": {"type": "integer", "minimum": 0}},
        {"example": ANY},
    ),
    "Analysis": object_of(
        {
            "shape": one_of(EventShape),
            "richness": {"type": "number"},
            "signals": {"type": "array", "items": _SIGNAL},
        },
        {  # POST /analysis with bus or router (app.services.analysis.carried)
            "bus": MAYBE_TEXT,
            "router": one_of(RouterKind),
            "ordering": {"type": ["object", "null"]},
            "router_advice": TEXTS,
            # GET …/analysis of a registered event: its findings as GET /api/v1/findings lists them
            "findings": {"type": "array", "items": ref("Finding")},
        },
    ),
    "BusAdvice": object_of(
        {
            "bus": TEXT,
            "router": one_of(RouterKind),
            "needs_ordering": {"type": "boolean"},
            "advice": TEXTS,
        }
    ),
    # Schema discovery and inference (app/services/discovery.py)
    "Inferred": object_of(
        {
            "samples": COUNT,
            "schema": {"type": "object"},
            "optional": {"type": "array", "items": _OPTIONAL},
        }
    ),
    "Discovery": object_of(
        {
            "bus": TEXT,
            "lines": COUNT,
            "events": COUNT,
            "problems": {
                "type": "array",
                "items": object_of({"line": NUMBER, "problem": {"type": "object"}}),
            },
            "problems_cut": COUNT,
            "types": {
                "type": "array",
                "items": object_of(
                    {
                        "type": TEXT,
                        "events": COUNT,
                        "envelopes": {
                            "type": "object",
                            "propertyNames": one_of(Envelope),
                            "additionalProperties": COUNT,
                        },
                        "proposal": one_of(Proposal),
                        "name": MAYBE_TEXT,
                        "event": MAYBE_TEXT,
                        "schema": {"type": "object"},
                        "optional": {"type": "array", "items": _OPTIONAL},
                        "verdict": {"anyOf": [ref("Verdict"), {"type": "null"}]},
                        "registered": {
                            "anyOf": [
                                object_of(
                                    {
                                        "event": TEXT,
                                        "version": NUMBER,
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
    "RouterEstimate": object_of({"routers": {"type": "array", "items": {"type": "object"}}}),
    "PatternTest": object_of(
        {"router": one_of(RouterKind), "scope": MAYBE_TEXT, "matched": {"type": "boolean"}}
    ),
    # The answers of newer groups of endpoints, each in its own module (app/api/*_answers.py)
    **ROUTE_ANSWERS,
    **ASYNCAPI_ANSWERS,
    **FINDING_ANSWERS,
    **LANDSCAPE_ANSWERS,
    **FIELD_ANSWERS,
    **WEBHOOK_ANSWERS,
}


def answer_schema(name: str, listed: bool = False) -> dict[str, Any]:
    """The schema of an answer named ``name`` (a key of ANSWERS, as a reference into the
    document's components), or of a page of them when ``listed``. KeyError for an unknown name."""
    if name not in ANSWERS:  # a view naming no known answer fails when the document is built
        raise KeyError(f"no answer named {name!r} in app/api/answers.py")
    if not listed:
        return ref(name)
    return object_of({"items": {"type": "array", "items": ref(name)}, "next": MAYBE_TEXT})
