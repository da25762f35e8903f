"""One readable sentence per difference."""

from __future__ import annotations

import json
from typing import Any

from app.core.compatibility.types import STRICT_COMPATIBLE

_KEYWORDS = {
    "MAX_LENGTH": "maxLength",
    "MIN_LENGTH": "minLength",
    "MAXIMUM": "maximum",
    "MINIMUM": "minimum",
    "EXCLUSIVE_MAXIMUM": "exclusiveMaximum",
    "EXCLUSIVE_MINIMUM": "exclusiveMinimum",
    "MAX_PROPERTIES": "maxProperties",
    "MIN_PROPERTIES": "minProperties",
    "MAX_ITEMS": "maxItems",
    "MIN_ITEMS": "minItems",
    "MAX_CONTAINS": "maxContains",
    "MIN_CONTAINS": "minContains",
    "MULTIPLE_OF": "multipleOf",
    "PATTERN": "pattern",
    "FORMAT": "format",
}
_SPECIFIC = {
    "TYPE_CHANGED": "{s} changed from {o} to {n}: data written with the old schema is of a kind "
    "the new schema rejects.",
    "TYPE_NARROWED": "{s} changed from number to integer: data written with the old schema may "
    "hold 12.5, which the new schema rejects.",
    "TYPE_EXTENDED": "{s} changed from integer to number, which accepts every old value.",
    "SCHEMA_ADDED": "{s} gained a schema where there was none, so old values it does not "
    "accept are now rejected.",
    "SCHEMA_REMOVED": "{s} lost its schema, so it no longer constrains values.",
    "ID_CHANGED": "{s} changed its $id from {o} to {n}.",
    "TITLE_CHANGED": "{s} changed its title from {o} to {n}.",
    "DESCRIPTION_CHANGED": "{s} changed its description.",
    "DEFAULT_CHANGED": "{s} changed its default from {o} to {n}.",
    "REQUIRED_ATTRIBUTE_ADDED": "{s} became required: data written with the old schema may omit "
    "it, which the new schema rejects.",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": "{s} became required and has a default, so readers "
    "fill it in when old data omits it.",
    "REQUIRED_ATTRIBUTE_REMOVED": "{s} is no longer required.",
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "{s} was added to an open object: data "
    "written with the old schema may already carry that name with any value, which the new "
    "schema may reject (close the object with additionalProperties: false, or use lenient).",
    "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "{s} was added as required: data written "
    "with the old schema may lack it, which the new schema rejects.",
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": "{s} was added as required: data written "
    "with the old schema lacks it, which the new schema rejects.",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": "{s} was removed from an object that forbids "
    "other properties: data written with the old schema may carry it and is now rejected.",
    "ADDITIONAL_PROPERTIES_REMOVED": "{s} now forbids undeclared properties: data written with "
    "the old schema may carry some, which the new schema rejects.",
    "ADDITIONAL_PROPERTIES_NARROWED": "{s} now constrains undeclared properties with a schema: "
    "data written with the old schema may carry values it rejects.",
    "ENUM_ARRAY_NARROWED": "{s} lost allowed values ({o} -> {n}): data written with the old "
    "schema may hold a value the new schema rejects.",
    "ENUM_ARRAY_CHANGED": "{s} changed its allowed values from {o} to {n}: data written with the "
    "old schema may hold a value the new schema rejects.",
    "ENUM_ARRAY_EXTENDED": "{s} gained allowed values ({o} -> {n}).",
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": "{s}: no branch pairing keeps every old branch readable, "
    "so data written with the old schema may match no branch of the new one.",
    "SUM_TYPE_NARROWED": "{s} lost alternatives ({o} -> {n}): data written with the old schema "
    "may match only a removed one.",
    "PRODUCT_TYPE_EXTENDED": "{s} gained conditions in allOf ({o} -> {n}): data written with the "
    "old schema may fail the new ones.",
}


def subject(path: str) -> str:
    """Name the place a path points to, e.g. "Property 'total'"."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    if not parts:
        return "The root schema"
    if len(parts) >= 2 and parts[-2] in ("properties", "required"):
        return f"Property '{parts[-1]}'"
    if len(parts) >= 2 and parts[-2] in ("items", "prefixItems") and parts[-1].isdigit():
        return f"Tuple item {parts[-1]}"
    return f"The schema at {path}"


def _show(value: Any) -> str:
    if value is None:
        return "none"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def _keyword_message(diff_type: str, path: str, o: str, n: str, ok: bool) -> str | None:
    prefix, _, change = diff_type.rpartition("_")
    word = _KEYWORDS.get(prefix)
    if word is None:
        return None
    where = subject(path.rsplit("/", 1)[0]) if path.endswith("/" + word) else subject(path)
    text = {
        "ADDED": f"gained {word} {n}",
        "REMOVED": f"dropped {word} {o}",
        "INCREASED": f"raised {word} from {o} to {n}",
        "DECREASED": f"lowered {word} from {o} to {n}",
        "CHANGED": f"changed {word} from {o} to {n}",
        "EXPANDED": f"changed {word} from {o} to {n}",
        "REDUCED": f"changed {word} from {o} to {n}",
    }.get(change)
    if text is None:
        return None
    return f"{where} {text}" + _verdict(ok)


def _verdict(ok: bool) -> str:
    if ok:
        return ", which accepts every value the old schema accepted."
    return ": data written with the old schema may hold values the new schema rejects."


def message(diff_type: str, path: str, old: Any, new: Any) -> str:
    """Return one sentence explaining a difference to a person."""
    o, n = _show(old), _show(new)
    ok = diff_type in STRICT_COMPATIBLE
    template = _SPECIFIC.get(diff_type)
    if template is not None:
        return template.format(s=subject(path), o=o, n=n)
    text = _keyword_message(diff_type, path, o, n, ok)
    if text is not None:
        return text
    words = diff_type.lower().replace("_", " ")
    return f"{subject(path)}: {words}" + (
        "; the new schema still accepts all old data."
        if ok
        else "; data written with the old schema may be rejected by the new schema."
    )
