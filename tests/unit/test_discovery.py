"""Schema discovery's pure parts: each envelope's type and payload, the event name a type maps
to, and one schema merged from every example, refined with formats, optional-field frequency
and, only when asked, enums; bounded in distinct fields (app/core/discovery)."""

from __future__ import annotations

import re

import pytest

from app.core import limits
from app.core.discovery import Envelope, Inference, NotAnEvent, Room, event_name, unwrap

UUID = "123e4567-e89b-12d3-a456-426614174000"


@pytest.mark.parametrize(
    ("event", "envelope", "kind", "payload"),
    [
        (
            {"source": "shop", "detail-type": "Order Placed", "detail": {"a": 1}},
            Envelope.EVENTBRIDGE,
            "Order Placed",
            {"a": 1},
        ),
        (
            {"specversion": "1.0", "type": "com.shop.OrderPlaced", "data": [1]},
            Envelope.CLOUDEVENTS,
            "com.shop.OrderPlaced",
            [1],
        ),
        (
            {"type": "OrderPlaced", "a": 1},
            Envelope.PLAIN,
            "OrderPlaced",
            {"type": "OrderPlaced", "a": 1},
        ),
    ],
)
def test_each_envelope_gives_its_type_and_payload(event, envelope, kind, payload):
    raw = unwrap(event)
    assert (raw.envelope, raw.type, raw.payload) == (envelope, kind, payload)


def test_a_plain_event_names_its_type_in_the_configured_member_or_pointer():
    assert unwrap({"kind": "Paid", "type": 3}, "kind").type == "Paid"
    assert unwrap({"meta": {"event/type": "Paid"}}, "/meta/event~1type").type == "Paid"
    with pytest.raises(NotAnEvent, match="no '/meta/type' string"):
        unwrap({"meta": ["Paid"]}, "/meta/type")


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ([1], "an event is a JSON object (got an array)"),
        ({"detail-type": "A", "detail": "x"}, "detail is an object (got a string)"),
        ({"specversion": "1.0", "type": "A", "data_base64": "AA=="}, "binary data_base64"),
        ({"specversion": "1.0", "type": "A"}, "has no data"),
        ({"specversion": "1.0", "data": {}}, "no 'type' string"),
        ({"type": " "}, "no 'type' string"),
        ({"type": "A" * 257}, "longer than 256"),
    ],
)
def test_a_value_without_a_type_or_payload_is_not_an_event(event, words):
    with pytest.raises(NotAnEvent, match=re.escape(words)):
        unwrap(event)


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("OrderPlaced", "OrderPlaced"),
        ("Order Placed", "OrderPlaced"),
        ("order_placed", "OrderPlaced"),
        ("com.example.orders.order-placed", "OrderPlaced"),
        ("v1.42", None),
        ("…", None),
    ],
)
def test_a_type_maps_to_a_pascal_case_event_name(kind, name):
    assert event_name(kind) == name


def merged(examples, enums=False, max_fields=1000) -> Inference:
    inference = Inference(max_fields, enums)
    for example in examples:
        inference.add(example)
    return inference


def test_required_is_what_every_example_has_and_the_others_are_counted():
    inference = merged(
        [{"a": 1, "b": {"c": 1}}, {"a": 2, "b": {}}, {"a": 3, "b": {"c": 2}, "d": 1}]
    )
    schema = inference.schema()
    assert schema["required"] == ["a", "b"]
    assert "required" not in schema["properties"]["b"]
    assert [o.to_dict() for o in inference.optional()] == [
        {"pointer": "/b/c", "present": 2, "of": 3, "frequency": 0.6667},
        {"pointer": "/d", "present": 1, "of": 3, "frequency": 0.3333},
    ]


def test_array_items_are_merged_and_their_places_named_with_a_star():
    inference = merged([{"lines": [{"sku": "a", "q": 1}, {"sku": "b"}]}])
    items = inference.schema()["properties"]["lines"]["items"]
    assert items["required"] == ["sku"]
    assert [o.pointer for o in inference.optional()] == ["/lines/*/q"]


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (["2026-01-01T00:00:00Z", "2026-02-01T10:00:00.5+01:00"], "date-time"),
        ([UUID, UUID.upper()], "uuid"),
        (["ann@example.com"], "email"),
        (["https://example.com/a", "urn:isbn:0451450523"], "uri"),
        (["2026-01-01T00:00:00Z", "yesterday"], None),  # one string that is no date-time
        (["2026-13-01T00:00:00Z"], None),  # month 13: the checkers are the registry's own
    ],
)
def test_a_format_is_kept_only_when_every_string_matched_it(values, found):
    schema = merged([{"v": value} for value in values]).schema()
    assert schema["properties"]["v"].get("format") == found


def test_a_place_of_mixed_kinds_keeps_each_and_refines_its_strings():
    schema = merged([{"v": UUID}, {"v": 3}, {"v": None}]).schema()
    kinds = schema["properties"]["v"]
    assert set(kinds["type"]) == {"string", "integer", "null"}
    assert kinds["format"] == "uuid"


def test_enums_only_when_asked_and_only_for_few_values_seen_often():
    statuses = [{"s": s, "n": str(i)} for i, s in enumerate(["paid", "paid", "refunded", "paid"])]
    assert "enum" not in merged(statuses).schema()["properties"]["s"]
    asked = merged(statuses, enums=True).schema()["properties"]
    assert asked["s"]["enum"] == ["paid", "refunded"]
    assert "enum" not in asked["n"]  # four values, each seen once: not low-cardinality
    many = merged([{"s": f"v{i}"} for i in range(40)] * 2, enums=True).schema()
    assert "enum" not in many["properties"]["s"]  # more than ENUM_MAX_VALUES distinct
    long = merged([{"s": "x" * 65}] * 4, enums=True).schema()
    assert "enum" not in long["properties"]["s"]


def test_the_distinct_fields_are_bounded_whatever_the_examples():
    inference = Inference(5)
    inference.add({f"f{n}": n for n in range(5)})
    with pytest.raises(limits.LimitExceeded) as raised:
        inference.add({"new": 1})
    assert raised.value.name == "max_schema_nodes"
    for _ in range(100):  # the same fields again cost no room
        inference.add({f"f{n}": n for n in range(5)})
    assert inference.fields == 5


def test_one_room_bounds_the_fields_of_every_type_together():
    room = Room(4)
    first, second = Inference(room), Inference(room)
    first.add({"a": 1, "b": 2})
    second.add({"c": 1, "d": {}})
    with pytest.raises(limits.LimitExceeded, match="fields and types"):
        first.add({"e": 1})


def test_merging_spends_the_work_budget():
    with limits.budget(50), pytest.raises(limits.LimitExceeded, match="more work"):
        merged([{"a": list(range(100))}])
