"""What a router delivers for an event, and whether a consumer's rule receives it."""

from __future__ import annotations

import pytest

from app.core.routing import InvalidPattern
from app.core.routing.delivery import check_consumer_rule, reception
from app.core.schema import SchemaDocument

SCHEMA = SchemaDocument.checked(
    {
        "type": "object",
        "required": ["orderId", "lines"],
        "properties": {
            "orderId": {"type": "string"},
            "channel": {"enum": ["web", "app"]},
            "lines": {
                "type": "array",
                "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
            },
            "meta": {"allOf": [{"properties": {"region": {"const": "eu"}}}]},
        },
        "additionalProperties": False,
    }
)
SAMPLES = [("web-order", {"orderId": "o1", "channel": "web", "lines": [{"sku": "A"}]})]


def receives(rule, router="eventbridge", samples=SAMPLES, document=SCHEMA):
    return reception(rule, router, "OrderPlaced", samples, document)


def test_samples_delivered_are_named():
    answer = receives({"detail-type": ["OrderPlaced"], "detail": {"channel": ["web"]}})
    assert (answer.receives, answer.samples) == (True, ["web-order"])


def test_a_rule_no_sample_matches_may_still_match_what_the_schema_allows():
    answer = receives({"detail": {"channel": ["app"]}})
    assert answer.receives and answer.samples == []
    assert "no sample matches" in answer.reason
    assert not receives({"detail": {"channel": ["shop"]}}).receives


def test_the_schema_stand_in_follows_arrays_all_of_and_closed_objects():
    assert receives({"detail": {"lines": {"sku": [{"prefix": "B"}]}}}, samples=[]).receives
    assert receives({"detail": {"meta": {"region": ["eu"]}}}, samples=[]).receives
    assert not receives({"detail": {"meta": {"region": ["us"]}}}, samples=[]).receives
    assert not receives({"detail": {"colour": [{"exists": True}]}}, samples=[]).receives
    assert receives({"detail": {"colour": [{"exists": False}]}}, samples=[]).receives


def test_unrecorded_envelope_fields_are_assumed_and_said_so():
    answer = receives({"source": ["larkspur.orders"], "detail-type": ["OrderPlaced"]})
    assert answer.receives and answer.assumed == ["/source"]
    assert not receives({"source": [{"exists": False}]}).receives
    assert not receives({"detail-type": ["OrderCancelled"]}).receives


def test_a_sample_that_is_a_whole_eventbridge_event_is_used_as_it_stands():
    event = {
        "source": "larkspur.checkout",
        "detail-type": "OrderPlaced",
        "detail": {"orderId": "o"},
    }
    answer = receives({"source": ["larkspur.checkout"]}, samples=[("whole", event)])
    assert (answer.samples, answer.assumed) == (["whole"], [])
    assert receives({"source": ["larkspur.orders"]}, samples=[("whole", event)]).samples == []


def test_on_sns_the_rule_is_an_attribute_filter_policy():
    assert receives({"detail-type": ["OrderPlaced"]}, router="sns").receives
    assert not receives({"detail-type": [{"anything-but": "OrderPlaced"}]}, router="sns").receives
    with pytest.raises(InvalidPattern) as caught:
        check_consumer_rule({"detail": {"x": ["y"]}}, "sns")
    assert caught.value.pointer == "/pattern/detail"


def test_without_a_rule_the_declared_event_or_the_whole_bus():
    assert reception(None, "kafka", "OrderPlaced", [], None, "orders.OrderPlaced").receives
    assert "every event on the bus" in reception(None, "kafka", "OrderPlaced", [], None).reason
    # declaring one event, it receives that one only (docs/concepts.md)
    other = reception(None, "kafka", "OrderAmended", [], None, "orders.OrderPlaced", None,
                      "orders.OrderAmended")  # fmt: skip
    assert not other.receives and "only that event" in other.reason
    same = reception(None, "kafka", "OrderPlaced", [], None, "orders.OrderPlaced", None,
                     "orders.OrderPlaced")  # fmt: skip
    assert same.receives
