"""The analysis follows references through the SchemaDocument: embedded $id resources, anchors,
dynamic references, all of which the old local-pointer walker (`#/...` only) could not."""

import pytest

from app.core.analysis import apply_rules, classify, field_pointers, lint, ordering_hazard
from app.core.analysis.fields import flatten_schema
from app.core.schema import SchemaDocument

DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
MONEY = {"type": "object", "properties": {"amount": {"type": "number"}}}
# `money` names the embedded resource https://x/money: no JSON pointer is written anywhere.
BY_ID = {
    "$schema": DRAFT_2020,
    "$id": "https://x/root",
    "$defs": {"m": {"$id": "money", **MONEY}},
    "properties": {"total": {"$ref": "money"}},
}
BY_ANCHOR = {
    "$schema": DRAFT_2020,
    "$defs": {"m": {"$anchor": "money", **MONEY}},
    "properties": {"total": {"$ref": "#money"}},
}
EVENT = {"domain": "orders", "name": "OrderPlaced", "producer": "p", "aggregate": "Order"}


def _fields(raw, **options):
    fields, _kind = flatten_schema(SchemaDocument.checked(raw), **options)
    return {f.pointer: f for f in fields}


@pytest.mark.parametrize("raw", [BY_ID, BY_ANCHOR], ids=["embedded-id", "anchor"])
def test_a_reference_by_id_or_anchor_is_followed(raw):
    fields = _fields(raw)
    assert set(fields) == {"/total", "/total/amount"}
    total = fields["/total"]
    assert (total.kind, total.leaf) == ("object", False)
    assert fields["/total/amount"].kind == "number"
    assert field_pointers(SchemaDocument.checked(raw)) == {"/total", "/total/amount"}


def test_a_reference_inside_an_embedded_resource_resolves_against_its_base():
    # Inside https://x/money, `#/$defs/code` is the resource's own $defs, not the root's.
    money = {
        "$id": "money",
        "type": "object",
        "$defs": {"code": {"type": "string"}},
        "properties": {"currency": {"$ref": "#/$defs/code"}},
    }
    raw = {**BY_ID, "$defs": {"m": money, "code": {"type": "integer"}}}
    assert _fields(raw)["/total/currency"].kind == "string"


def test_lints_and_rules_read_the_target_of_a_reference():
    described = {**MONEY, "description": "An amount of money.", "examples": [{"amount": 1}]}
    money = {**described, "properties": {"amount": {"type": "number", "description": "Amount."}}}
    raw = {**BY_ANCHOR, "$defs": {"m": {"$anchor": "money", **money}}}
    document = SchemaDocument.checked(raw)
    found = [f for f in lint(EVENT, document) if f.id == "property-description"]
    assert found == []
    assert apply_rules([{"kind": "require-descriptions"}], document) == []
    rule = {"kind": "require-property", "pointer": "/total/amount"}
    assert apply_rules([rule], document) == []


def test_an_envelope_behind_a_root_reference_is_unwrapped():
    envelope = {
        "$anchor": "envelope",
        "properties": {
            "detail-type": {"type": "string"},
            "time": {"type": "string"},
            "detail": {"$ref": "#order"},
        },
    }
    order = {"$anchor": "order", "type": "object", "properties": {"orderVersion": {}}}
    raw = {"$schema": DRAFT_2020, "$ref": "#envelope", "$defs": {"e": envelope, "o": order}}
    document = SchemaDocument.checked(raw)
    assert classify(document).envelope == "eventbridge"
    assert "/orderVersion" in field_pointers(document)
    assert ordering_hazard("full", "eventbridge", document, None) is None  # version and time


def _tree(dialect):
    node = {"type": "object", "properties": {"name": {"type": "string"}}}
    children = {"type": "array", "items": {"$dynamicRef": "#node"}}
    return {
        "$schema": dialect,
        "$dynamicAnchor": "node",
        **node,
        "properties": {**node["properties"], "children": children},
    }


def test_a_dynamic_reference_is_followed_where_the_dialect_reads_it_and_walked_once():
    pointers = field_pointers(SchemaDocument.checked(_tree(DRAFT_2020)))
    assert {"/name", "/children", "/children/0/name", "/children/0/children"} <= pointers
    assert not any(p.count("children") > 2 for p in pointers)


def test_a_dynamic_reference_means_nothing_to_draft_07():
    draft7 = _tree("http://json-schema.org/draft-07/schema#")
    assert field_pointers(SchemaDocument.checked(draft7)) == {"/name", "/children"}


def test_recursion_is_guarded_by_target_not_by_reference_text():
    # Two spellings of one target: a pointer and an anchor.
    node = {
        "$anchor": "node",
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/node"}, "b": {"$ref": "#node"}},
    }
    raw = {"$schema": DRAFT_2020, "$defs": {"node": node}, "$ref": "#node"}
    pointers = field_pointers(SchemaDocument.checked(raw))
    assert pointers == {"/a", "/b"}


def test_a_reference_into_a_meta_schema_is_not_walked_as_event_fields():
    raw = {"properties": {"rule": {"$ref": "http://json-schema.org/draft-07/schema#"}}}
    fields = _fields(raw)
    assert set(fields) == {"/rule"} and fields["/rule"].kind == "any"


def test_the_analysis_refuses_a_raw_dict():
    with pytest.raises(TypeError, match="SchemaDocument"):
        field_pointers({"properties": {"a": {}}})
