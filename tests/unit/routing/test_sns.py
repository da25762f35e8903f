"""SNS subscription filter policies, one test per operator, from the SNS documentation
("String value matching", "Numeric value matching", "Key matching", "AND/OR logic",
"Filter policy constraints in Amazon SNS")."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidInput
from app.core.routing import Grammar, InvalidPattern, Scope, compile_rule, match_rule

ATTRIBUTES = Scope.MESSAGE_ATTRIBUTES
BODY = Scope.MESSAGE_BODY


def attribute(value, kind="String"):
    return {"Type": kind, "Value": value}


def matches(policy, event, scope=ATTRIBUTES) -> bool:
    return match_rule(policy, event, Grammar.SNS, scope).matched


def test_exact_string_on_attributes_string_arrays_and_bodies():
    policy = {"customer_interests": ["rugby", "tennis"]}
    assert matches(policy, {"customer_interests": attribute("rugby")})
    assert matches(policy, {"customer_interests": attribute('["rugby", "tennis"]', "String.Array")})
    assert matches(policy, {"customer_interests": "tennis"}, BODY)
    assert not matches(policy, {"customer_interests": attribute("baseball")})
    assert not matches(policy, {"customer_interests": attribute('["baseball"]', "String.Array")})


def test_anything_but_on_a_string_array_needs_every_element_not_listed():
    policy = {"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}
    assert matches(policy, {"customer_interests": attribute("baseball")})
    both = {"customer_interests": attribute('["rugby", "baseball"]', "String.Array")}
    assert not matches(policy, both)
    # In a message body an array matches when any element is not listed.
    assert matches(policy, {"customer_interests": ["rugby", "baseball"]}, BODY)


def test_anything_but_prefix_and_exists_false_together():
    policy = {"event_type": [{"anything-but": {"prefix": "order-"}}, {"exists": False}]}
    assert matches(policy, {"event_type": attribute("product-placed")})
    assert matches(policy, {})
    assert not matches(policy, {"event_type": attribute("order-placed")})


def test_prefix_suffix_and_equals_ignore_case():
    assert matches(
        {"customer_interests": [{"prefix": "bas"}]}, {"customer_interests": attribute("baseball")}
    )
    assert matches(
        {"customer_interests": [{"suffix": "ball"}]}, {"customer_interests": attribute("baseball")}
    )
    assert matches(
        {"customer_interests": [{"equals-ignore-case": "tennis"}]},
        {"customer_interests": attribute("TeNnis")},
    )
    assert not matches(
        {"customer_interests": [{"prefix": "rug"}]}, {"customer_interests": attribute("baseball")}
    )


def test_numeric_exact_range_and_anything_but():
    price = {"price_usd": attribute("301.5", "Number")}
    assert matches({"price_usd": [{"numeric": ["=", 301.5]}]}, price)
    assert matches({"price_usd": [{"numeric": [">", 0, "<=", 500]}]}, price)
    assert not matches({"price_usd": [{"numeric": ["<", 100]}]}, price)
    assert matches({"price_usd": [{"anything-but": [100, 200]}]}, price)
    # Numeric conditions compare Number attributes only, never a String that looks numeric.
    assert not matches(
        {"price_usd": [{"numeric": ["=", 301.5]}]}, {"price_usd": attribute("301.5")}
    )


def test_ip_address_matching():
    policy = {"source_ip": [{"cidr": "10.0.0.0/24"}]}
    assert matches(policy, {"source_ip": attribute("10.0.0.255")})
    assert not matches(policy, {"source_ip": attribute("10.1.1.0")})


def test_key_matching():
    assert matches({"store": [{"exists": True}]}, {"store": attribute("example_corp")})
    assert not matches({"store": [{"exists": True}]}, {"event": attribute("order_placed")})
    assert matches({"store": [{"exists": False}]}, {"event": attribute("order_placed")})


def test_and_or_and_the_or_operator():
    policy = {
        "source": ["aws.cloudwatch"],
        "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}],
    }
    assert matches(
        policy, {"source": attribute("aws.cloudwatch"), "namespace": attribute("AWS/EC2")}
    )
    assert not matches(
        policy, {"source": attribute("aws.cloudwatch"), "namespace": attribute("AWS/ES")}
    )


def test_payload_based_filtering_nests():
    policy = {"store": ["example_corp"], "order": {"total": [{"numeric": [">", 100]}]}}
    assert matches(policy, {"store": "example_corp", "order": {"total": 150}}, BODY)
    assert not matches(policy, {"store": "example_corp", "order": {"total": 50}}, BODY)


@pytest.mark.parametrize(
    ("policy", "pointer", "operator", "words"),
    [
        (
            {"a": [{"wildcard": "x*"}]},
            "/a/0/wildcard",
            "wildcard",
            "SNS has no operator 'wildcard'",
        ),
        (
            {"a": [{"prefix": {"equals-ignore-case": "x"}}]},
            "/a/0/prefix",
            "prefix",
            "takes a string",
        ),
        ({"a": [{"anything-but": {"suffix": "x"}}]}, "/a/0/anything-but", "anything-but", "prefix"),
        ({"a": [{"numeric": [">", 1e10]}]}, "/a/0/numeric/1", "numeric", "-10^9 and 10^9"),
        ({"a": [{"numeric": ["=", 0.123456]}]}, "/a/0/numeric/1", "numeric", "5 digits"),
        ({"a": {"b": ["x"]}}, "/a", None, "do not nest"),
    ],
)
def test_what_sns_refuses(policy, pointer, operator, words):
    with pytest.raises(InvalidPattern) as caught:
        compile_rule(policy, Grammar.SNS, ATTRIBUTES)
    assert (caught.value.pointer, caught.value.operator) == (pointer, operator)
    assert words in caught.value.detail


def test_sns_limits_on_keys_and_combinations():
    six_keys = {f"k{i}": ["x"] for i in range(6)}
    with pytest.raises(InvalidPattern, match="at most 5 keys"):
        compile_rule(six_keys, Grammar.SNS, ATTRIBUTES)
    many = {"a": list("abcdefghij"), "b": list("abcdefghij"), "c": list("ab")}
    with pytest.raises(InvalidPattern, match=r"combine to at most 150 \(this one: 200"):
        compile_rule(many, Grammar.SNS, ATTRIBUTES)
    compile_rule({"a": list("abcdefghij"), "b": list("abcdefghijklmno")}, Grammar.SNS, ATTRIBUTES)


def test_attributes_sns_could_not_carry_are_refused():
    with pytest.raises(InvalidInput, match="Number attribute"):
        match_rule({"a": ["x"]}, {"a": attribute("ten", "Number")}, Grammar.SNS, ATTRIBUTES)
    with pytest.raises(InvalidInput, match="attribute types"):
        match_rule({"a": ["x"]}, {"a": attribute("x", "Text")}, Grammar.SNS, ATTRIBUTES)
    # Publish-API spelling and plain values are read too.
    assert matches({"a": ["x"]}, {"a": {"DataType": "String", "StringValue": "x"}})
    assert matches({"a": [{"numeric": [">", 1]}]}, {"a": 2})
