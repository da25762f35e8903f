"""Who receives an event and why, over REST, on the demo catalogue and on rules stored through
the API: one answer for the consumers endpoint and the analysis; rules checked when stored."""

from __future__ import annotations

import pytest

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ADMIN, ok


@pytest.fixture
def demo(session):
    return load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def answers(client, ref: str) -> dict[str, dict]:
    domain, name = ref.split(".")
    body = ok(client.get(f"/api/v1/events/{domain}/{name}/consumers"))
    return {row["name"]: row for row in body["consumers"]}


def test_a_rule_naming_other_event_types_does_not_receive_this_one(client, demo):
    captured = answers(client, "payments.PaymentCaptured")
    passed = captured["order-payment-status"]
    assert passed["receives"] is False
    assert passed["mismatch"]["rule_pointer"] == "/detail-type"
    assert '"PaymentCaptured"' in passed["reason"]
    assert captured["fulfilment-orchestrator"]["receives"] is True
    assert captured["fulfilment-orchestrator"]["samples"] == ["captured-at-packing"]
    assert answers(client, "payments.PaymentFailed")["order-payment-status"]["receives"] is True


def test_the_analysis_counts_the_same_consumers(client, demo):
    analysis = ok(client.get("/api/v1/events/payments/PaymentCaptured/analysis"))
    receiving = sorted(r["name"] for r in analysis["receivers"])
    assert receiving == sorted(
        name for name, row in answers(client, "payments.PaymentCaptured").items() if row["receives"]
    )
    assert receiving == ["fulfilment-orchestrator", "revenue-reporting"]
    assert analysis["consumers"]["consumers"] == 2


def test_a_value_the_catalogue_does_not_record_is_said_to_be_assumed(client, demo):
    archiver = answers(client, "customers.CustomerErased")["data-lake-archiver"]
    assert archiver["receives"] is True
    assert archiver["assumed"] == ["/source"]
    assert "/source" in archiver["reason"]


def test_a_consumer_without_a_rule_receives_only_the_event_it_declares(client, demo):
    consumer = {"name": "admin-api", "team": "checkout", "bus": "orders-events"}
    ok(client.post("/api/v1/consumers", json={**consumer, "event": "orders.OrderPlaced"},
                   headers=ADMIN), 201)  # fmt: skip
    placed = answers(client, "orders.OrderPlaced")["admin-api"]
    assert placed["receives"] is True and "declares" in placed["reason"]
    amended = answers(client, "orders.OrderAmended")["admin-api"]
    assert amended["receives"] is False and "only that event" in amended["reason"]
    # ... as the analysis and the landscape see it
    analysis = ok(client.get("/api/v1/events/orders/OrderAmended/analysis"))
    assert "admin-api" not in {r["name"] for r in analysis["receivers"]}
    # a consumer declaring nothing and without a rule still takes every event on its bus
    ok(client.post("/api/v1/consumers", json={**consumer, "name": "tap"}, headers=ADMIN), 201)
    assert answers(client, "orders.OrderAmended")["tap"]["receives"] is True


@pytest.fixture
def payments(client):
    """A payments domain with an EventBridge bus, a PaymentCaptured event without samples whose
    schema allows two statuses, and an SNS bus."""
    ok(client.post("/api/v1/teams", json={"slug": "pay", "name": "Pay"}, headers=ADMIN), 201)
    domain = {"slug": "payments", "name": "Payments", "owner": "pay"}
    ok(client.post("/api/v1/domains", json=domain, headers=ADMIN), 201)
    for slug, router in (("payments-bus", "eventbridge"), ("payments-topic", "sns")):
        bus = {"slug": slug, "domain": "payments", "router": router}
        ok(client.post("/api/v1/buses", json=bus, headers=ADMIN), 201)
    event = {"domain": "payments", "name": "PaymentCaptured", "bus": "payments-bus"}
    ok(client.post("/api/v1/events", json=event, headers=ADMIN), 201)
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["paymentId", "status"],
        "properties": {
            "paymentId": {"type": "string"},
            "status": {"enum": ["captured", "partially_captured"]},
            "amount": {"type": "number"},
        },
    }
    url = "/api/v1/events/payments/PaymentCaptured/versions"
    ok(client.post(url, json={"schema": schema}, headers=ADMIN), 201)


def register(client, name, pattern, bus="payments-bus", status=201):
    body = {"name": name, "bus": bus, "team": "pay", "pattern": pattern}
    return ok(client.post("/api/v1/consumers", json=body, headers=ADMIN), status)


@pytest.mark.parametrize(
    ("pattern", "receives", "words"),
    [
        ({"detail": {"status": ["partially_captured"]}}, True, "latest schema allows"),
        ({"detail": {"status": ["failed"]}}, False, "the schema's enum"),
        ({"detail": {"amount": [{"numeric": [">", 100]}]}}, True, "/detail/amount"),
        ({"detail": {"amount": [{"prefix": "1"}]}}, False, "prefix"),
        ({"detail": {"paymentId": [{"exists": False}]}}, False, "exists: false"),
        ({"detail": {"amount": [{"exists": False}]}}, True, "latest schema allows"),
        ({"detail": {"currency": ["GBP"]}}, False, "the field is missing"),
    ],
)
def test_without_samples_a_rule_that_can_match_a_valid_event_receives_it(
    client, payments, pattern, receives, words
):
    register(client, "reader", {"detail-type": ["PaymentCaptured"], **pattern})
    row = answers(client, "payments.PaymentCaptured")["reader"]
    assert row["receives"] is receives, row
    assert words in row["reason"]


@pytest.mark.parametrize(
    ("bus", "pattern", "pointer", "operator"),
    [
        (
            "payments-bus",
            {"detail": {"state": [{"contains": "x"}]}},
            "/pattern/detail/state/0/contains",
            "contains",
        ),
        ("payments-bus", {"detail-type": []}, "/pattern/detail-type", None),
        (
            "payments-topic",
            {"detail-type": [{"wildcard": "Pay*"}]},
            "/pattern/detail-type/0/wildcard",
            "wildcard",
        ),
        ("payments-topic", {"detail": {"status": ["x"]}}, "/pattern/detail", None),
    ],
)
def test_a_rule_its_router_refuses_is_a_422_and_nothing_is_stored(
    client, payments, bus, pattern, pointer, operator
):
    refused = register(client, "reader", pattern, bus=bus, status=422)
    assert refused["errors"][0]["pointer"] == pointer
    assert refused["errors"][0]["operator"] == operator
    assert ok(client.get("/api/v1/consumers"))["items"] == []


def test_a_changed_rule_is_checked_too(client, payments):
    consumer = register(client, "reader", {"detail-type": ["PaymentCaptured"]})
    url = f"/api/v1/consumers/{consumer['id']}"
    refused = client.patch(
        url, json={"pattern": {"source": [{"numeric": ["<", "5"]}]}}, headers=ADMIN
    )
    assert refused.status_code == 422
    assert refused.json["errors"][0]["pointer"] == "/pattern/source/0/numeric/1"
    assert ok(client.get(url))["pattern"] == {"detail-type": ["PaymentCaptured"]}


def test_a_declared_event_must_travel_on_the_consumers_bus(client, payments):
    body = {"name": "reader", "bus": "payments-topic", "event": "payments.PaymentCaptured"}
    refused = ok(client.post("/api/v1/consumers", json=body, headers=ADMIN), 422)
    assert "travels on payments-bus, not on payments-topic" in refused["detail"]
    assert refused["errors"][0]["pointer"] == "/event"
