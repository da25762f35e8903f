"""GET /api/v1/findings: every finding of the catalogue, filtered, counted and paged."""

from __future__ import annotations

import pytest

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ADMIN, ok
from tests.functional.api.test_receivers import payments, register

__all__ = ["payments"]  # fixtures

# What docs/api.md and docs/ui.md say the demo catalogue has (a test keeps the docs true).
DEMO_FINDINGS = 16
DEMO_KINDS = {"lint": 10, "ordering-hazard": 2, "consumer-gap": 4}


@pytest.fixture
def demo(session):
    return load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def test_the_demo_has_the_findings_the_docs_promise(client, demo):
    body = ok(client.get("/api/v1/findings?limit=200"))
    assert len(body["items"]) == DEMO_FINDINGS and body["next"] is None
    assert body["counts"]["kinds"] == DEMO_KINDS
    assert body["counts"]["severities"] == {"warning": 16}
    assert sum(body["counts"]["domains"].values()) == DEMO_FINDINGS
    assert body["skipped"] == 0
    hazard = next(f for f in body["items"] if f["event"] == "orders.OrderAmended"
                  and f["kind"] == "ordering-hazard")  # fmt: skip
    assert (
        hazard["bus"]
        and hazard["team"] == "checkout"
        and "does not keep order" in hazard["message"]
    )
    gap = next(f for f in body["items"] if f["consumer"] == "trail-club-points")
    assert gap["kind"] == "consumer-gap" and gap["id"] == "consumer-reads-missing-field"
    assert gap["pointer"] == "/totals/grandTotal/amount" and gap["team"] == "marketing-tech"
    # Every finding says what to do about it, consumers' findings too.
    assert all(f["hint"].strip() for f in body["items"])
    assert "calls_back" in gap["hint"]


def test_filters_repeat_or_take_comma_lists(client, demo):
    shipping = ok(client.get("/api/v1/findings?domain=shipping"))["items"]
    assert shipping and {f["domain"] for f in shipping} == {"shipping"}
    both = ok(client.get("/api/v1/findings?domain=shipping,orders"))
    repeated = ok(client.get("/api/v1/findings?domain=shipping&domain=orders"))
    assert both == repeated
    assert set(both["counts"]["domains"]) == {"shipping", "orders"}
    # The demo's events on other domains' buses travel there by the bus owners' consent.
    assert ok(client.get("/api/v1/findings?severity=error"))["items"] == []
    warnings = ok(client.get("/api/v1/findings?severity=warning&domain=inventory"))["items"]
    assert {f["id"] for f in warnings} >= {"bus-other-domain"}
    gaps = ok(client.get("/api/v1/findings?kind=consumer-gap&team=marketing-tech"))
    assert len(gaps["items"]) == DEMO_KINDS["consumer-gap"]
    assert gaps["counts"]["kinds"] == {"consumer-gap": DEMO_KINDS["consumer-gap"]}


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ("severity=fatal", 422, "severity"),
        ("kind=lint,typo", 422, "kind"),
        ("domain=nowhere", 404, "nowhere"),
        ("team=nobody", 404, "nobody"),
        ("cursor=bm9wZQ", 400, "cursor"),
    ],
)
def test_a_bad_filter_is_named(client, demo, query, status, named):
    response = client.get(f"/api/v1/findings?{query}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert named in response.get_json()["detail"]


def test_pages_follow_one_another_without_loss(client, demo):
    seen, link = [], "/api/v1/findings?limit=4&severity=warning"
    while link:
        body = ok(client.get(link))
        assert len(body["items"]) <= 4
        seen += body["items"]
        link = body["next"]
    whole = ok(client.get("/api/v1/findings?limit=200&severity=warning"))["items"]
    assert seen == whole and len(whole) == 16


def test_a_consumer_of_a_deprecated_event_is_warned(client, demo):
    body = {"state": "deprecated", "reason": "points move to loyalty", "since": "2026-11-01"}
    ok(client.put("/api/v1/events/orders/OrderCompleted/lifecycle", json=body, headers=ADMIN))
    found = ok(client.get("/api/v1/findings?kind=deprecated-use"))["items"]
    assert found, "every consumer receiving OrderCompleted is warned"
    assert all(f["event"] == "orders.OrderCompleted" and f["severity"] == "warning" for f in found)
    assert any(f["consumer"] == "trail-club-points" for f in found)
    assert "deprecated since 2026-11-01: points move to loyalty" in found[0]["message"]


def test_the_openapi_document_describes_it(client):
    document = ok(client.get("/api/v1/openapi.json"))
    operation = document["paths"]["/api/v1/findings"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"domain", "team", "severity", "kind", "limit", "cursor"} <= names
    assert "FindingsPage" in document["components"]["schemas"]


def test_an_events_analysis_lists_the_same_findings(client, demo):
    # One gatherer: the event's analysis and the list across domains never disagree.
    body = {"state": "deprecated", "reason": "points move to loyalty"}
    ok(client.put("/api/v1/events/orders/OrderCompleted/lifecycle", json=body, headers=ADMIN))
    listed = ok(client.get("/api/v1/findings?limit=200&domain=orders,shipping"))["items"]
    for event in ("orders.OrderAmended", "orders.OrderCompleted", "shipping.ParcelDelivered"):
        analysis = ok(client.get(f"/api/v1/events/{event.replace('.', '/')}/analysis"))
        assert analysis["findings"] == [f for f in listed if f["event"] == event], event
        assert analysis["findings"], event


def test_a_rule_that_can_never_match_is_a_routing_rule_finding(client, payments):
    register(client, "typo", {"detail-type": ["PaymentCaptured"], "detail": {"stauts": ["x"]}})
    body = ok(client.get("/api/v1/findings?kind=routing-rule"))
    (typo,) = body["items"]
    assert (typo["id"], typo["severity"], typo["consumer"]) == (
        "rule-field-missing",
        "error",
        "typo",
    )
    assert (typo["event"], typo["rule_pointer"], typo["pointer"]) == (
        "payments.PaymentCaptured",
        "/detail/stauts",
        "/stauts",
    )
    assert body["counts"]["severities"] == {"error": 1}
