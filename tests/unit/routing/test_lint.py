"""Routing rules against the schema of their event: one test per finding kind, and how rule
paths map to payload and schema pointers (EventBridge's detail, SNS attributes and body)."""

from __future__ import annotations

import pytest

from app.core.routing import Grammar, Scope, compile_rule
from app.core.routing.lint import (
    ConsumerFinding,
    ConsumerFindingKind,
    consumer_findings,
    gap_findings,
    lint_rule,
    matches_everything,
)
from app.core.schema import SchemaDocument

SCHEMA = SchemaDocument.checked(
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["orderId", "status"],
        "properties": {
            "orderId": {"type": "string", "pattern": "^o-[0-9]+$"},
            "status": {"enum": ["placed", "paid"]},
            "channel": {"const": "web"},
            "total": {"type": "integer"},
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"sku": {"type": "string"}},
                },
            },
            "meta": {"type": "object", "properties": {"region": {"type": "string"}}},
        },
    }
)


def lint(rule, router="eventbridge", declared=True, scope=None):
    grammar = Grammar.SNS if router == "sns" else Grammar.EVENTBRIDGE
    if router == "sns" and scope is None:
        scope = Scope.MESSAGE_ATTRIBUTES
    node = compile_rule(rule, grammar, scope)
    return lint_rule(node, router, "OrderPlaced", SCHEMA, declared=declared, scope=scope)


def only(findings):
    assert len(findings) == 1, findings
    return findings[0]


def test_a_field_the_closed_schema_lacks_can_never_match():
    found = only(lint({"detail": {"colour": ["red"]}}))
    assert found.kind is ConsumerFindingKind.FIELD_MISSING and found.severity == "error"
    assert (found.rule_pointer, found.field_pointer, found.schema_pointer) == (
        "/detail/colour",
        "/colour",
        "",
    )
    nested = only(lint({"detail": {"lines": {"colour": ["x"]}}}))
    assert (nested.field_pointer, nested.schema_pointer) == (
        "/lines/0/colour",
        "/properties/lines/items",
    )


def test_a_field_an_open_object_does_not_declare_is_a_warning():
    found = only(lint({"detail": {"meta": {"regoin": ["eu"]}}}))
    assert found.kind is ConsumerFindingKind.FIELD_UNDECLARED and found.severity == "warning"
    assert found.schema_pointer == "/properties/meta"


def test_exists_false_on_a_missing_field_is_fine():
    assert lint({"detail": {"colour": [{"exists": False}]}}) == []


def test_literals_outside_enum_const_or_pattern_can_never_match():
    for field, value in (("status", "shipped"), ("channel", "app"), ("orderId", "x-1")):
        found = only(lint({"detail": {field: [value]}}))
        assert found.kind is ConsumerFindingKind.VALUE_IMPOSSIBLE
        assert found.schema_pointer == f"/properties/{field}"
    assert "pattern ^o-[0-9]+$" in only(lint({"detail": {"orderId": ["x-1"]}})).message
    assert lint({"detail": {"status": ["paid"], "orderId": ["o-1"], "channel": ["web"]}}) == []


def test_a_filter_of_another_type_can_never_match():
    numeric = only(lint({"detail": {"orderId": [{"numeric": [">", 1]}]}}))
    assert numeric.kind is ConsumerFindingKind.TYPE_MISMATCH
    assert "type string" in numeric.message
    assert (
        only(lint({"detail": {"total": [{"prefix": "1"}]}})).kind
        is ConsumerFindingKind.TYPE_MISMATCH
    )
    on_object = only(lint({"detail": {"meta": ["eu"]}}))
    assert on_object.kind is ConsumerFindingKind.TYPE_MISMATCH


def test_or_fails_only_when_every_branch_fails():
    both = lint({"$or": [{"detail": {"status": ["x"]}}, {"detail": {"status": ["y"]}}]})
    assert [f.rule_pointer for f in both] == ["/$or/0/detail/status", "/$or/1/detail/status"]
    assert lint({"$or": [{"detail": {"status": ["x"]}}, {"detail": {"status": ["paid"]}}]}) == []


def test_the_declared_events_name_is_checked_and_other_events_are_left_alone():
    name, field = lint({"detail-type": ["OrderPlacd"], "detail": {"colour": ["x"]}})
    assert name.kind is ConsumerFindingKind.VALUE_IMPOSSIBLE and name.field_pointer is None
    assert '"OrderPlaced"' in name.message
    assert field.kind is ConsumerFindingKind.FIELD_MISSING
    assert lint({"detail-type": ["OrderPlacd"]}, declared=False) == []


def test_a_rule_that_filters_nothing_matches_everything():
    for rule in (
        {"source": [{"exists": True}]},
        {"detail-type": [{"prefix": ""}]},
        {"detail-type": [{"wildcard": "*"}]},
    ):
        found = only(lint(rule))
        assert found.kind is ConsumerFindingKind.MATCHES_EVERYTHING and found.severity == "warning"
    node = compile_rule({"detail-type": ["OrderPlaced"]}, Grammar.EVENTBRIDGE)
    assert not matches_everything(node, "eventbridge")
    sns = compile_rule({"source": [{"exists": True}]}, Grammar.SNS, Scope.MESSAGE_ATTRIBUTES)
    assert not matches_everything(sns, "sns")  # SNS publishers may leave the attribute out


def test_sns_attributes_are_not_schema_fields_but_the_body_is():
    assert lint({"detail-type": ["OrderPlaced"], "region": ["eu"]}, router="sns") == []
    body = only(lint({"status": ["shipped"]}, router="sns", scope=Scope.MESSAGE_BODY))
    assert (body.rule_pointer, body.field_pointer) == ("/status", "/status")


def test_fields_a_consumer_reads_that_the_event_lacks_are_findings():
    carried = {"/orderId", "/totals/grandTotal/amount"}
    found = gap_findings(["/orderId", "/totals", "/customerId"], carried, False)
    assert [f.field_pointer for f in found] == ["/customerId"]  # a child carried covers /totals
    assert found[0].kind is ConsumerFindingKind.FIELD_NOT_CARRIED
    assert found[0].severity == "warning" and found[0].rule_pointer is None
    assert "although it declares that it does not" in found[0].message
    assert (
        "declares that it calls the producer back" in gap_findings(["/x"], set(), True)[0].message
    )


def test_a_consumer_is_linted_only_on_events_it_receives_or_declares():
    node = compile_rule({"detail": {"status": ["shipped"]}}, Grammar.EVENTBRIDGE)
    consumer = {"rule": node, "declared": False, "fields": ["/colour"], "calls_back": False}
    assert consumer_findings(consumer, "eventbridge", "OrderPlaced", SCHEMA, set(), False) == []
    declared = {**consumer, "declared": True}
    kinds = [
        f.kind
        for f in consumer_findings(declared, "eventbridge", "OrderPlaced", SCHEMA, set(), False)
    ]
    assert kinds == [ConsumerFindingKind.VALUE_IMPOSSIBLE]
    kinds = [
        f.kind
        for f in consumer_findings(declared, "eventbridge", "OrderPlaced", SCHEMA, set(), True)
    ]
    assert kinds == [ConsumerFindingKind.VALUE_IMPOSSIBLE, ConsumerFindingKind.FIELD_NOT_CARRIED]


@pytest.mark.parametrize("kind", list(ConsumerFindingKind))
def test_every_kind_of_finding_says_what_to_do(kind):
    hint = ConsumerFinding(kind, "/detail/x", "a message").hint
    assert hint.endswith(".") and len(hint.split()) >= 8
