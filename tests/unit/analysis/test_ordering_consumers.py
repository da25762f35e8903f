"""Ordering hazard and consumer cost."""

import pytest

from app.core.analysis import classify, consumer_cost, field_pointers, ordering_hazard
from app.core.schema import SchemaDocument

FULL = {"orderId": "o-1", "total": 10, "currency": "EUR", "customer": "Ada", "city": "Oslo"}


def test_full_event_on_unordered_router_without_version_or_time_is_flagged():
    hazard = ordering_hazard("full", "eventbridge", None, [FULL])
    assert hazard is not None
    assert hazard.missing == ["entity version or sequence number", "occurred-at time"]
    assert "old state over" in hazard.message and "entityVersion" in hazard.fix


@pytest.mark.parametrize("router", ["sns", "sqs", "EventBridge"])
def test_delta_on_unordered_routers_needs_gap_detection(router):
    hazard = ordering_hazard("delta", router, None, [{"id": "1", "changedFields": ["a"]}])
    assert hazard is not None and "gap" in hazard.fix


def test_version_and_occurred_at_remove_the_hazard():
    sample = {**FULL, "entityVersion": 7, "occurredAt": "2024-01-01T00:00:00Z"}
    assert ordering_hazard("full", "sns", None, [sample]) is None


def test_only_one_of_the_two_is_still_a_hazard():
    hazard = ordering_hazard("full", "sqs", None, [{**FULL, "occurredAt": "2024-01-01T00:00:00Z"}])
    assert hazard.missing == ["entity version or sequence number"]


def test_envelope_time_counts_but_envelope_format_version_does_not():
    event = {
        "version": "0",
        "id": "1",
        "detail-type": "x",
        "source": "s",
        "time": "2021-11-11T21:29:54Z",
        "detail": FULL,
    }
    hazard = ordering_hazard("full", "eventbridge", None, [event])
    assert hazard.missing == ["entity version or sequence number"]
    with_seq = {**event, "detail": {**FULL, "sequence": 4}}
    assert ordering_hazard("full", "eventbridge", None, [with_seq]) is None


def test_schema_fields_are_checked_too():
    schema = {
        "type": "object",
        "properties": {"orderVersion": {"type": "integer"}, "eventTime": {}},
    }
    assert ordering_hazard("full", "eventbridge", SchemaDocument.checked(schema), None) is None


@pytest.mark.parametrize("router", ["kinesis", "kafka", "mq", None])
def test_ordered_or_unknown_routers_are_not_flagged(router):
    assert ordering_hazard("full", router, None, [FULL]) is None


def test_thin_events_are_not_flagged_and_bad_shapes_raise():
    assert ordering_hazard("thin", "sns", None, [{"id": "1"}]) is None
    with pytest.raises(ValueError):
        ordering_hazard("fat", "sns", None, None)


def test_consumer_cost_counts_callbacks_and_missing_fields():
    sample = {"orderId": "o-1", "status": "PLACED"}
    shape = classify(samples=[sample])
    consumers = [
        {"name": "billing", "fields": ["/orderId", "/total"], "calls_back": False},
        {"name": "audit", "fields": ["/orderId"], "calls_back": False},
        {"name": "crm", "fields": [], "calls_back": True},
    ]
    cost = consumer_cost(shape, consumers, field_pointers(samples=[sample]))
    assert cost.shape == "thin" and cost.consumers == 3 and cost.callbacks_per_event == 2
    gaps = {g.name: g for g in cost.gaps}
    assert gaps["billing"].missing_fields == ["/total"] and gaps["billing"].calls_back
    assert not gaps["audit"].calls_back and gaps["audit"].missing_fields == []
    assert gaps["crm"].calls_back and "declares" in gaps["crm"].reason
    assert "2 call-backs" in cost.trade_off and "race" in cost.trade_off


def test_reading_a_parent_object_is_covered_by_its_children():
    sample = {"customer": {"email": "a@example.com"}}
    cost = consumer_cost(
        classify(samples=[sample]),
        [{"name": "x", "fields": ["/customer"]}],
        field_pointers(samples=[sample]),
    )
    assert cost.callbacks_per_event == 0


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"id": "1", "changedFields": ["a"], "a": 1}, "prior state"),
        ({f"f{i}": i for i in range(10)}, "couples consumers"),
    ],
)
def test_trade_off_wording_follows_the_shape(payload, words):
    cost = consumer_cost(classify(samples=[payload]), [], field_pointers(samples=[payload]))
    assert words in cost.trade_off and cost.callbacks_per_event == 0


def test_field_pointers_of_wrapped_samples_include_payload_and_raw_paths():
    event = {"specversion": "1.0", "id": "1", "source": "/s", "type": "t", "data": {"orderId": "o"}}
    assert {"/orderId", "/data/orderId", "/id"} <= field_pointers(samples=[event])
