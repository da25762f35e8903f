"""The UI's field table follows references through the SchemaDocument: embedded $id resources
and anchors (the old local-pointer resolver knew `#/...` only), siblings of a reference winning."""

import pytest

from app.core.schema import SchemaDocument
from app.ui.diffview import compare_fields
from app.ui.fields import field_rows, is_closed

DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
MONEY = {"type": "object", "properties": {"amount": {"type": "number"}}}
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


def _rows(raw):
    return {row.pointer: row for row in field_rows(SchemaDocument.checked(raw))}


@pytest.mark.parametrize("raw", [BY_ID, BY_ANCHOR], ids=["embedded-id", "anchor"])
def test_a_reference_by_id_or_anchor_is_followed(raw):
    rows = _rows(raw)
    assert list(rows) == ["/total", "/total/amount"]
    total, amount = rows["/total"], rows["/total/amount"]
    assert (total.types, total.origin, total.depth) == ("object", "/$defs/m", 0)
    assert (amount.types, amount.depth) == ("number", 1)
    assert amount.schema_path == "/properties/total/properties/amount"
    assert amount.origin == "/$defs/m/properties/amount"  # where the definition lives


def test_siblings_of_a_reference_win_and_an_inner_reference_uses_its_resource_base():
    money = {
        "$id": "money",
        "type": "object",
        "description": "money",
        "$defs": {"code": {"type": "string", "minLength": 3}},
        "properties": {"currency": {"$ref": "#/$defs/code"}},
    }
    total = {"$ref": "money", "description": "The order's total."}
    raw = {**BY_ID, "$defs": {"m": money, "code": {"type": "integer"}}}
    rows = _rows({**raw, "properties": {"total": total}})
    assert rows["/total"].description == "The order's total."
    currency = rows["/total/currency"]
    assert (currency.types, currency.origin) == ("string", "/$defs/m/$defs/code")
    assert currency.constraints == ["at least 3 characters"]


def test_a_closed_root_behind_an_anchor_is_closed():
    closed = {"$anchor": "event", "type": "object", "additionalProperties": False}
    document = SchemaDocument.checked(
        {"$schema": DRAFT_2020, "$defs": {"e": closed}, "$ref": "#event"}
    )
    assert is_closed(document)


def test_recursion_is_shown_once_and_a_meta_schema_is_not_expanded():
    node = {"$anchor": "node", "type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}
    raw = {
        "$schema": DRAFT_2020,
        "$defs": {"node": node},
        "properties": {
            "head": {"$ref": "#node"},
            "rule": {"$ref": "https://json-schema.org/draft/2020-12/schema"},
        },
    }
    rows = _rows(raw)
    assert list(rows) == ["/head", "/head/next", "/rule"]
    assert rows["/rule"].types == "any" and rows["/rule"].origin == "/properties/rule"


def test_compare_fields_places_a_difference_in_an_embedded_resource_on_its_field():
    old = SchemaDocument.checked(BY_ID)
    changed = {**MONEY, "properties": {"amount": {"type": "integer"}}}
    new = SchemaDocument.checked({**BY_ID, "$defs": {"m": {"$id": "money", **changed}}})
    difference = {"path": "/$defs/m/properties/amount/type", "verdicts": {"BACKWARD": True}}
    rows, unplaced = compare_fields(old, new, [difference])
    by_pointer = {row.row.pointer: row for row in rows}
    assert unplaced == [] and by_pointer["/total/amount"].status == "changed"
    assert by_pointer["/total/amount"].differences == [difference]


def test_a_reference_into_a_referenced_version_shows_its_fields():
    from app.core.schema import Dialect, Reference

    address = {
        "type": "object",
        "required": ["city"],
        "properties": {"city": {"type": "string"}, "lines": {"$ref": "#/definitions/Lines"}},
        "definitions": {"Lines": {"type": "array", "items": {"type": "string"}}},
    }
    referenced = SchemaDocument.checked(address, default=Dialect.DRAFT7)
    moved = {
        "$schema": DRAFT_2020,
        "properties": {"to": {"$ref": "address.json"}, "from": {"$ref": "address.json"}},
    }
    document = SchemaDocument.checked(
        moved, references=[Reference("address.json", "shared.Address", 1, referenced)]
    )
    rows = {row.pointer: row for row in field_rows(document)}
    assert list(rows) == ["/from", "/from/city", "/from/lines", "/to", "/to/city", "/to/lines"]
    to, city, lines = rows["/to"], rows["/to/city"], rows["/to/lines"]
    assert (to.types, to.origin) == ("object", "address.json#")
    assert (city.types, city.required, city.origin) == (
        "string",
        True,
        "address.json#/properties/city",
    )
    assert (lines.types, lines.origin) == ("array of string", "address.json#/definitions/Lines")
