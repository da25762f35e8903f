"""Reading router configuration as the AWS CLI exports it (app.core.routing.exported): each
document shape, consumer names from ARNs and endpoints, and bad documents reported with their
pointers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.errors import InvalidInput
from app.core.routing.exported import consumer_name, read_exports
from app.core.routing.model import ConsumerScope, Grammar

ROUTES = Path(__file__).parents[2] / "data" / "routes"


def load(*names: str) -> list[tuple[str, object]]:
    return [(name, json.loads((ROUTES / name).read_text())) for name in names]


def by_consumer(config) -> dict[str, object]:
    return {route.consumer: route for route in config.routes}


@pytest.mark.parametrize(
    ("target", "name"),
    [
        (
            "arn:aws:lambda:eu-west-2:123456789012:function:warehouse-allocator",
            "warehouse-allocator",
        ),
        ("arn:aws:lambda:eu-west-2:123456789012:function:mailer:live", "mailer"),
        ("arn:aws:sqs:eu-west-2:123456789012:ledger-feed", "ledger-feed"),
        ("arn:aws:states:eu-west-2:123456789012:stateMachine:fraud-screening", "fraud-screening"),
        ("arn:aws:events:eu-west-2:123456789012:event-bus/audit", "audit"),
        ("arn:aws:kinesis:eu-west-2:123456789012:stream/clickstream", "clickstream"),
        ("https://hooks.example.com/larkspur/payments", "hooks.example.com"),
        ("finance@example.com", "finance@example.com"),
    ],
)
def test_a_consumer_is_named_after_what_receives_the_events(target, name):
    assert consumer_name(target) == name


def test_the_combined_form_gives_one_route_per_target():
    config = read_exports(load("orders-routes.json"))
    assert config.grammar is Grammar.EVENTBRIDGE
    assert config.locations == ["larkspur-orders"]
    routes = by_consumer(config)
    assert len(config.routes) == 7
    assert routes["order-confirmation-mailer"].rule == {
        "source": ["larkspur.orders"],
        "detail-type": ["OrderPlaced"],
    }
    assert routes["fraud-screening"].source == "rule orders-fraud-screen target fraud"
    assert routes["warehouse-allocator"].pointer == "orders-routes.json/0/Targets/0"


def test_list_rules_with_the_targets_of_one_named_rule():
    config = read_exports(load("orders-rules.json", "orders-placed-targets.json"))
    assert sorted(by_consumer(config)) == [
        "order-confirmation-mailer",
        "payment-orchestrator",
        "warehouse-allocator",
    ]


def test_bare_targets_belong_to_the_only_rule():
    rules = {"Rules": [{"Name": "r", "EventPattern": '{"detail-type":["OrderPlaced"]}'}]}
    targets = {"Targets": [{"Id": "1", "Arn": "arn:aws:sqs:eu-west-2:1:q"}]}
    (route,) = read_exports([("/0", rules), ("/1", targets)]).routes
    assert (route.consumer, route.location) == ("q", "default")


def test_sns_subscriptions_with_their_attributes_and_scope():
    config = read_exports(load("payments-subscriptions.json", "payments-attributes.json"))
    assert config.grammar is Grammar.SNS
    assert config.locations == ["larkspur-payments-events"]
    routes = by_consumer(config)
    assert routes["dunning-mailer"].scope is ConsumerScope.MESSAGE_BODY
    assert routes["dunning-mailer"].rule["status"] == ["failed"]
    assert routes["revenue-reporting"].scope is ConsumerScope.MESSAGE_ATTRIBUTES
    assert all(route.rule_known for route in config.routes)


def test_subscriptions_without_attributes_have_an_unknown_policy():
    config = read_exports(load("payments-subscriptions.json"))
    assert [route.rule_known for route in config.routes] == [False] * 5
    assert all(route.rule is None and route.scope is None for route in config.routes)


def test_attributes_alone_describe_their_subscriptions():
    assert len(read_exports(load("payments-attributes.json")).routes) == 5


def problems(documents) -> list[dict]:
    with pytest.raises(InvalidInput) as raised:
        read_exports(documents)
    return raised.value.errors


def test_every_bad_rule_is_reported_with_its_pointer():
    rules = {
        "Rules": [
            {"Name": "a", "EventPattern": '{"detail-type": [{"prefix": 5}]}'},
            {"Name": "b", "EventPattern": "{not json"},
            {"Name": "c", "EventPattern": '{"detail-type": ["OrderPlaced"]}'},
        ]
    }
    targets = [
        {"Rule": name, "Targets": [{"Id": "1", "Arn": f"arn:aws:sqs:eu-west-2:1:{name}"}]}
        for name in "abc"
    ]
    found = problems([("/documents/0", rules), ("/documents/1", targets)])
    assert [p["pointer"] for p in found] == [
        "/documents/0/Rules/0/EventPattern",
        "/documents/0/Rules/1/EventPattern",
    ]
    assert found[0]["rule_pointer"] == "/detail-type/0/prefix"
    assert found[1]["message"].startswith("not JSON")


def test_an_sns_policy_is_checked_with_its_scope():
    nested = json.dumps({"payment": {"status": ["failed"]}})
    attributes = {
        "SubscriptionArn": "arn:aws:sns:eu-west-2:1:t:1",
        "TopicArn": "arn:aws:sns:eu-west-2:1:t",
        "Endpoint": "arn:aws:sqs:eu-west-2:1:q",
        "FilterPolicy": nested,
    }
    found = problems([("/0", {"Attributes": attributes})])
    assert found[0]["pointer"] == "/0/Attributes/FilterPolicy"
    body = {**attributes, "FilterPolicyScope": "MessageBody"}
    assert read_exports([("/0", {"Attributes": body})]).routes[0].rule == json.loads(nested)
    wrong = {**attributes, "FilterPolicyScope": "Body"}
    assert problems([("/0", {"Attributes": wrong})])[0]["pointer"].endswith("/FilterPolicyScope")


@pytest.mark.parametrize(
    ("documents", "pointer"),
    [
        ([("/0", {"Topics": []})], "/0"),
        ([("/0", "text")], "/0"),
        ([("/0", {"Rules": {}})], "/0/Rules"),
        ([("/0", {"Rules": [{"EventPattern": "{}"}]})], "/0/Rules/0/Name"),
        ([("/0", {"Targets": [{"Id": "x", "Arn": "arn:aws:sqs:r:1:q"}]})], "/0/Targets"),
        ([("/0", {"Rule": "gone", "Targets": []})], "/0/Targets"),
        ([("/0", {"Subscriptions": [{"Owner": "1"}]})], "/0/Subscriptions/0/SubscriptionArn"),
    ],
)
def test_documents_of_no_known_shape_are_refused_with_their_pointer(documents, pointer):
    assert problems(documents)[0]["pointer"] == pointer


def test_eventbridge_and_sns_documents_do_not_mix():
    documents = load("orders-routes.json", "payments-attributes.json")
    assert "mix" in problems(documents)[0]["message"]


def test_scheduled_and_disabled_rules_route_nothing():
    rules = [
        {"Name": "nightly", "ScheduleExpression": "cron(0 2 * * ? *)", "State": "ENABLED"},
        {"Name": "off", "EventPattern": '{"detail-type":["OrderPlaced"]}', "State": "DISABLED"},
    ]
    documents = [
        (
            "/0",
            [
                {"Rule": rule, "Targets": [{"Id": "1", "Arn": "arn:aws:sqs:r:1:q"}]}
                for rule in rules
            ],
        )
    ]
    assert read_exports(documents).routes == ()


def test_a_target_that_names_no_consumer_is_refused():
    rule = {"Name": "r", "EventPattern": '{"detail-type":["OrderPlaced"]}'}
    targets = [{"Id": "1", "Arn": "arn:aws:sqs:eu-west-2:1:"}, {"Id": "2", "Arn": "q\u0000"}]
    found = problems([("/0", {"Rule": rule, "Targets": targets})])
    assert [p["pointer"] for p in found] == ["/0/Targets/0/Arn", "/0/Targets/1/Arn"]
