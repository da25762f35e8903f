"""Which consumers a schema difference touches: schema pointers read as payload fields, and
fields touched through their parents and children."""

from __future__ import annotations

from app.core.impact import NOBODY, Reader, impact, payload_field, touches


def test_schema_pointers_become_payload_fields():
    assert payload_field("/properties/totals/properties/amount/type") == "/totals/amount"
    assert payload_field("/properties/lines/items/properties/sku") == "/lines/0/sku"
    assert payload_field("/properties/pair/prefixItems/1") == "/pair/1"
    assert payload_field("/allOf/0/properties/a~1b") == "/a~1b"
    assert payload_field("/required") == ""
    assert payload_field("/properties/a/required/b") == "/a/b"
    assert payload_field("/$defs/Money/properties/amount") is None


def test_a_change_touches_the_field_its_parents_and_children():
    assert touches("/totals", "/totals/amount") and touches("/totals/amount", "/totals")
    assert touches("", "/anything")
    assert not touches("/total", "/totals")


def test_each_difference_names_its_consumers_or_nobody():
    readers = [Reader("a", "t1", ("/totals",)), Reader("b", None, ("/orderId",))]
    found = impact(
        [("TYPE_CHANGED", "/properties/totals/properties/amount"), ("X", "/properties/note")],
        readers,
    )
    assert found[0].summary == "read by a (team t1)"
    assert found[0].to_dict()["consumers"] == [{"name": "a", "team": "t1", "fields": ["/totals"]}]
    assert found[1].summary == NOBODY and found[1].field == "/note"
