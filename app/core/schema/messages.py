"""Validation messages that speak JSON (``true``, ``null``, ``"text"``), never Python reprs,
and stay short however large the values they quote (an enum of 100,000 values is summarised)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from app.core.canonical import CanonicalJSONError, canonical_json

_MAX_TEXT = 80
_MAX_LISTED = 8


def show(value: Any) -> str:
    """Return a value as JSON text, cut to about 80 characters (arrays and objects say how many
    members they have when cut); an array of up to 8 members shows each of them, cut alone.
    Numbers are spelled as in canonical JSON (``1e-7``, not Python's ``1e-07``)."""
    # Only the members shown are looked at: an enum of 100,000 values costs 8 checks, not all.
    shown_part = value[:_MAX_LISTED] if isinstance(value, list) else []
    if shown_part and all(not isinstance(v, dict | list) for v in shown_part):
        shown = ", ".join(show(item) for item in value[:_MAX_LISTED])
        more = f", … {len(value) - _MAX_LISTED} more" if len(value) > _MAX_LISTED else ""
        return f"[{shown}{more}]"
    if isinstance(value, list) and len(value) > _MAX_LISTED:
        shown = ", ".join(show(item) for item in value[:_MAX_LISTED])
        return f"[{shown}, … {len(value) - _MAX_LISTED} more]"
    if isinstance(value, float):
        try:
            return canonical_json(value)
        except CanonicalJSONError:
            return json.dumps(value)
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    if len(text) <= _MAX_TEXT:
        return text
    size = f" ({len(value)} members)" if isinstance(value, dict | list) else ""
    return text[: _MAX_TEXT - 1] + "…" + size


def _names(names: Any) -> str:
    return ", ".join(show(name) for name in list(names)[:_MAX_LISTED]) + (
        f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else ""
    )


def _required(e: ValidationError) -> str:
    missing = [n for n in e.validator_value if isinstance(e.instance, dict) and n not in e.instance]
    return f"{_names(missing or e.validator_value)} is a required property"


def _unexpected(e: ValidationError, kind: str) -> str:
    known = e.schema.get("properties", {}) if isinstance(e.schema, dict) else {}
    extra = [k for k in e.instance if k not in known] if isinstance(e.instance, dict) else []
    return f"{kind} properties are not allowed ({_names(extra)} unexpected)" if extra else e.message


def _type(e: ValidationError) -> str:
    wanted = e.validator_value
    types = " or ".join(show(t) for t in wanted) if isinstance(wanted, list) else show(wanted)
    return f"{show(e.instance)} is not of type {types}"


_TEMPLATES: dict[str, Callable[[ValidationError], str]] = {
    "type": _type,
    "required": _required,
    "enum": lambda e: f"{show(e.instance)} is not one of {show(e.validator_value)}",
    "const": lambda e: f"{show(e.validator_value)} was expected, not {show(e.instance)}",
    "additionalProperties": lambda e: _unexpected(e, "Additional"),
    "unevaluatedProperties": lambda e: _unexpected(e, "Unevaluated"),
    "minLength": lambda e: f"{show(e.instance)} is shorter than {e.validator_value} characters",
    "maxLength": lambda e: f"{show(e.instance)} is longer than {e.validator_value} characters",
    "pattern": lambda e: f"{show(e.instance)} does not match {show(e.validator_value)}",
    "format": lambda e: f"{show(e.instance)} is not a valid {show(e.validator_value)}",
    "minimum": lambda e: f"{show(e.instance)} is less than the minimum {show(e.validator_value)}",
    "maximum": lambda e: (
        f"{show(e.instance)} is greater than the maximum {show(e.validator_value)}"
    ),
    "exclusiveMinimum": lambda e: f"{show(e.instance)} is not greater than {_bound(e, 'minimum')}",
    "exclusiveMaximum": lambda e: f"{show(e.instance)} is not less than {_bound(e, 'maximum')}",
    "multipleOf": lambda e: f"{show(e.instance)} is not a multiple of {show(e.validator_value)}",
    "minItems": lambda e: (
        f"{show(e.instance)} has fewer items than the minimum of {e.validator_value}"
    ),
    "maxItems": lambda e: (
        f"{show(e.instance)} has more items than the maximum of {e.validator_value}"
    ),
    "uniqueItems": lambda e: f"{show(e.instance)} has non-unique items",
    "minProperties": lambda e: f"{show(e.instance)} has fewer than {e.validator_value} properties",
    "maxProperties": lambda e: f"{show(e.instance)} has more than {e.validator_value} properties",
    "not": lambda e: f"{show(e.instance)} must not be valid under {show(e.validator_value)}",
    "anyOf": lambda e: (
        f"{show(e.instance)} is not valid under any of the anyOf schemas" + _closest(e)
    ),
    "oneOf": lambda e: _one_of(e),
    "contains": lambda e: f"{show(e.instance)} does not contain enough items matching contains",
    "dependentRequired": lambda e: e.message.replace("'", '"'),
    "dependencies": lambda e: e.message.replace("'", '"'),
}


def _bound(e: ValidationError, draft4_word: str) -> str:
    # Draft-04 writes exclusiveMaximum: true beside maximum; later drafts give the bound itself.
    value = e.validator_value
    if isinstance(value, bool) and isinstance(e.schema, dict):
        value = e.schema.get(draft4_word)
    return show(value)


def _one_of(e: ValidationError) -> str:
    if "is valid under each of" in e.message:
        return f"{show(e.instance)} is valid under more than one of the oneOf schemas"
    return f"{show(e.instance)} is not valid under any of the oneOf schemas" + _closest(e)


def _closest(e: ValidationError) -> str:
    # python-jsonschema's best_match picks the branch error most likely meant (deepest, most
    # specific), e.g. the enum of type names when "type": "text" fails the meta-schema's anyOf.
    if not e.context:
        return ""
    return f" (closest: {message_of(best_match(e.context))})"


def message_of(error: ValidationError) -> str:
    """Return the error's message in JSON terms (python-jsonschema's own for rare keywords)."""
    if error.validator is None:  # a false schema
        return f"{show(error.instance)} is not allowed here (the schema is false)"
    template = _TEMPLATES.get(str(error.validator))
    return template(error) if template is not None else error.message
