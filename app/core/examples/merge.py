"""One schema from several that all apply (a node, its ``$ref`` target, its ``allOf`` members,
the branch of ``oneOf``/``anyOf`` chosen): the conjunction the generator builds a value from.

The merge is shallow and errs on the tight side: bounds take the tighter value, ``required``
and ``type`` combine, ``properties`` and ``items`` present in both become an ``allOf`` of the
two (merged again when walked). It need not be exact: every example is validated against the
real schema afterwards.
"""

from __future__ import annotations

from typing import Any

_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
# Members whose two schemas both apply: kept as an allOf of the two.
_BOTH = ("items", "additionalItems", "additionalProperties", "contains", "propertyNames")
# The keywords merge() consumes; the walker handles the others (applicators and references).
APPLICATORS = ("allOf", "anyOf", "oneOf", "if", "then", "else", "not")


def merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    """Add the constraints of ``part`` to ``into`` (both plain schema objects, with neither
    references nor applicators left to follow)."""
    for word, value in part.items():
        if word in APPLICATORS or (word.startswith("$") and word != "$schema"):
            continue
        if word not in into:
            into[word] = value
        elif word in _LOWER and _is_number(value) and _is_number(into[word]):
            into[word] = max(into[word], value)
        elif word in _UPPER and _is_number(value) and _is_number(into[word]):
            into[word] = min(into[word], value)
        elif word == "required" and isinstance(value, list):
            into[word] = list(dict.fromkeys([*into[word], *value]))
        elif word == "type":
            into[word] = _types(into[word], value)
        elif word == "enum" and isinstance(value, list) and isinstance(into[word], list):
            into[word] = [each for each in into[word] if each in value]
        elif word in ("properties", "patternProperties", "$defs", "definitions"):
            into[word] = _members(into[word], value)
        elif word in _BOTH:
            into[word] = {"allOf": [into[word], value]}


def _members(first: Any, second: Any) -> Any:
    if not isinstance(first, dict) or not isinstance(second, dict):
        return first
    joined = dict(first)
    for name, schema in second.items():
        joined[name] = {"allOf": [joined[name], schema]} if name in joined else schema
    return joined


def _types(first: Any, second: Any) -> list[str]:
    one = [first] if isinstance(first, str) else list(first)
    two = [second] if isinstance(second, str) else list(second)
    # integer is a number: an integer asked for on one side and any number on the other meet.
    both = [t for t in one if t in two or (t == "integer" and "number" in two)]
    both += [t for t in two if t == "integer" and "number" in one and t not in both]
    return both


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
