"""Each difference type, in both directions, at the root and in nested positions."""

from __future__ import annotations

import pytest

from app.core.compatibility import is_compatible_type
from tests.unit.compatibility.cases_arrays import ARRAY_AND_COMBINED_CASES
from tests.unit.compatibility.cases_scalars import SCALAR_CASES, N, S, obj
from tests.unit.compatibility.cases_structures import OBJECT_CASES
from tests.unit.compatibility.engine import compare

I = {"type": "integer"}  # noqa: E741
# (id, old, new, expected type, strict verdict, lenient verdict)
CASES = SCALAR_CASES + OBJECT_CASES + ARRAY_AND_COMBINED_CASES


def _verdict(diffs: list, policy: str) -> bool:
    return all(is_compatible_type(d.type, policy) for d in diffs)


@pytest.mark.parametrize(
    ("old", "new", "kind", "strict", "lenient"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_root_difference_and_verdicts(old, new, kind, strict, lenient):
    diffs = compare(old, new)
    assert kind in [d.type for d in diffs]
    assert _verdict(diffs, "strict") is strict
    assert _verdict(compare(old, new, policy="lenient"), "lenient") is lenient


WRAPPERS = {
    "property": (lambda s: obj({"p": s}), "/properties/p"),
    "items": (lambda s: {"type": "array", "items": s}, "/items"),
    "defs via $ref": (lambda s: {"$ref": "#/$defs/x", "$defs": {"x": s}}, ""),
    "nested property in ref": (
        lambda s: obj({"p": {"$ref": "#/definitions/d"}}, definitions={"d": s}),
        "/properties/p",
    ),
}
NESTABLE = [c for c in CASES if c[0] not in ("true to false",)]


@pytest.mark.parametrize("wrapper", list(WRAPPERS))
@pytest.mark.parametrize(
    ("old", "new", "kind", "strict"), [c[1:5] for c in NESTABLE], ids=[c[0] for c in NESTABLE]
)
def test_nested_difference(wrapper, old, new, kind, strict):
    wrap, prefix = WRAPPERS[wrapper]
    diffs = compare(wrap(old), wrap(new))
    found = [d for d in diffs if d.type == kind]
    assert found, [d.type for d in diffs]
    assert all(d.path.startswith(prefix) for d in found)
    assert _verdict(diffs, "strict") is strict


@pytest.mark.parametrize(
    ("old", "new", "kind", "strict"), [c[1:5] for c in NESTABLE], ids=[c[0] for c in NESTABLE]
)
def test_inside_allof_branch(old, new, kind, strict):
    diffs = compare({"allOf": [old, {"title": "t"}]}, {"allOf": [new, {"title": "t"}]})
    types = [d.type for d in diffs]
    assert _verdict(diffs, "strict") is strict
    assert (kind if strict else "COMBINED_TYPE_SUBSCHEMAS_CHANGED") in types


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (S, True),
        (S, {}),
        ({"type": "object", "properties": {"a": N}}, {}),
        (False, S),
        (False, True),
    ],
)
def test_no_difference_towards_empty_or_from_false(old, new):
    assert compare(old, new) == []


def test_draft4_exclusive_maximum_relaxed_to_inclusive():
    draft4 = "http://json-schema.org/draft-04/schema#"
    strict_max = {"$schema": draft4, **N, "maximum": 10, "exclusiveMaximum": True}
    loose_max = {"$schema": draft4, **N, "maximum": 10}
    assert [d.type for d in compare(strict_max, loose_max)] == ["MAXIMUM_INCREASED"]
    assert [d.type for d in compare(loose_max, strict_max)] == ["MAXIMUM_DECREASED"]


def test_2020_prefix_items_and_items_as_additional():
    draft = "https://json-schema.org/draft/2020-12/schema"
    old = {"$schema": draft, "type": "array", "prefixItems": [S], "items": False}
    new = {"$schema": draft, "type": "array", "prefixItems": [S, N], "items": False}
    assert [d.type for d in compare(old, new)] == ["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL"]
    assert [d.path for d in compare(old, new)] == ["/prefixItems/1"]


def test_paths_point_into_the_schema():
    old = obj({"order": obj({"total": N})})
    new = obj({"order": obj({"total": I})})
    (diff,) = compare(old, new)
    assert diff.path == "/properties/order/properties/total"
    assert (diff.old, diff.new) == ("number", "integer")
    assert "12.5" in diff.message


def test_pointer_tokens_are_escaped():
    (diff,) = compare(obj({"a/b~c": S}), obj({"a/b~c": N}))
    assert diff.path == "/properties/a~1b~0c"
    assert '"a/b~c"' in diff.message


@pytest.mark.parametrize(
    ("old", "new", "kind", "strict", "lenient"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_messages_are_sentences(old, new, kind, strict, lenient):
    for diff in compare(old, new):
        assert diff.message and diff.message[0].isupper() and diff.message.endswith(".")
        assert set(diff.to_dict()) >= {"type", "path", "old", "new", "message", "old_pointer"}
