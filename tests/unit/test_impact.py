"""Which consumers a schema difference touches: schema pointers read as payload fields, and
fields touched through their parents and children."""

from __future__ import annotations

from app.core.impact import (
    NOBODY,
    Reader,
    concerned,
    impact,
    payload_field,
    pinned,
    pinned_elsewhere,
    touches,
)


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


def test_the_roots_annotations_touch_nobody_but_its_other_changes_touch_every_reader():
    readers = [Reader("a", "t1", ("/totals",))]
    root_description, root_type = impact(
        [("DESCRIPTION_CHANGED", ""), ("TYPE_CHANGED", "/type")], readers
    )
    assert root_description.summary == NOBODY
    assert root_type.summary == "read by a (team t1)"
    (field_description,) = impact([("DESCRIPTION_CHANGED", "/properties/totals")], readers)
    assert field_description.summary == "read by a (team t1)"  # what a read field means


def test_a_pinned_consumer_is_judged_from_its_own_version():
    follows = Reader("latest-reader", None, ("/a",))
    on_old = Reader("on-v2", None, ("/a",), 2)
    on_one = Reader("on-v1", None, ("/a",), 1)
    on_new = Reader("on-v3", None, ("/a",), 3)
    # A change from version 2 to 3: on-v1 sees 1 -> 3; on-v3 is not concerned at all.
    assert not pinned_elsewhere(follows, 2, 3) and concerned(follows, 3)
    assert not pinned_elsewhere(on_old, 2, 3) and concerned(on_old, 3)
    assert pinned_elsewhere(on_one, 2, 3)
    assert not concerned(on_new, 3) and not pinned_elsewhere(on_new, 2, 3)
    # A candidate (no number yet) concerns every version.
    assert pinned_elsewhere(on_new, 2, None)


def test_a_pinned_entry_says_what_changes_for_it():
    reader = Reader("billing", "payments", ("/a", "/b"), 1)
    hit = pinned(reader, [("type-changed", "/properties/a/type"), ("x", "/properties/c")], 3)
    assert [i.field for i in hit.impacts] == ["/a"]
    assert hit.summary == (
        "billing (team payments) consumes version 1: from version 1 to version 3, "
        "it is affected by /a (type-changed)"
    )
    calm = pinned(reader, [("x", "/properties/c")], None)
    assert calm.impacts == ()
    assert calm.summary.endswith("from version 1 to the new one, nothing it reads changes")
    gone = pinned(reader, None, 3)
    assert gone.to_dict()["differences"] is None
    assert "purged" in gone.summary
