"""Levels, policies, transitive checks, references, recursion and errors."""

from __future__ import annotations

import copy

import pytest

from app.core.compatibility import (
    DIFFERENCE_TYPES,
    INVENTED_TYPES,
    LEVELS,
    POLICIES,
    CheckResult,
    is_compatible_type,
)
from tests.unit.compatibility.engine import check, compare

OPEN_V1 = {"type": "object", "properties": {"name": {"type": "string"}}}
OPEN_V2 = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
}
CLOSED_V1 = {**OPEN_V1, "additionalProperties": False}
CLOSED_V2 = {**OPEN_V2, "additionalProperties": False}


@pytest.mark.parametrize(
    ("previous", "new", "level", "policy", "compatible", "direction"),
    [
        # Optional property added to an open model: old data may already hold "email": 5.
        (OPEN_V1, OPEN_V2, "BACKWARD", "strict", False, "backward"),
        (OPEN_V1, OPEN_V2, "BACKWARD", "lenient", True, None),
        (OPEN_V1, OPEN_V2, "FORWARD", "strict", True, None),
        (OPEN_V1, OPEN_V2, "FULL", "strict", False, "backward"),
        (OPEN_V1, OPEN_V2, "FULL", "lenient", True, None),
        # The same change to a closed model: backward fine, forward drops a property.
        (CLOSED_V1, CLOSED_V2, "BACKWARD", "strict", True, None),
        (CLOSED_V1, CLOSED_V2, "FORWARD", "strict", False, "forward"),
        (CLOSED_V1, CLOSED_V2, "FORWARD", "lenient", True, None),
        (CLOSED_V1, CLOSED_V2, "FULL", "strict", False, "forward"),
        (CLOSED_V1, CLOSED_V2, "NONE", "strict", True, None),
        ({"type": "string"}, {"type": "number"}, "NONE", "strict", True, None),
        ({"type": "integer"}, {"type": "number"}, "BACKWARD", "strict", True, None),
        ({"type": "integer"}, {"type": "number"}, "FORWARD", "strict", False, "forward"),
    ],
)
def test_levels_and_policies(previous, new, level, policy, compatible, direction):
    result = check([(1, previous)], new, level, policy)
    assert result.compatible is compatible
    assert result.direction == direction
    assert result.failed_version == (None if compatible else 1)
    assert (result.level, result.policy) == (level, policy)


V1 = {"type": "string"}
V2 = {"type": "string", "maxLength": 10}
V3 = {"type": "string", "maxLength": 20}


@pytest.mark.parametrize(
    ("level", "compatible", "failed"),
    [
        ("BACKWARD", True, None),
        ("BACKWARD_TRANSITIVE", False, 1),
        ("FORWARD", False, 2),
        ("FORWARD_TRANSITIVE", False, 2),
        ("FULL_TRANSITIVE", False, 2),
    ],
)
def test_transitive_checks_every_version(level, compatible, failed):
    result = check([(1, V1), (2, V2)], V3, level)
    assert result.compatible is compatible
    assert result.failed_version == failed


def test_transitive_failure_reports_the_old_version_and_its_differences():
    result = check([(1, V1), (2, V2)], V3, "BACKWARD_TRANSITIVE")
    assert [d.type for d in result.differences] == ["MAX_LENGTH_ADDED"]
    assert result.direction == "backward"


def test_forward_transitive_passes_when_every_version_reads_new_data():
    result = check([(1, V3), (2, V2)], V1 | {"maxLength": 5}, "FORWARD_TRANSITIVE")
    assert result.compatible
    assert [d.type for d in result.differences] == ["MAX_LENGTH_INCREASED"]


def test_empty_history_is_compatible():
    assert check([], {"type": "string"}, "FULL_TRANSITIVE") == CheckResult(
        True, "FULL_TRANSITIVE", "strict", None, [], None
    )


def test_compatible_result_lists_the_differences_of_the_latest():
    result = check([(1, V1), (2, V2)], V3, "BACKWARD")
    assert [d.type for d in result.differences] == ["MAX_LENGTH_INCREASED"]


def test_to_dict_marks_each_difference_under_the_policy():
    result = check([(4, OPEN_V1)], OPEN_V2, "BACKWARD", "lenient").to_dict()
    assert result["compatible"] is True and result["failed_version"] is None
    (diff,) = result["differences"]
    assert diff["type"] == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    assert diff["compatible"] is True
    strict = check([(4, OPEN_V1)], OPEN_V2, "BACKWARD").to_dict()
    assert strict["failed_version"] == 4 and strict["differences"][0]["compatible"] is False


