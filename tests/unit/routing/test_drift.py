"""The drift between a bus's declared consumers and its router's configuration
(app.core.routing.drift): each kind, pairing by name, SNS scopes and unknown policies."""

from __future__ import annotations

from app.core.routing.drift import Declared, DriftKind, compare, named_event
from app.core.routing.exported import Route
from app.core.routing.model import ConsumerScope, Grammar

PLACED = {"detail-type": ["OrderPlaced"]}
AMENDED = {"detail-type": ["OrderAmended"]}


def route(name: str, rule=None, scope=None, known=True) -> Route:
    return Route(name, rule, "larkspur-orders", f"rule for {name}", "/0", scope, known)


def kinds(found) -> list[tuple[str, DriftKind]]:
    return [(d.name, d.kind) for d in found]


def test_each_kind_on_an_eventbridge_bus():
    routes = (route("same", PLACED), route("new", PLACED), route("moved", PLACED))
    routes += (route("changed", AMENDED),)
    declared = [Declared(1, "same", PLACED), Declared(2, "changed", PLACED)]
    declared += [Declared(3, "gone", PLACED)]
    found = compare(Grammar.EVENTBRIDGE, routes, declared, {"moved": ["payments-ledger"]})
    assert kinds(found) == [
        ("changed", DriftKind.RULE_DIFFERS),
        ("gone", DriftKind.ABSENT),
        ("moved", DriftKind.OTHER_BUS),
        ("new", DriftKind.UNDECLARED),
        ("same", DriftKind.UNCHANGED),
    ]
    assert found[2].buses == ("payments-ledger",)
    assert found[0].to_dict()["declared_rule"] == PLACED and found[0].to_dict()["rule"] == AMENDED


def test_one_name_with_several_rules_pairs_equal_rules_first():
    routes = (route("svc", AMENDED), route("svc", PLACED), route("svc", PLACED))  # one repeated
    declared = [Declared(1, "svc", PLACED)]
    assert kinds(compare(Grammar.EVENTBRIDGE, routes, declared, {})) == [
        ("svc", DriftKind.UNCHANGED),
        ("svc", DriftKind.UNDECLARED),  # declared here, but not with this rule
    ]


def test_on_sns_no_scope_is_the_attributes_scope_and_a_body_scope_differs():
    attributes = route("svc", PLACED, ConsumerScope.MESSAGE_ATTRIBUTES)
    assert kinds(compare(Grammar.SNS, (attributes,), [Declared(1, "svc", PLACED)], {})) == [
        ("svc", DriftKind.UNCHANGED)
    ]
    body = route("svc", PLACED, ConsumerScope.MESSAGE_BODY)
    assert kinds(compare(Grammar.SNS, (body,), [Declared(1, "svc", PLACED)], {})) == [
        ("svc", DriftKind.RULE_DIFFERS)
    ]


def test_an_unknown_policy_never_differs():
    unknown = route("svc", None, known=False)
    found = compare(Grammar.SNS, (unknown,), [Declared(1, "svc", PLACED)], {})
    assert kinds(found) == [("svc", DriftKind.UNCHANGED)]
    assert found[0].to_dict()["rule"] is None


def test_the_event_a_rule_names():
    assert named_event(PLACED, None) == "OrderPlaced"
    assert named_event({"detail-type": ["A", "B"]}, None) is None
    assert named_event({"detail-type": [{"prefix": "Order"}]}, None) is None
    assert named_event(PLACED, ConsumerScope.MESSAGE_BODY) is None  # a payload field, not a type
    assert named_event(None, None) is None
