"""Difference cases for strings, numbers, enums, annotations and booleans.

Each case: (id, old, new, expected type, strict verdict, lenient verdict).
"""

from __future__ import annotations

S = {"type": "string"}
N = {"type": "number"}
I = {"type": "integer"}  # noqa: E741


def obj(props: dict, **extra: object) -> dict:
    """Build an object schema with the given properties and extra keywords."""
    return {"type": "object", "properties": props, **extra}


SCALAR_CASES = [
    (
        "maxLength up",
        {**S, "maxLength": 10},
        {**S, "maxLength": 12},
        "MAX_LENGTH_INCREASED",
        True,
        True,
    ),
    (
        "maxLength down",
        {**S, "maxLength": 12},
        {**S, "maxLength": 10},
        "MAX_LENGTH_DECREASED",
        False,
        False,
    ),
    ("maxLength added", S, {**S, "maxLength": 5}, "MAX_LENGTH_ADDED", False, False),
    ("maxLength removed", {**S, "maxLength": 5}, S, "MAX_LENGTH_REMOVED", True, True),
    (
        "minLength up",
        {**S, "minLength": 1},
        {**S, "minLength": 2},
        "MIN_LENGTH_INCREASED",
        False,
        False,
    ),
    (
        "minLength down",
        {**S, "minLength": 2},
        {**S, "minLength": 1},
        "MIN_LENGTH_DECREASED",
        True,
        True,
    ),
    ("pattern added", S, {**S, "pattern": "^a"}, "PATTERN_ADDED", False, False),
    ("pattern removed", {**S, "pattern": "^a"}, S, "PATTERN_REMOVED", True, True),
    (
        "pattern changed",
        {**S, "pattern": "^a"},
        {**S, "pattern": "^b"},
        "PATTERN_CHANGED",
        False,
        False,
    ),
    ("format added", S, {**S, "format": "uuid"}, "FORMAT_ADDED", False, False),
    ("format removed", {**S, "format": "uuid"}, S, "FORMAT_REMOVED", True, True),
    (
        "format changed",
        {**S, "format": "uuid"},
        {**S, "format": "email"},
        "FORMAT_CHANGED",
        False,
        False,
    ),
    ("maximum up", {**N, "maximum": 5}, {**N, "maximum": 6}, "MAXIMUM_INCREASED", True, True),
    ("maximum down", {**N, "maximum": 6}, {**N, "maximum": 5}, "MAXIMUM_DECREASED", False, False),
    ("maximum added", N, {**N, "maximum": 5}, "MAXIMUM_ADDED", False, False),
    ("minimum up", {**N, "minimum": 1}, {**N, "minimum": 2}, "MINIMUM_INCREASED", False, False),
    ("minimum down", {**N, "minimum": 2}, {**N, "minimum": 1}, "MINIMUM_DECREASED", True, True),
    ("minimum removed", {**N, "minimum": 2}, N, "MINIMUM_REMOVED", True, True),
    (
        "exclusiveMaximum up",
        {**N, "exclusiveMaximum": 5},
        {**N, "exclusiveMaximum": 9},
        "EXCLUSIVE_MAXIMUM_INCREASED",
        True,
        True,
    ),
    (
        "exclusiveMaximum down",
        {**N, "exclusiveMaximum": 9},
        {**N, "exclusiveMaximum": 5},
        "EXCLUSIVE_MAXIMUM_DECREASED",
        False,
        False,
    ),
    (
        "exclusiveMinimum up",
        {**N, "exclusiveMinimum": 1},
        {**N, "exclusiveMinimum": 3},
        "EXCLUSIVE_MINIMUM_INCREASED",
        False,
        False,
    ),
    (
        "exclusiveMinimum down",
        {**N, "exclusiveMinimum": 3},
        {**N, "exclusiveMinimum": 1},
        "EXCLUSIVE_MINIMUM_DECREASED",
        True,
        True,
    ),
    (
        "multipleOf reduced",
        {**N, "multipleOf": 10},
        {**N, "multipleOf": 5},
        "MULTIPLE_OF_REDUCED",
        True,
        True,
    ),
    (
        "multipleOf expanded",
        {**N, "multipleOf": 0.5},
        {**N, "multipleOf": 10},
        "MULTIPLE_OF_EXPANDED",
        False,
        False,
    ),
    (
        "multipleOf changed",
        {**N, "multipleOf": 10},
        {**N, "multipleOf": 3},
        "MULTIPLE_OF_CHANGED",
        False,
        False,
    ),
    ("integer to number", I, N, "TYPE_EXTENDED", True, True),
    ("number to integer", N, I, "TYPE_NARROWED", False, False),
    ("string to number", S, N, "TYPE_CHANGED", False, False),
    ("enum extended", {"enum": ["a"]}, {"enum": ["a", "b"]}, "ENUM_ARRAY_EXTENDED", True, True),
    ("enum narrowed", {"enum": ["a", "b"]}, {"enum": ["a"]}, "ENUM_ARRAY_NARROWED", False, False),
    ("enum changed", {"enum": ["a"]}, {"enum": ["b"]}, "ENUM_ARRAY_CHANGED", False, False),
    ("const changed", {"const": 1}, {"const": 2}, "ENUM_ARRAY_CHANGED", False, False),
    ("const to wider enum", {"const": 1}, {"enum": [1, 2]}, "ENUM_ARRAY_EXTENDED", True, True),
    ("enum true is not 1", {"enum": [1]}, {"enum": [True]}, "ENUM_ARRAY_CHANGED", False, False),
    ("title changed", {**S, "title": "a"}, {**S, "title": "b"}, "TITLE_CHANGED", True, True),
    (
        "description changed",
        {**S, "description": "a"},
        {**S, "description": "b"},
        "DESCRIPTION_CHANGED",
        True,
        True,
    ),
    (
        "default changed",
        {**S, "default": "a"},
        {**S, "default": "b"},
        "DEFAULT_CHANGED",
        True,
        True,
    ),
]
