"""What ``GET /api/v1/landscape`` answers, as JSON Schemas (merged into app.api.answers.ANSWERS,
the one registry the OpenAPI document and the fuzzer read)."""

from __future__ import annotations

from typing import Any

from app.api.answer_parts import COUNT, MAYBE_TEXT, TEXT, TEXTS, object_of, one_of, ref
from app.core.landscape.model import LinkKind, NodeKind, View

LANDSCAPE_ANSWERS: dict[str, dict[str, Any]] = {
    "LandscapeNode": object_of(
        {
            "key": TEXT,
            "kind": one_of(NodeKind),
            "name": TEXT,
            "label": TEXT,
            "column": COUNT,
            "group": MAYBE_TEXT,
            "domain": MAYBE_TEXT,
            "note": TEXT,
            "focused": {"type": "boolean"},
        }
    ),
    "LandscapeLink": object_of(
        {
            "source": TEXT,
            "target": TEXT,
            "kind": one_of(LinkKind),
            "weight": COUNT,
            "title": TEXT,
        }
    ),
    "Landscape": object_of(
        {
            "view": one_of([View.DETAIL, View.SUMMARY]),
            "events": COUNT,
            "columns": TEXTS,
            "domains": {"type": "object", "additionalProperties": TEXT},
            "nodes": {"type": "array", "items": ref("LandscapeNode")},
            "links": {"type": "array", "items": ref("LandscapeLink")},
        }
    ),
}
