"""One readable sentence per difference, told from the user's side of the change.

A difference type names what the comparison's *reader* sees of the *writer*'s schema. Under
BACKWARD the new schema reads data of the old one, so the type reads as the user's change; under
FORWARD the old schema reads data of the new one, so the type is the user's change turned round
(a property the new schema adds is one the old reader sees "removed"). Messages therefore turn
the type back before describing the change, and say who may reject what. Values are shown as
JSON (``true``, ``null``, ``"text"``), never as Python reprs.
"""

from __future__ import annotations

import json
from typing import Any

from app.core.compatibility.types import ANNOTATIONS, STRICT_COMPATIBLE
from app.core.pointers import split_pointer
from app.core.schema.messages import show as show_json

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
_CHANGES = {
    "ADDED": "gained {w} {n}",
    "REMOVED": "dropped {w} {o}",
    "INCREASED": "raised {w} from {o} to {n}",
    "DECREASED": "lowered {w} from {o} to {n}",
    "CHANGED": "changed {w} from {o} to {n}",
    "EXPANDED": "changed {w} from {o} to {n}",
    "REDUCED": "changed {w} from {o} to {n}",
}
# What changed from the old schema to the new one, for the types a keyword rule does not cover.
_WHAT = {
    "TYPE_CHANGED": "changed from {ko} to {kn}",
    "TYPE_NARROWED": "narrowed from number to integer (a value such as 12.5 no longer fits)",
    "TYPE_EXTENDED": "widened from integer to number",
    "SCHEMA_ADDED": "gained a schema where there was none",
    "SCHEMA_REMOVED": "lost its schema",
    "ID_CHANGED": "changed its $id from {o} to {n}",
    "TITLE_CHANGED": "changed its title from {o} to {n}",
    "DESCRIPTION_CHANGED": "changed its description",
    "DEFAULT_CHANGED": "changed its default from {o} to {n}",
    "REQUIRED_ATTRIBUTE_ADDED": "became required",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": "became required (it has a default)",
    "REQUIRED_ATTRIBUTE_REMOVED": "is no longer required",
    "ENUM_ARRAY_NARROWED": "lost allowed values {lost}",
    "ENUM_ARRAY_EXTENDED": "gained allowed values {gained}",
    "ENUM_ARRAY_CHANGED": "changed its allowed values from {o} to {n}",
    "ADDITIONAL_PROPERTIES_REMOVED": "now forbids undeclared properties",
    "ADDITIONAL_PROPERTIES_ADDED": "now allows undeclared properties",
    "ADDITIONAL_PROPERTIES_NARROWED": "constrains undeclared properties more",
    "ADDITIONAL_PROPERTIES_EXTENDED": "constrains undeclared properties less",
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": "changed its branches so that no pairing of old and new "
    "branches keeps every old branch readable",
    "SUM_TYPE_NARROWED": "lost alternatives ({o} -> {n} branches)",
    "SUM_TYPE_EXTENDED": "gained alternatives ({o} -> {n} branches)",
    "PRODUCT_TYPE_EXTENDED": "gained conditions in allOf ({o} -> {n})",
    "PRODUCT_TYPE_NARROWED": "lost conditions in allOf ({o} -> {n})",
    "CONSTRUCT_NOT_COMPARED": "could not be compared: {n}",
    "REQUIRED_UNDECLARED_PROPERTY_ADDED": "became required although no schema declares it",
    "BYTES_ENCODING_CHANGED": "changed from {ko} to {kn} under Kafka Connect's bytes encoding",
}
_CONSEQUENCE = {
    ("backward", False): "data written with the old schema may be rejected by the new schema.",
    ("backward", True): "the new schema still accepts every value the old one accepted.",
    ("forward", False): "data written with the new schema may be rejected by consumers still "
    "reading with the old schema.",
    ("forward", True): "consumers still reading with the old schema accept data written with "
    "the new one.",
}
# Why a change breaks, where the rule is not obvious (keyed by the comparison's own type).
_WHY = {
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": "earlier data may already carry that name "
    "with any value (close the object with additionalProperties: false, or use the lenient "
    "policy)",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": "data that carries the name is refused once "
    "it is no longer declared (keep it declared, or use the lenient policy)",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL": "earlier data may carry that "
    "name with any value",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": "a validator fills in no default, so data without "
    "it is refused (Confluent, and Eventry's lenient policy, accept it for readers that fill "
    "defaults in)",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL": "a validator fills in no "
    "default, so earlier data without it is refused (Confluent, and Eventry's lenient policy, "
    "accept it)",
    "REQUIRED_UNDECLARED_PROPERTY_ADDED": "earlier data may lack it (Confluent does not look at "
    "required names that properties does not declare)",
    "BYTES_ENCODING_CHANGED": "a value of the old kind no longer validates (Confluent accepts "
    "this for Kafka Connect, whose converters map both kinds to bytes)",
}
# Turning a type round (the reader's view of a FORWARD comparison into the user's change).
_OPPOSITES = (
    ("_ADDED_TO_", "_REMOVED_FROM_"),
    ("_ADDED", "_REMOVED"),
    ("_INCREASED", "_DECREASED"),
    ("_EXTENDED", "_NARROWED"),
    ("_REDUCED", "_EXPANDED"),
)


