"""The answers of the shared-fields endpoints (app/api/fields.py: ``GET /api/v1/fields`` and
``GET /api/v1/fields/{field}``), as JSON Schemas, merged into app.api.answers.ANSWERS: the shapes
of app/services/field_index.py's answers (FieldUse.to_dict, FieldConflict.to_dict)."""

from __future__ import annotations

from typing import Any

from app.api.answer_parts import COUNT, MAYBE_TEXT, NUMBER, TEXT, TEXTS, object_of, one_of
from app.core.analysis.consistency import ConflictKind

_CONFLICT_KIND = one_of(ConflictKind)
_FIELD_USE = object_of(
    {"event": TEXT, "version": NUMBER, "pointer": TEXT, "type": TEXT, "types": TEXT}
    | {"format": MAYBE_TEXT, "description": TEXT, "required": {"type": "boolean"}},
)
_FIELD_CONFLICT = object_of(
    {"id": _CONFLICT_KIND, "severity": TEXT, "field": TEXT, "events": TEXTS}
    | {"uses": {"type": "array", "items": _FIELD_USE}, "message": TEXT}
)

FIELD_ANSWERS: dict[str, dict[str, Any]] = {
    "FieldSummary": object_of(
        {"name": TEXT, "events": COUNT, "types": TEXTS}
        | {"conflicts": {"type": "array", "items": _CONFLICT_KIND}}
    ),
    "Field": object_of(
        {
            "name": TEXT,
            # Event types whose latest version carries it (all pages).
            "event_count": COUNT,
            # The page's event types: each one's latest use, and every live version's.
            "events": {"type": "array", "items": _FIELD_USE},
            "versions": {"type": "array", "items": _FIELD_USE},
            "types": TEXTS,
            "conflicts": {"type": "array", "items": _FIELD_CONFLICT},
            "next": MAYBE_TEXT,
        }
    ),
}
