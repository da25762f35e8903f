"""A consumer's SNS scope (app.core.routing.delivery): parsed per router, and a MessageBody
policy matched against the payload as SNS matches the message body."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidInput
from app.core.routing import InvalidPattern
from app.core.routing.delivery import check_consumer_rule, consumer_scope, grammar_of, reception
from app.core.routing.model import ConsumerScope, Grammar, Scope, stated_scope

FAILED = {"paymentId": "pay_1", "status": "failed", "failure": {"code": "card_declined"}}
CAPTURED = {"paymentId": "pay_2", "status": "captured"}


def test_a_scope_belongs_to_sns_consumers():
    assert consumer_scope("sns", "message-body") is ConsumerScope.MESSAGE_BODY
    assert consumer_scope("sns", None) is None
    assert consumer_scope("eventbridge", None) is None
    with pytest.raises(InvalidInput) as raised:
        consumer_scope("eventbridge", "message-body", "/consumers/3/scope")
    assert raised.value.errors[0]["pointer"] == "/consumers/3/scope"
    with pytest.raises(InvalidInput):
        consumer_scope("sns", "MessageBody")


def test_the_grammar_of_a_scope():
    assert grammar_of("sns") == (Grammar.SNS, Scope.MESSAGE_ATTRIBUTES)
    assert grammar_of("sns", ConsumerScope.MESSAGE_BODY) == (Grammar.SNS, Scope.MESSAGE_BODY)
    assert grammar_of("eventbridge", ConsumerScope.MESSAGE_BODY) == (Grammar.EVENTBRIDGE, None)


def test_a_body_policy_nests_and_an_attribute_policy_does_not():
    nested = {"failure": {"code": ["card_declined"]}}
    check_consumer_rule(nested, "sns", scope=ConsumerScope.MESSAGE_BODY)
    with pytest.raises(InvalidPattern):
        check_consumer_rule(nested, "sns")


def test_a_body_policy_is_matched_against_the_payload():
    rule = {"status": ["failed"], "failure": {"code": [{"prefix": "card_"}]}}
    samples = [("declined", FAILED), ("captured", CAPTURED)]
    body = ConsumerScope.MESSAGE_BODY
    answer = reception(rule, "sns", "PaymentFailed", samples, None, scope=body)
    assert (answer.receives, answer.samples) == (True, ["declined"])
    missed = reception(rule, "sns", "PaymentCaptured", [("captured", CAPTURED)], None, scope=body)
    assert missed.samples == [] and missed.receives  # no schema: some payload could match


def test_a_tree_states_only_a_scope_other_than_the_default():
    assert stated_scope("message-attributes") is None
    assert stated_scope(None) is None
    assert stated_scope("message-body") == "message-body"
