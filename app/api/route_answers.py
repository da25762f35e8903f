"""The answers of the router-configuration endpoints (app.api.router_config), as JSON Schemas
for the OpenAPI document; kept apart from app.api.answers, which holds the others."""

from __future__ import annotations

from typing import Any

from app.api.answer_parts import MAYBE_TEXT, TEXT
from app.core.routing.drift import DriftKind, ImportAction

_MAYBE_ID = {"type": ["integer", "null"]}
_KINDS = [kind.value for kind in DriftKind]
_DIFFERENCE = {
    "type": "object",
    "required": ["kind", "consumer", "consumer_id", "source", "pointer", "rule", "buses"],
    "properties": {
        "kind": {"enum": _KINDS},
        "consumer": TEXT,
        "consumer_id": _MAYBE_ID,
        "source": MAYBE_TEXT,
        "pointer": MAYBE_TEXT,
        "rule": {"type": ["object", "null"]},
        "declared_rule": {"type": ["object", "null"]},
        "scope": MAYBE_TEXT,
        "declared_scope": MAYBE_TEXT,
        "buses": {"type": "array", "items": TEXT},
    },
}
_DRIFT_MEMBERS = {
    "bus": TEXT,
    "router": {"enum": ["eventbridge", "sns"]},
    "locations": {"type": "array", "items": TEXT},
    "drift": {"type": "boolean"},
    "counts": {
        "type": "object",
        "properties": {kind: {"type": "integer", "minimum": 0} for kind in _KINDS},
    },
    "differences": {"type": "array", "items": _DIFFERENCE},
}
_ACTION = {
    "type": "object",
    "required": ["consumer", "action", "consumer_id", "event", "source", "pointer"],
    "properties": {
        "consumer": TEXT,
        "action": {"enum": [action.value for action in ImportAction]},
        "consumer_id": _MAYBE_ID,
        "event": MAYBE_TEXT,
        "source": MAYBE_TEXT,
        "pointer": MAYBE_TEXT,
    },
}

ROUTE_ANSWERS: dict[str, dict[str, Any]] = {
    "RouteDrift": {
        "type": "object",
        "required": list(_DRIFT_MEMBERS),
        "properties": _DRIFT_MEMBERS,
    },
    "RouteImport": {
        "type": "object",
        "required": [*_DRIFT_MEMBERS, "dry_run", "consumers"],
        "properties": {
            **_DRIFT_MEMBERS,
            "dry_run": {"type": "boolean"},
            "consumers": {"type": "array", "items": _ACTION},
        },
    },
}
