"""Importing a bus's consumers from its exported router configuration, and the drift report,
over REST on the demo catalogue (tests/data/routes holds exports of its orders-events bus, an
EventBridge bus, and its payments-events bus, an SNS topic)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.api.conftest import ADMIN, bearer, ok
from tests.functional.api.test_consumed_version import described
from tests.functional.api.test_receivers import answers, demo

__all__ = ["demo"]  # a fixture

ROUTES = Path(__file__).parents[2] / "data" / "routes"


def documents(*names: str) -> dict:
    return {"documents": [json.loads((ROUTES / name).read_text()) for name in names]}


ORDERS = documents("orders-routes.json")
PAYMENTS = documents("payments-subscriptions.json", "payments-attributes.json")


def post(client, bus: str, what: str, body: dict, query: str = "", headers=ADMIN):
    return client.post(f"/api/v1/buses/{bus}/routes/{what}{query}", json=body, headers=headers)


def kinds(report: dict) -> dict[str, str]:
    return {d["consumer"]: d["kind"] for d in report["differences"]}


def actions(report: dict) -> dict[str, str]:
    return {row["consumer"]: row["action"] for row in report["consumers"]}


def consumers(client, bus: str) -> list[dict]:
    return ok(client.get(f"/api/v1/consumers?bus={bus}&limit=100"))["items"]


def test_drift_names_each_kind_on_an_eventbridge_bus(client, demo):
    report = described(ok(post(client, "orders-events", "drift", ORDERS)), "RouteDrift")
    assert report["drift"] is True
    assert report["locations"] == ["larkspur-orders"]
    assert kinds(report) == {
        "fraud-screening": "undeclared",
        "order-confirmation-mailer": "unchanged",
        "payment-orchestrator": "unchanged",
        "reservation-expiry-monitor": "absent",
        "shipping-address-updater": "rule-differs",
        "trail-club-points": "unchanged",
        "void-or-refund-handler": "unchanged",
        "warehouse-allocator": "unchanged",
    }
    differs = next(d for d in report["differences"] if d["kind"] == "rule-differs")
    assert differs["pointer"] == "/documents/0/1/Targets/0"
    assert differs["declared_rule"]["detail-type"] == ["OrderAmended"]
    assert "detail" in differs["rule"]


def test_drift_on_an_sns_bus_sees_other_buses_and_the_body_scope(client, demo):
    report = ok(post(client, "payments-events", "drift", PAYMENTS))
    assert kinds(report) == {
        "dunning-mailer": "undeclared",
        "finance-ledger-feed": "other-bus",
        "fulfilment-orchestrator": "unchanged",
        "order-payment-status": "unchanged",
        "revenue-reporting": "unchanged",
    }
    elsewhere = next(d for d in report["differences"] if d["kind"] == "other-bus")
    assert elsewhere["buses"] == ["payments-ledger"]
    assert next(d for d in report["differences"] if d["consumer"] == "dunning-mailer")["scope"] == (
        "message-body"
    )


def test_import_creates_and_updates_then_reimport_changes_nothing(client, demo):
    before = len(consumers(client, "orders-events"))
    first = described(ok(post(client, "orders-events", "import", ORDERS)), "RouteImport")
    assert actions(first)["fraud-screening"] == "created"
    assert actions(first)["shipping-address-updater"] == "updated"
    assert actions(first)["reservation-expiry-monitor"] == "absent"  # never deleted
    created = next(row for row in first["consumers"] if row["action"] == "created")
    assert created["event"] == "orders.OrderPlaced"  # its rule's one detail-type
    stored = ok(client.get(f"/api/v1/consumers/{created['consumer_id']}"))
    assert stored["pattern"]["detail"]["totals"]["grandTotal"]["amount"] == [
        {"numeric": [">=", 500]}
    ]
    assert len(consumers(client, "orders-events")) == before + 1
    again = ok(post(client, "orders-events", "import", ORDERS))
    assert set(actions(again).values()) == {"unchanged", "absent"}
    assert len(consumers(client, "orders-events")) == before + 1
    trail = ok(client.get("/api/v1/audit?target=consumer:" + str(created["consumer_id"])))
    assert [e["action"] for e in trail["items"]] == ["consumer.create"]


def test_an_imported_body_scope_consumer_is_matched_on_the_payload(client, demo):
    report = ok(post(client, "payments-events", "import", PAYMENTS))
    assert actions(report)["dunning-mailer"] == "created"
    assert actions(report)["finance-ledger-feed"] == "created"
    dunning = answers(client, "payments.PaymentFailed")["dunning-mailer"]
    assert dunning["receives"] is True
    assert dunning["samples"] == ["declined-at-authorisation"]
    assert answers(client, "payments.PaymentCaptured")["dunning-mailer"]["receives"] is False
    assert ok(post(client, "payments-events", "drift", PAYMENTS))["drift"] is False


def test_a_dry_run_changes_nothing(client, demo):
    before = consumers(client, "orders-events")
    report = ok(post(client, "orders-events", "import", ORDERS, "?dry_run=true"))
    assert report["dry_run"] is True
    assert actions(report)["fraud-screening"] == "created"
    assert consumers(client, "orders-events") == before


def test_a_bad_rule_is_a_422_with_its_pointer_and_changes_nothing(client, demo):
    bad = json.loads(json.dumps(ORDERS))
    bad["documents"][0][2]["Rule"]["EventPattern"] = '{"detail-type": [{"prefix": 5}]}'
    before = consumers(client, "orders-events")
    for what in ("import", "drift"):
        refused = post(client, "orders-events", what, bad)
        assert refused.status_code == 422, refused.json
        assert refused.json["errors"][0]["pointer"] == "/documents/0/2/Rule/EventPattern"
        assert refused.json["errors"][0]["rule_pointer"] == "/detail-type/0/prefix"
    assert consumers(client, "orders-events") == before


def test_exports_of_another_router_or_bus_kind_are_refused(client, demo):
    assert post(client, "orders-events", "drift", PAYMENTS).status_code == 422
    assert post(client, "payments-ledger", "drift", PAYMENTS).status_code == 422  # an SQS bus
    assert (
        post(client, "orders-events", "drift", {"documents": [{"Topics": []}]}).status_code == 422
    )
    assert post(client, "orders-events", "drift", {"documents": []}).status_code == 422
    assert post(client, "no-such-bus", "drift", ORDERS).status_code == 404


def test_only_the_bus_owner_imports(client, demo):
    token = ok(
        client.post("/api/v1/teams/payments/tokens", json={"name": "ci"}, headers=ADMIN), 201
    )
    other = bearer(token["secret"])
    assert post(client, "orders-events", "import", ORDERS, headers=other).status_code == 403
    assert post(client, "orders-events", "import", ORDERS, headers={}).status_code == 401
    assert post(client, "payments-events", "import", PAYMENTS, headers=other).status_code == 200
    theirs = {**PAYMENTS, "team": "checkout"}
    assert post(client, "payments-events", "import", theirs, headers=other).status_code == 403
    ours = ok(
        post(client, "payments-events", "import", {**PAYMENTS, "team": "payments"}, headers=other)
    )
    assert {row["action"] for row in ours["consumers"]} == {"unchanged"}  # imported already


def test_the_openapi_document_describes_both_endpoints(client):
    document = ok(client.get("/api/v1/openapi.json"))
    imported = document["paths"]["/api/v1/buses/{bus}/routes/import"]["post"]
    assert "dry_run" in [p["name"] for p in imported.get("parameters", [])]
    assert imported["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RouteImport"
    }
    drift = document["paths"]["/api/v1/buses/{bus}/routes/drift"]["post"]
    assert "RouteDrift" in json.dumps(drift["responses"]["200"])
    body = drift["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/routes-import"}
    assert "documents" in document["components"]["schemas"]["routes-import"]["properties"]
