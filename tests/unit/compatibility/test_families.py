"""Kinds of wrong answers other registries gave, each as a family of inputs (issue #10 item 5)."""

from __future__ import annotations

import json
import re

import pytest

from app.core.evidence import broken_samples
from app.core.validation import validate_event
from app.core.vocabulary import CompatibilityLevel
from tests.unit.compatibility.cases_arrays import ARRAY_AND_COMBINED_CASES
from tests.unit.compatibility.cases_scalars import SCALAR_CASES
from tests.unit.compatibility.cases_structures import OBJECT_CASES
from tests.unit.compatibility.engine import check, compare, doc

S2020 = "https://json-schema.org/draft/2020-12/schema"


# multipleOf: the engine's "reduced: compatible" is never contradicted by sample evidence.
@pytest.mark.parametrize(
    ("old", "new", "values"),
    [
        (0.02, 0.01, [4.02, 0.04, 19.98, 100.02]),
        (0.2, 0.1, [0.6, 0.2, 1.4, 7.0]),
        (0.5, 0.25, [0.5, 1.5, 2.0, 1e10]),
        (0.3, 0.1, [0.3, 0.9, 3.3]),
        (1.5, 0.5, [4.5, 1.5, -3.0]),
        (0.0006, 0.0002, [0.0012, 0.0006]),
    ],
)
def test_a_reduced_multiple_of_keeps_every_old_value_valid(old, new, values):
    before, after = {"type": "number", "multipleOf": old}, {"type": "number", "multipleOf": new}
    [difference] = compare(before, after)
    assert difference.type == "MULTIPLE_OF_REDUCED"
    assert check([(1, before)], after, "BACKWARD").compatible
    samples = [(f"s{i}", value) for i, value in enumerate(values)]
    assert all(validate_event(doc(before), value) == [] for _, value in samples)
    assert (
        broken_samples(samples, [(1, doc(before))], doc(after), CompatibilityLevel.BACKWARD) == []
    )


@pytest.mark.parametrize(
    ("value", "divisor", "valid"),
    [(4.02, 0.01, True), (0.7, 0.1, True), (19.99, 0.01, True), (0.75, 0.1, False)],
)
def test_validation_uses_exact_decimals(value, divisor, valid):
    errors = validate_event(doc({"multipleOf": divisor}), value)
    assert (errors == []) is valid
    if not valid:
        assert errors[0].message == f"{json.dumps(value)} is not a multiple of {divisor}"


# Objects closed through composition are closed.
def _composed(closing: dict, extra: dict | None = None) -> dict:
    base = {"type": "object", "properties": {"id": {"type": "string"}, **(extra or {})}}
    return {"$schema": S2020, "$defs": {"base": base}, "allOf": [{"$ref": "#/$defs/base"}]} | (
        closing
    )


def test_adding_an_optional_property_under_unevaluated_properties_false():
    closing = {"unevaluatedProperties": False}
    old, new = _composed(closing), _composed(closing, {"note": {"type": "string"}})
    types = [d.type for d in compare(old, new)]
    assert types == ["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"]
    assert check([(1, old)], new, "BACKWARD").compatible


def test_the_same_change_on_an_open_composition_is_refused_under_strict():
    old, new = _composed({}), _composed({}, {"note": {"type": "string"}})
    assert not check([(1, old)], new, "BACKWARD").compatible
    assert check([(1, old)], new, "BACKWARD", "lenient").compatible


def test_a_composition_that_evaluates_other_names_stays_open():
    closing = {"unevaluatedProperties": False, "patternProperties": {"^x-": {}}}
    old, new = _composed(closing), _composed(closing, {"note": {"type": "string"}})
    assert not check([(1, old)], new, "BACKWARD").compatible


def _sibling_closed(declared: dict, added: dict | None) -> dict:
    closed = {"type": "object", "properties": declared, "additionalProperties": False}
    branch = {"type": "object", "properties": added or {}}
    return {"allOf": [closed, {"$ref": "#/definitions/b"}], "definitions": {"b": branch}}


def test_additional_properties_false_in_a_sibling_branch_closes_the_value():
    old = _sibling_closed({"id": {}}, None)
    new = _sibling_closed({"id": {}}, {"note": {"type": "string"}})
    assert check([(1, old)], new, "BACKWARD").compatible


@pytest.mark.parametrize(
    ("sibling", "compatible"),
    [({}, False), ({"type": "string"}, True), ({"type": "string", "maxLength": 3}, True)],
    ids=["any value", "same type", "narrower"],
)
def test_a_name_a_closing_sibling_declares_is_judged_by_its_schema(sibling, compatible):
    # Old data may carry "note" as the sibling allows it; the new branch needs a string.
    old = _sibling_closed({"id": {}, "note": sibling}, None)
    new = _sibling_closed({"id": {}, "note": sibling}, {"note": {"type": "string"}})
    assert check([(1, old)], new, "BACKWARD").compatible is compatible


