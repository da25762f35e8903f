"""What the AsyncAPI endpoints answer, as JSON Schemas (merged into app.api.answers.ANSWERS;
kept apart because that module is full)."""

from __future__ import annotations

from typing import Any

from app.api.answer_parts import ANY, MAYBE_TEXT, TEXT, object_of, one_of
from app.core.asyncapi.diff import ChangeKind
from app.core.vocabulary import CompatibilityLevel
from app.services.asyncapi_import import KINDS, OUTCOMES

_NAMES = {"type": "array", "items": {"type": "string"}}
_OUTCOMES = {
    "type": "object",
    "required": list(OUTCOMES),
    "properties": {outcome: _NAMES for outcome in OUTCOMES},
}
ASYNCAPI_ANSWERS: dict[str, dict[str, Any]] = {
    # app.services.asyncapi_import.ImportReport.to_dict
    "AsyncApiImport": {
        "type": "object",
        "required": ["title", "dry_run", "changed", "kinds", "warnings"],
        "properties": {
            "title": {"type": "string"},
            "dry_run": {"type": "boolean"},
            "changed": {"type": "boolean"},
            "kinds": {
                "type": "object",
                "required": list(KINDS),
                "properties": {kind: _OUTCOMES for kind in KINDS},
            },
            "warnings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["pointer", "message"],
                    "properties": {"pointer": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    # An AsyncAPI 3.0 document (app.core.asyncapi.writing); its schema is AsyncAPI's own.
    "AsyncApiDocument": {
        "type": "object",
        "required": ["asyncapi", "info"],
        "properties": {"asyncapi": {"const": "3.0.0"}, "info": {"type": "object"}},
    },
    # app.core.asyncapi.diff.AsyncApiDiff.to_dict
    "AsyncApiDiff": object_of(
        {
            "level": one_of(CompatibilityLevel),
            "breaking": {"type": "boolean"},
            "changes": {
                "type": "array",
                "items": object_of(
                    {
                        "kind": one_of(ChangeKind),
                        "breaking": {"type": "boolean"},
                        "channel": TEXT,
                        "message": MAYBE_TEXT,
                        "detail": TEXT,
                        # the compatibility engine's differences (CompatibilityResult's)
                        "differences": {"type": "array", "items": ANY},
                    }
                ),
            },
        }
    ),
}
