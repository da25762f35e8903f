"""What ``GET /api/v1/findings`` answers, as JSON Schemas (merged into app.api.answers.ANSWERS,
the one registry the OpenAPI document and the fuzzer read)."""

from __future__ import annotations

from typing import Any

from app.api.answer_parts import MAYBE_TEXT, TEXT, object_of, one_of, ref
from app.core.findings import FindingKind, Severity

_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}


FINDING_ANSWERS: dict[str, dict[str, Any]] = {
    "Finding": object_of(
        {
            "kind": one_of(FindingKind),
            "id": TEXT,
            "severity": one_of(Severity),
            "domain": TEXT,
            "team": MAYBE_TEXT,
            "event": TEXT,
            "version": {"type": ["integer", "null"]},
            "bus": MAYBE_TEXT,
            "consumer": MAYBE_TEXT,
            "consumer_id": {"type": ["integer", "null"]},
            "pointer": TEXT,
            "rule_pointer": MAYBE_TEXT,
            "message": TEXT,
            "hint": TEXT,
        }
    ),
    "FindingsPage": object_of(
        {
            "items": {"type": "array", "items": ref("Finding")},
            "next": MAYBE_TEXT,
            "counts": object_of({"domains": _COUNTS, "kinds": _COUNTS, "severities": _COUNTS}),
            "skipped": {"type": "integer", "minimum": 0},
            # Event types changed since their findings were stored and not yet analysed again
            # (too many to analyse within the request): the list shows their older findings.
            "analysing": {"type": "integer", "minimum": 0},
        }
    ),
}