def test_additional_properties_false_reached_through_a_ref_is_closed():
    def schema(extra):
        props = {"id": {"type": "string"}, **extra}
        target = {"type": "object", "properties": props, "additionalProperties": False}
        return {"definitions": {"t": target}, "properties": {"o": {"$ref": "#/definitions/t"}}}

    old, new = schema({}), schema({"note": {"type": "string"}})
    [difference] = compare(old, new)
    assert difference.type == "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    assert difference.path == "/properties/o/properties/note"
    assert difference.new_pointer == "/definitions/t/properties/note"
    assert difference.refs[1] == ("/properties/o/$ref",)


# Strict goes beyond Confluent where Confluent's verdict lets old data be rejected.
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            {"properties": {"a": {}}, "required": ["a"]},
            {"properties": {"a": {}}, "required": ["b"]},
        ),
        ({"properties": {"a": {}}}, {"properties": {"a": {}}, "required": ["ghost"]}),
        ({"type": "object"}, {"type": "object", "required": ["x", "y"]}),
    ],
)
def test_requiring_an_undeclared_name_is_refused_under_strict(old, new):
    assert "REQUIRED_UNDECLARED_PROPERTY_ADDED" in [d.type for d in compare(old, new)]
    assert not check([(1, old)], new, "BACKWARD").compatible
    assert check([(1, old)], new, "BACKWARD", "lenient").compatible == (
        "REQUIRED_ATTRIBUTE_ADDED" not in [d.type for d in compare(old, new)]
    )


@pytest.mark.parametrize("closed", [True, False])
def test_requiring_a_property_because_it_has_a_default_is_refused_under_strict(closed):
    tail = {"additionalProperties": False} if closed else {}
    old = {"type": "object", "properties": {"a": {"type": "string"}}, **tail}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string", "default": "x"}},
        "required": ["b"],
        **tail,
    }
    assert validate_event(doc(old), {"a": "v"}) == []
    assert validate_event(doc(new), {"a": "v"}) != []  # the counter-example
    assert not check([(1, old)], new, "BACKWARD").compatible
    assert check([(1, old)], new, "BACKWARD", "lenient").compatible  # Confluent's verdict


# A narrowed enum on a typed property names the values it lost.
@pytest.mark.parametrize(
    ("typed", "old_values", "new_values", "lost"),
    [
        ("string", ["red", "green", "blue"], ["red"], ["green", "blue"]),
        ("integer", [1, 2, 3], [1, 3], [2]),
        (["string", "null"], ["a", None], ["a"], [None]),
        ("boolean", [True, False], [True], [False]),
    ],
)
def test_narrowing_a_typed_enum_is_an_enum_narrowing(typed, old_values, new_values, lost):
    def schema(values):
        return {"type": "object", "properties": {"c": {"type": typed, "enum": values}}}

    differences = compare(schema(old_values), schema(new_values))
    [narrowed] = [d for d in differences if d.type == "ENUM_ARRAY_NARROWED"]
    assert narrowed.path == "/properties/c/enum"
    assert f"lost allowed values {json.dumps(lost)}" in narrowed.message
    assert "COMBINED_TYPE_SUBSCHEMAS_CHANGED" not in [d.type for d in differences]


def test_narrowing_an_enum_behind_a_ref_points_at_the_target():
    def schema(values):
        return {
            "definitions": {"colour": {"type": "string", "enum": values}},
            "properties": {"c": {"$ref": "#/definitions/colour"}},
        }

    [difference] = compare(schema(["a", "b"]), schema(["a"]))
    assert difference.type == "ENUM_ARRAY_NARROWED"
    assert difference.old_pointer == "/definitions/colour/enum"


# FULL says which direction failed; every message reads right for its direction.
def test_full_names_the_failing_direction_and_tells_it_from_the_user_side():
    old = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "additionalProperties": False,
    }
    result = check([(1, old)], new, "FULL")
    assert result.direction == "forward" and result.failed_version == 1
    [difference] = [d for d in result.differences if d.type.startswith("PROPERTY_REMOVED")]
    assert 'Property "b" was added' in difference.message
    assert "removed" not in difference.message
    assert (difference.old, difference.new) == (None, {"type": "string"})
    assert difference.new_pointer == "/properties/b" and difference.old_pointer is None


_PYTHON_REPRS = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|'[^']*'")


@pytest.mark.parametrize(
    "case", SCALAR_CASES + OBJECT_CASES + ARRAY_AND_COMBINED_CASES, ids=lambda c: c[0]
)
def test_messages_speak_json_in_both_directions(case):
    _name, old, new, *_ = case
    for level in ("BACKWARD", "FORWARD"):
        result = check([(1, old)], new, level, "lenient")
        for difference in result.differences + compare(old, new):
            assert not _PYTHON_REPRS.search(difference.message), difference.message


def test_validation_messages_speak_json():
    schema = {
        "type": "object",
        "properties": {"flag": {"const": True}, "none": {"type": "null"}, "s": {"enum": [None]}},
        "required": ["missing"],
    }
    errors = validate_event(doc(schema), {"flag": False, "none": "x", "s": "y"})
    assert len(errors) == 4
    for error in errors:
        assert not _PYTHON_REPRS.search(error.message), error.message
