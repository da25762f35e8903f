"""The shapes of what clients send to write: Eventry's own JSON Schemas in schemas/api/, which
the API checks its request bodies against and the web UI checks its forms against, so both
refuse the same input with the same messages."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from app.config import SCHEMAS
from app.core.errors import InvalidInput
from app.core.schema import SchemaDocument
from app.core.validation import validate_event
from app.core.words import counted
from app.services import schemas

BODY_SCHEMAS = SCHEMAS / "api"


@cache
def body_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of a request body, from schemas/api/NAME.json."""
    return json.loads((BODY_SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


@cache
def body_document(name: str) -> SchemaDocument:
    """The request body's schema as a document (Eventry's own: trusted, built once)."""
    return schemas.trusted(body_schema(name))


def check_body(name: str, body: Any) -> None:
    """Raise InvalidInput (422) naming every place where ``body`` does not match the schema
    ``name`` (each ``{"pointer", "message"}``)."""
    errors = validate_event(body_document(name), body)
    if errors:
        raise InvalidInput(
            f"the request body does not match the {name} schema ({counted(len(errors), 'error')})",
            [{"pointer": e.path, "message": e.message} for e in errors],
        )
