"""Findings about consumers over REST: rules that can never match or match everything, and
fields a consumer reads that the event lacks (the demo's deliberate mistakes among them), on
the consumers endpoint and in the analysis."""

from __future__ import annotations

from tests.functional.api.conftest import ok
from tests.functional.api.test_receivers import answers, demo, payments, register

__all__ = ["demo", "payments"]  # fixtures


def test_the_demos_consumers_that_read_missing_fields_are_findings(client, demo):
    points = answers(client, "orders.OrderCompleted")["trail-club-points"]
    assert points["missing_fields"] == ["/totals/grandTotal/amount"]
    assert points["calls_back"] is False and points["must_call_back"] is True
    (finding,) = points["findings"]
    assert finding["id"] == "consumer-reads-missing-field"
    assert finding["field_pointer"] == "/totals/grandTotal/amount"
    survey = answers(client, "shipping.ParcelDelivered")["delivery-survey-mailer"]
    assert survey["missing_fields"] == ["/customerId", "/deliveredAt"]
    analysis = ok(client.get("/api/v1/events/shipping/ParcelDelivered/analysis"))
    found = {(f["consumer"], f["team"], f["field_pointer"]) for f in analysis["consumer_findings"]}
    assert ("delivery-survey-mailer", "marketing-tech", "/customerId") in found
    placed = ok(client.get("/api/v1/events/orders/OrderPlaced/analysis"))
    assert placed["consumer_findings"] == []


def test_a_rule_that_can_never_match_is_a_finding_with_its_pointers(client, payments):
    register(client, "typo", {"detail-type": ["PaymentCaptured"], "detail": {"stauts": ["x"]}})
    register(client, "enum", {"detail-type": ["PaymentCaptured"], "detail": {"status": ["done"]}})
    register(client, "everything", {"source": [{"exists": True}]})
    rows = answers(client, "payments.PaymentCaptured")
    (typo,) = rows["typo"]["findings"]
    assert (typo["id"], typo["severity"]) == ("rule-field-missing", "error")
    assert (typo["rule_pointer"], typo["field_pointer"], typo["schema_pointer"]) == (
        "/detail/stauts",
        "/stauts",
        "",
    )
    (enum,) = rows["enum"]["findings"]
    assert enum["id"] == "rule-value-impossible"
    assert enum["schema_pointer"] == "/properties/status"
    assert "enum" in enum["message"]
    (everything,) = rows["everything"]["findings"]
    assert everything["id"] == "rule-matches-everything"
    analysis = ok(client.get("/api/v1/events/payments/PaymentCaptured/analysis"))
    assert {f["consumer"] for f in analysis["consumer_findings"]} == {"typo", "enum", "everything"}
