"""A referenced schema is read in its own dialect, never the referrer's.

Each stored schema has its dialect (its ``$schema``, else the registry's default when it was
stored). A 2020-12 event that references a draft-07 type (or the other way round) is validated,
compared and walked with the referenced keywords meaning what the referenced draft says:
``dependencies``, the array form of ``items`` with ``additionalItems``, siblings of ``$ref``.
"""

from __future__ import annotations

from typing import Any

from app.core import compatibility
from app.core.schema import Dialect, Reference, SchemaDocument
from app.core.validation import is_valid, validate_event

S20 = "https://json-schema.org/draft/2020-12/schema"
S07 = "http://json-schema.org/draft-07/schema#"

# Draft-07 meanings that 2020-12 reads otherwise (or not at all).
DRAFT7_TYPE = {
    "type": "object",
    "properties": {
        "card": {"type": "string"},
        "pair": {"items": [{"type": "string"}], "additionalItems": False},
        "code": {"$ref": "#/definitions/Code", "maxLength": 2},
    },
    "dependencies": {"card": ["billing"]},
    "definitions": {"Code": {"type": "string"}},
}
# 2020-12 meanings that draft-07 does not know.
DRAFT2020_TYPE = {
    "type": "object",
    "properties": {
        "pair": {"prefixItems": [{"type": "string"}], "items": False},
        "code": {"$ref": "#/$defs/Code", "maxLength": 2},
    },
    "dependentRequired": {"card": ["billing"]},
    "$defs": {"Code": {"type": "string"}},
}


def stored(raw: Any, dialect: Dialect) -> SchemaDocument:
    """A schema without $schema, stored under the dialect that was the default then."""
    return SchemaDocument.checked(raw, default=dialect)


def referring(dialect: Dialect, target: SchemaDocument, **extra: Any) -> SchemaDocument:
    raw = {"$schema": dialect.uri, "type": "object", "properties": {"p": {"$ref": "t.json"}}}
    raw.update(extra)
    return SchemaDocument.checked(raw, references=[Reference("t.json", "shared.T", 1, target)])


def paths(document: SchemaDocument, event: Any) -> list[str]:
    return [error.path for error in validate_event(document, event)]


def test_a_draft7_type_referenced_by_a_2020_12_event_is_validated_as_draft7():
    document = referring(Dialect.DRAFT2020, stored(DRAFT7_TYPE, Dialect.DRAFT7))
    assert validate_event(document, {"p": {"card": "x", "billing": 1}}) == []
    # `dependencies` applies (2020-12 would ignore it)
    assert paths(document, {"p": {"card": "x"}}) == ["/p"]
    # the array form of `items` checks positions, `additionalItems` forbids the rest
    assert paths(document, {"p": {"pair": [1]}}) == ["/p/pair/0"]
    assert paths(document, {"p": {"pair": ["a", "b"]}}) == ["/p/pair"]
    # siblings of $ref are ignored before 2019-09
    assert validate_event(document, {"p": {"code": "longer than two"}}) == []


def test_a_2020_12_type_referenced_by_a_draft7_event_is_validated_as_2020_12():
    document = referring(Dialect.DRAFT7, stored(DRAFT2020_TYPE, Dialect.DRAFT2020))
    assert paths(document, {"p": {"card": "x"}}) == ["/p"]
    assert paths(document, {"p": {"pair": ["a", "b"]}}) == ["/p/pair"]
    assert paths(document, {"p": {"code": "long"}}) == ["/p/code"]
    assert validate_event(document, {"p": {"pair": ["a"], "code": "ok"}}) == []


def test_an_error_in_a_referenced_type_points_into_it_in_its_own_dialect():
    document = referring(Dialect.DRAFT2020, stored(DRAFT7_TYPE, Dialect.DRAFT7))
    [error] = validate_event(document, {"p": {"pair": [1]}})
    assert error.schema_path == "t.json#/properties/pair/items/0/type"
    assert error.refs == ("/properties/p/$ref",)


def test_a_referenced_type_naming_its_draft_keeps_eventrys_keywords():
    # A target with its own $schema: python-jsonschema would switch to its plain class, with
    # float `multipleOf` (0.07 is no multiple of 0.01 in binary floating point).
    money = {"$schema": S07, "type": "number", "multipleOf": 0.01, "dependencies": {}}
    document = referring(Dialect.DRAFT2020, SchemaDocument.checked(money))
    assert is_valid(document, {"p": 0.07})
    assert not is_valid(document, {"p": 0.075})


def test_a_chain_of_references_keeps_each_schema_in_its_own_dialect():
    inner = stored({"dependencies": {"a": ["b"]}}, Dialect.DRAFT7)
    middle = SchemaDocument.checked(
        {"$schema": S20, "properties": {"q": {"$ref": "inner.json"}}},
        references=[Reference("inner.json", "shared.Inner", 1, inner)],
    )
    document = referring(Dialect.DRAFT2020, middle)
    assert paths(document, {"p": {"q": {"a": 1}}}) == ["/p/q"]
    assert validate_event(document, {"p": {"q": {"a": 1, "b": 2}}}) == []


# --- compatibility ------------------------------------------------------------------------


def types(old: dict, new: dict, dialect: Dialect, referrer: Dialect) -> set[str]:
    before = referring(referrer, stored(old, dialect))
    after = referring(referrer, stored(new, dialect))
    return {difference.type for difference in compatibility.compare(before, after)}


def test_a_dependency_added_to_a_referenced_draft7_type_is_seen_by_a_2020_12_event():
    old = {"type": "object", "properties": {"card": {}}}
    new = {**old, "dependencies": {"card": ["billing"]}}
    assert "DEPENDENCY_ARRAY_ADDED" in types(old, new, Dialect.DRAFT7, Dialect.DRAFT2020)
    # the same keyword in a 2020-12 type means nothing: no difference
    assert "DEPENDENCY_ARRAY_ADDED" not in types(old, new, Dialect.DRAFT2020, Dialect.DRAFT2020)


def test_a_tuple_item_changed_in_a_referenced_draft7_type_is_seen_by_a_2020_12_event():
    old = {"type": "array", "items": [{"type": "string"}]}
    new = {"type": "array", "items": [{"type": "integer"}]}
    found = types(old, new, Dialect.DRAFT7, Dialect.DRAFT2020)
    assert "TYPE_CHANGED" in found


def test_siblings_of_ref_in_a_referenced_draft7_type_are_ignored_by_the_engine():
    old = {"$ref": "#/definitions/S", "definitions": {"S": {"type": "string"}}}
    new = {**old, "maxLength": 2}
    assert types(old, new, Dialect.DRAFT7, Dialect.DRAFT2020) == set()
    assert "MAX_LENGTH_ADDED" in types(old, new, Dialect.DRAFT2020, Dialect.DRAFT7)


def test_a_compatibility_check_of_a_draft7_referrer_reads_a_2020_12_type_as_2020_12():
    old = {"type": "object", "properties": {"card": {}}}
    new = {**old, "dependentRequired": {"card": ["billing"]}}
    assert "DEPENDENCY_ARRAY_ADDED" in types(old, new, Dialect.DRAFT2020, Dialect.DRAFT7)
    assert "DEPENDENCY_ARRAY_ADDED" not in types(old, new, Dialect.DRAFT7, Dialect.DRAFT7)
