"""The building blocks of the answers' JSON Schemas: the few member shapes every answer module
(app/api/answers.py and its companions, one per group of endpoints) writes its shapes with, so
that "a text", "a page's count" or "one of an enum's values" is said once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
NUMBER = {"type": "integer", "minimum": 1}  # an id or a version number
ANY: dict[str, Any] = {}  # any JSON value: a schema, an event, a pattern, an audit snapshot
LINKS = {"type": "object", "required": ["self"], "properties": {"self": TEXT}}
TEXTS = {"type": "array", "items": TEXT}
COUNT = {"type": "integer", "minimum": 0}


def one_of(values: Iterable[Any], nullable: bool = False) -> dict[str, Any]:
    """One of ``values`` (an enum's members, as their strings), or null when ``nullable``."""
    listed = [str(value) for value in values]
    return {"enum": [*listed, None] if nullable else listed}


def object_of(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with these members (``required`` always there, ``optional`` sometimes); open
    (no ``additionalProperties: false``), so a member added later breaks no client."""
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def ref(name: str) -> dict[str, str]:
    """A reference to the answer ``name`` among the OpenAPI document's components."""
    return {"$ref": f"#/components/schemas/{name}"}
