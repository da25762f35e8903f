"""What ``GET /api/v1/findings`` answers, as JSON Schemas (merged into app.api.answers.ANSWERS,
which holds every other answer's shape and is near its size limit)."""

from __future__ import annotations

from typing import Any

from app.core.findings import FindingKind, Severity

_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}


def _object(members: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(members), "properties": members}


FINDING_ANSWERS: dict[str, dict[str, Any]] = {
    "Finding": _object(
        {
            "kind": {"enum": [kind.value for kind in FindingKind]},
            "id": _TEXT,
            "severity": {"enum": [severity.value for severity in Severity]},
            "domain": _TEXT,
            "team": _MAYBE_TEXT,
            "event": _TEXT,
            "version": {"type": ["integer", "null"]},
            "bus": _MAYBE_TEXT,
            "consumer": _MAYBE_TEXT,
            "consumer_id": {"type": ["integer", "null"]},
            "pointer": _TEXT,
            "rule_pointer": _MAYBE_TEXT,
            "message": _TEXT,
            "hint": _TEXT,
        }
    ),
    "FindingsPage": _object(
        {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
            "next": _MAYBE_TEXT,
            "counts": _object({"domains": _COUNTS, "kinds": _COUNTS, "severities": _COUNTS}),
            "skipped": {"type": "integer", "minimum": 0},
        }
    ),
}
