"""Event-design analysis over REST: shapes, consumer cost, ordering, lints, rules, routers."""

import pytest

from tests.functional.api.conftest import ADMIN, ok

EVENT = "/api/v1/events/orders/OrderPlaced"
FULL_ORDER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["orderId"],
    "properties": {
        name: {"type": "string", "description": f"The order's {name}."}
        for name in (
            "orderId",
            "customerName",
            "street",
            "city",
            "postalCode",
            "country",
            "status",
            "note",
        )
    }
    | {
        "lines": {
            "type": "array",
            "description": "Order lines.",
            "items": {
                "type": "object",
                "properties": {
                    "sku": {"type": "string"},
                    "quantity": {"type": "integer"},
                    "price": {"type": "number"},
                },
            },
        },
        "total": {"type": "number", "description": "Grand total."},
    },
}


def test_a_thin_notification_is_called_thin_with_its_reasons(client):
    body = ok(
        client.post(
            "/api/v1/analysis",
            json={"samples": [{"orderId": "ord_8f2k1", "customerId": "cus_91x", "status": "PAID"}]},
        )
    )
    assert body["shape"] == "thin"
    assert 0 <= body["richness"] <= 1
    assert body["signals"] and all(signal["message"] for signal in body["signals"])
    assert body["advice"]


def test_a_delta_with_before_and_after_is_called_delta(client):
    sample = {
        "customerId": "c1",
        "changedFields": ["email"],
        "before": {"email": "a@example.com"},
        "after": {"email": "b@example.com"},
    }
    assert ok(client.post("/api/v1/analysis", json={"samples": [sample]}))["shape"] == "delta"


def test_an_empty_analysis_request_is_422(client):
    assert client.post("/api/v1/analysis", json={}).status_code == 422


def test_an_invalid_schema_sent_for_analysis_is_422_with_its_problems(client):
    for bad, pointer in (
        ({"type": "object", "properties": {"a": {"type": "text"}}}, "/properties/a/type"),
        ({"properties": {"b": {"$ref": "#/$defs/nowhere"}}}, "/properties/b/$ref"),
    ):
        response = client.post("/api/v1/analysis", json={"schema": bad})
        assert response.status_code == 422
        assert [e["pointer"] for e in response.json["errors"]] == [pointer]


def test_the_analysis_follows_a_reference_to_an_embedded_resource(client):
    money = {"$id": "money", "type": "object", "properties": {"amount": {"type": "number"}}}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://x/root",
        "$defs": {"m": money},
        "properties": {"total": {"$ref": "money"}},
    }
    body = ok(client.post("/api/v1/analysis", json={"schema": schema}))
    business = next(s for s in body["signals"] if s["id"] == "business-attributes")
    assert business["pointers"] == ["/total/amount"]


def test_an_event_analysis_reports_consumer_cost_ordering_and_lints(client, orders, teams):
    ok(client.put(f"{EVENT}/config", json={"compatibility": "NONE"}, headers=orders))
    ok(client.post(f"{EVENT}/versions", json={"schema": FULL_ORDER}, headers=orders), 201)
    body = {
        "name": "loyalty",
        "bus": "orders-events",
        "event": "orders.OrderPlaced",
        "fields": ["/orderId", "/loyaltyTier"],
        "calls_back": False,
    }
    ok(client.post("/api/v1/consumers", json=body, headers=teams["fulfilment"]), 201)
    report = ok(client.get(f"{EVENT}/analysis"))
    assert (report["event"], report["version"], report["shape"]) == (
        "orders.OrderPlaced",
        2,
        "full",
    )
    [gap] = (
        report["consumers"]["gaps"]
        if "gaps" in report["consumers"]
        else report["consumers"]["consumers_detail"]
    )
    assert gap["name"] == "loyalty" and gap["missing_fields"] == ["/loyaltyTier"]
    assert report["ordering"] is not None  # full state on EventBridge without a version number
    lint_ids = {finding["id"] for finding in report["lints"]}
    assert {"event-id", "event-occurred-at", "aggregate-named"} <= lint_ids
    assert "event-name-past-tense" not in lint_ids


def test_rules_are_admin_only_validated_and_applied(client, orders):
    rule = {
        "id": "correlation-id",
        "kind": "require-property",
        "pointer": "/correlationId",
        "severity": "error",
    }
    assert client.put("/api/v1/rules", json={"rules": [rule]}, headers=orders).status_code == 403
    bad = client.put(
        "/api/v1/rules", json={"rules": [{"id": "x", "kind": "be-nice"}]}, headers=ADMIN
    )
    assert bad.status_code == 422 and bad.json["errors"]
    ok(client.put("/api/v1/rules", json={"rules": [rule]}, headers=ADMIN))
    assert ok(client.get("/api/v1/rules"))["rules"] == [rule]
    findings = ok(client.get(f"{EVENT}/analysis"))["lints"]
    assert any(f["id"] == "correlation-id" and f["severity"] == "error" for f in findings)
    assert (
        ok(client.get("/api/v1/audit?action=rules.update"))["items"][0]["actor"]
        == "EVENTRY_ADMIN_TOKEN"
    )


def test_the_router_estimate_uses_the_public_list_prices(client):
    body = ok(
        client.post(
            "/api/v1/router-estimate", json={"events_per_second": 40, "payload_bytes": 102400}
        )
    )
    routers = {r["router"]: r for r in body["routers"]}
    # 40 events/s, each 100 KiB = two 64 KiB chunks, for 730 hours at $1.00 per million.
    assert routers["eventbridge"]["monthly_usd"] == pytest.approx(210.24)
    assert routers["kinesis"]["ordering"] == "per key"
    assert routers["eventbridge"]["ordering"] == "none"
    assert (
        client.post(
            "/api/v1/router-estimate", json={"events_per_second": -1, "payload_bytes": 10}
        ).status_code
        == 422
    )


def test_bus_advice_says_what_the_router_guarantees(client, orders):
    ok(
        client.post(
            f"{EVENT}/samples", json={"name": "s", "payload": {"orderId": "o-1"}}, headers=orders
        ),
        201,
    )
    advice = ok(client.get("/api/v1/buses/orders-events/advice?events_per_second=5"))
    assert (advice["router"], advice["ordering"]) == ("eventbridge", "none")
    assert advice["event_shapes"] == {"orders.OrderPlaced": "thin"}
    assert advice["payload_bytes"] > 0
    assert {r["router"] for r in advice["estimate"]["routers"]} >= {"eventbridge", "kinesis"}
    assert (
        client.get("/api/v1/buses/orders-events/advice?events_per_second=many").status_code == 400
    )


def test_the_price_table_can_be_overridden_from_a_file(database_url, tmp_path, monkeypatch):
    from app import create_app

    prices = tmp_path / "prices.json"
    prices.write_text('{"eventbridge": {"usd_per_million_events": 2.0}}')
    monkeypatch.setenv("EVENTRY_ROUTER_PRICES", str(prices))
    app = create_app({"database_url": database_url})
    body = (
        app.test_client()
        .post("/api/v1/router-estimate", json={"events_per_second": 40, "payload_bytes": 102400})
        .get_json()
    )
    app.extensions["eventry"].engine.dispose()
    routers = {r["router"]: r for r in body["routers"]}
    assert routers["eventbridge"]["monthly_usd"] == pytest.approx(420.48)
    assert routers["kinesis"]["monthly_usd"] > 0
