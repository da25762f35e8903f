"""What a router delivers for an event, and whether a consumer's rule receives it."""

from __future__ import annotations

import pytest

from app.core.routing import InvalidPattern
from app.core.routing.delivery import Delivery, check_consumer_rule, grammar_of, reception
from app.core.routing.grammar import compile_rule
from app.core.routing.matcher import match
from app.core.routing.model import ConsumerScope
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


# Rules of every kind a bus holds: each router kind, both SNS scopes, matching a sample, only
# the schema, nothing, an unrecorded envelope field; as (rule, router, scope).
MANY_RULES = [
    ({"detail": {"channel": ["web"]}}, "eventbridge", None),
    ({"detail": {"channel": ["app"]}}, "kafka", None),
    ({"detail": {"channel": ["shop"]}}, "eventbridge", None),
    ({"source": ["larkspur.orders"]}, "sqs", None),
    ({"detail-type": ["OrderPlaced"]}, "sns", None),
    ({"detail-type": ["OrderCancelled"]}, "sns", ConsumerScope.MESSAGE_ATTRIBUTES),
    ({"channel": ["web"]}, "sns", ConsumerScope.MESSAGE_BODY),
    ({"channel": ["app"]}, "sns", ConsumerScope.MESSAGE_BODY),
    ({"orderId": [{"exists": False}]}, "sns", ConsumerScope.MESSAGE_BODY),
    ({"detail": {"lines": {"sku": [{"prefix": "A"}]}}}, "eventbridge", None),
]


@pytest.mark.parametrize("order", [1, -1])
def test_one_delivery_answers_many_rules_as_each_answered_alone(order):
    # A bus's page answers each consumer's rule against one Delivery, whose delivered events
    # are kept per router kind and scope: the answers must not depend on what came before.
    delivery = Delivery("OrderPlaced", SAMPLES, SCHEMA)
    for rule, router, scope in MANY_RULES[::order]:
        alone = reception(rule, router, "OrderPlaced", SAMPLES, SCHEMA, None, scope)
        node = compile_rule(rule, *grammar_of(router, scope))
        assert delivery.reception(rule, router, None, scope, None, node) == alone, rule
        assert delivery.reception(rule, router, None, scope) == alone, rule


def test_an_unexplained_match_gives_the_same_answer_without_its_wording():
    for rule, router, scope in MANY_RULES:
        node = compile_rule(rule, *grammar_of(router, scope))
        for _name, payload in [*SAMPLES, ("empty", {})]:
            event = {"detail-type": "OrderPlaced", "detail": payload}
            event = payload if scope is ConsumerScope.MESSAGE_BODY else event
            told, untold = match(node, event), match(node, event, explain=False)
            assert (told.matched, told.assumed) == (untold.matched, untold.assumed)
            if not told.matched:
                assert told.mismatch.reason and untold.mismatch.reason == ""
                assert told.mismatch.rule_pointer == untold.mismatch.rule_pointer