def user_change(diff_type: str, direction: str) -> str:
    """Return the difference type as the user's own change from the old schema to the new one."""
    if direction != "forward":
        return diff_type
    for first, second in _OPPOSITES:
        if first in diff_type:
            return diff_type.replace(first, second, 1)
        if second in diff_type:
            return diff_type.replace(second, first, 1)
    return diff_type


_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_OWNED = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "additionalItems",
        "unevaluatedItems",
        "propertyNames",
        "required",
        "dependencies",
        "dependentRequired",
        "enum",
        "const",
        "type",
    }
)


def subject(path: str) -> str:
    """Name the place a path points to, e.g. 'Property "total"'; a path ending in a keyword
    (``/additionalProperties``, ``/required/x``) names the schema that holds it."""
    parts = split_pointer(path) if path.startswith("/") else []
    if len(parts) >= 1 and parts[-1] in _OWNED and (len(parts) < 2 or parts[-2] not in _MAPS):
        parts = parts[:-1]
    elif len(parts) >= 2 and parts[-2] == "required":
        return f"Property {json.dumps(parts[-1], ensure_ascii=False)}"
    if not parts:
        return "The root schema"
    if len(parts) >= 2 and parts[-2] == "properties":
        return f"Property {json.dumps(parts[-1], ensure_ascii=False)}"
    if len(parts) >= 2 and parts[-2] in ("items", "prefixItems") and parts[-1].isdigit():
        return f"Tuple item {parts[-1]}"
    return f"The schema at {path}"


def show(value: Any, absent: str = "nothing") -> str:
    """A value as JSON text (cut short); ``nothing`` where a keyword is absent (None)."""
    return absent if value is None else show_json(value)


def _values(old: Any, new: Any, values: bool) -> dict[str, str]:
    # ``values``: old and new are JSON values (an enum's, a const's), where None means null.
    old_list = old if isinstance(old, list) else []
    new_list = new if isinstance(new, list) else []
    lost = [v for v in old_list if v not in new_list]
    gained = [v for v in new_list if v not in old_list]
    absent = "null" if values else "nothing"
    return {
        "o": show(old, absent),
        "n": show(new, absent),
        "lost": show(lost),
        "gained": show(gained),
        "ko": str(old),  # kinds of schema ("string", "allOf"…) are words, not JSON values
        "kn": str(new),
    }


def _describe(change: str, path: str, values: dict[str, str]) -> str:
    prefix, _, verb = change.rpartition("_")
    word = _KEYWORDS.get(prefix)
    if word is not None and verb in _CHANGES:
        where = path.rsplit("/", 1)[0] if path.endswith("/" + word) else path
        return f"{subject(where)} " + _CHANGES[verb].format(w=word, **values)
    template = _WHAT.get(change)
    if template is not None:
        return f"{subject(path)} " + template.format(**values)
    if "PROPERTY" in change and ("_ADDED" in change or "_REMOVED" in change):
        added = "_ADDED" in change
        where = _model(change)
        verb = "added" if added else "removed"
        joint = (" to" if added else " from") + where if where else ""
        return f"{subject(path)} was {verb}{joint}"
    return f"{subject(path)}: {change.lower().replace('_', ' ')}"


def _model(change: str) -> str:
    for marker, words in (
        ("PARTIALLY_OPEN", " a partly open object (other names meet a schema)"),
        ("UNOPEN", " a closed object (it refuses undeclared properties)"),
        ("CLOSED", " a closed object (it refuses undeclared properties)"),
        ("OPEN", " an open object (it allows any undeclared property)"),
    ):
        if marker in change:
            return words
    return ""


def message(diff_type: str, path: str, old: Any, new: Any, direction: str = "backward") -> str:
    """Return one sentence explaining a difference: what changed from the old (registered)
    schema to the new one, and who may reject what because of it. ``old``/``new`` are the
    values in the registered and the new schema; ``direction`` is "backward" or "forward"."""
    change = user_change(diff_type, direction)
    # An enum's, a const's and a default's values are JSON, where None is null (a default that
    # is absent reads as null too, as Confluent's model has it).
    values = change.startswith("ENUM_ARRAY") or change == "DEFAULT_CHANGED"
    what = _describe(change, path, _values(old, new, values))
    if diff_type in ANNOTATIONS:
        return f"{what}; an annotation, which changes no value either side accepts."
    consequence = _CONSEQUENCE[(direction, diff_type in STRICT_COMPATIBLE)]
    # The reasons are told from old data's side: they fit only the backward direction.
    why = _WHY.get(diff_type) if direction == "backward" else None
    return f"{what}: {consequence[:-1]}; {why}." if why else f"{what}: {consequence}"