@pytest.mark.parametrize("level", ["backward", "FULLY", "", None])
def test_unknown_level_is_rejected(level):
    with pytest.raises(ValueError, match="level"):
        check([(1, V1)], V2, level)


@pytest.mark.parametrize("policy", ["STRICT", "loose", None])
def test_unknown_policy_is_rejected(policy):
    with pytest.raises(ValueError, match="policy"):
        check([(1, V1)], V2, "BACKWARD", policy)
    with pytest.raises(ValueError, match="policy"):
        compare(V1, V2, policy=policy)


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/definitions/missing"},
        {"$ref": "https://example.com/remote.json"},
        {"properties": {"a": {"$ref": "other.json#/x"}}},
        {"$ref": "#unknown-anchor"},
    ],
)
def test_unresolvable_refs_raise(schema):
    with pytest.raises(ValueError, match=r"\$ref"):
        compare(schema, {"type": "string"})


def test_schema_must_be_object_or_boolean():
    with pytest.raises(ValueError, match="an object or a boolean"):
        compare([], {})


RECURSIVE = {
    "type": "object",
    "properties": {
        "children": {"type": "array", "items": {"$ref": "#"}},
        "id": {"type": "integer"},
    },
    "required": ["id"],
}


def test_recursive_schema_compared_with_itself_gives_nothing():
    assert compare(RECURSIVE, copy.deepcopy(RECURSIVE)) == []
    tree = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
            }
        },
        "$ref": "#/$defs/node",
    }
    assert compare(tree, copy.deepcopy(tree)) == []


def test_recursive_schema_change_is_found_and_terminates():
    changed = copy.deepcopy(RECURSIVE)
    changed["properties"]["id"] = {"type": "number"}
    assert [d.type for d in compare(RECURSIVE, changed)] == ["TYPE_EXTENDED"]
    assert [(d.type, d.path) for d in compare(changed, RECURSIVE)] == [
        ("TYPE_NARROWED", "/properties/id")
    ]


def test_ref_and_inlined_form_are_equivalent():
    inline = {"type": "array", "items": {"type": "integer", "minimum": 0}}
    by_ref = {"type": "array", "items": {"$ref": "#/$defs/n"}, "$defs": {"n": inline["items"]}}
    assert compare(inline, by_ref) == []
    assert compare(by_ref, inline) == []


def test_anchor_and_escaped_pointer_refs_resolve():
    schema = {
        "$defs": {"a/b": {"$anchor": "ab", "type": "string"}},
        "properties": {"x": {"$ref": "#ab"}, "y": {"$ref": "#/$defs/a~1b"}},
    }
    assert compare(schema, copy.deepcopy(schema)) == []
    changed = copy.deepcopy(schema)
    changed["$defs"]["a/b"]["maxLength"] = 3
    assert sorted(d.path for d in compare(schema, changed)) == [
        "/properties/x/maxLength",
        "/properties/y/maxLength",
    ]


def test_every_type_is_classified_and_lenient_is_a_superset():
    for policy in POLICIES:
        assert isinstance(is_compatible_type("TYPE_CHANGED", policy), bool)
    strict = {t for t in DIFFERENCE_TYPES if is_compatible_type(t, "strict")}
    lenient = {t for t in DIFFERENCE_TYPES if is_compatible_type(t, "lenient")}
    assert strict < lenient
    assert set(INVENTED_TYPES) <= set(DIFFERENCE_TYPES)
    assert not is_compatible_type("NOT_A_TYPE", "lenient")
    assert LEVELS[0] == "NONE" and len(LEVELS) == 7


def test_combined_matching_prefers_the_identity_pairing():
    union = {"anyOf": [{"type": "string", "title": "a"}, {"type": "string", "title": "b"}]}
    assert compare(union, copy.deepcopy(union)) == []


def test_lenient_allof_branch_with_optional_property():
    old = {"type": "object", "allOf": [{"properties": {"a": {"type": "string"}}}]}
    new = {
        "type": "object",
        "allOf": [{"properties": {"a": {"type": "string"}, "b": {"type": "string"}}}],
    }
    assert not check([(1, old)], new, "BACKWARD").compatible
    assert check([(1, old)], new, "BACKWARD", "lenient").compatible


def test_connect_bytes_types_are_interchangeable_only_under_lenient():
    old = {"type": "string", "connect.type": "bytes"}
    new = {"type": "number", "connect.type": "bytes"}
    [difference] = compare(old, new)
    assert difference.type == "BYTES_ENCODING_CHANGED"
    # "abc" was valid and is not any more: strict refuses; lenient keeps Confluent's answer.
    assert not check([(1, old)], new, "BACKWARD").compatible
    assert check([(1, old)], new, "BACKWARD", "lenient").compatible
