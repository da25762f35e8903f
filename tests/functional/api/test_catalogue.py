"""Teams, tokens, domains, buses, event types and consumers over REST."""

from tests.functional.api.conftest import ADMIN, ok


def test_teams_are_created_listed_and_read(client, teams):
    listed = ok(client.get("/api/v1/teams"))
    assert [t["slug"] for t in listed["items"]] == ["checkout", "fulfilment"]
    assert ok(client.get("/api/v1/teams/checkout"))["name"] == "Checkout"
    assert client.get("/api/v1/teams/nobody").status_code == 404


def test_token_secrets_are_shown_once_and_never_listed(client, teams):
    created = ok(
        client.post("/api/v1/teams/checkout/tokens", json={"name": "laptop"}, headers=ADMIN), 201
    )
    assert created["secret"].startswith("evt_")
    listed = ok(client.get("/api/v1/teams/checkout/tokens", headers=teams["checkout"]))
    assert [t["name"] for t in listed["items"]] == ["checkout ci", "laptop"]
    assert all("secret" not in t and "secret_hash" not in t for t in listed["items"])


def test_a_revoked_token_stops_working_at_once(client, teams):
    created = ok(
        client.post("/api/v1/teams/checkout/tokens", json={"name": "old"}, headers=ADMIN), 201
    )
    headers = {"Authorization": f"Bearer {created['secret']}"}
    body = {"slug": "orders", "name": "Orders", "owner": "checkout"}
    revoked = ok(client.delete(f"/api/v1/tokens/{created['id']}", headers=teams["checkout"]))
    assert revoked["revoked_at"] is not None
    response = client.post("/api/v1/domains", json=body, headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json["detail"]


def test_domains_and_buses_round_trip(client, orders):
    domain = ok(client.get("/api/v1/domains/orders"))
    assert domain == {
        "slug": "orders",
        "name": "Orders",
        "description": "",
        "owner": "checkout",
        "links": {"self": "/api/v1/domains/orders"},
    }
    changed = ok(
        client.patch(
            "/api/v1/domains/orders", json={"description": "Order lifecycle."}, headers=orders
        )
    )
    assert changed["description"] == "Order lifecycle."
    bus = ok(
        client.patch("/api/v1/buses/orders-events", json={"router": "kinesis"}, headers=orders)
    )
    assert bus["router"] == "kinesis"
    assert [b["slug"] for b in ok(client.get("/api/v1/buses?domain=orders"))["items"]] == [
        "orders-events"
    ]


def test_event_types_are_listed_with_filters(client, orders):
    ok(
        client.post(
            "/api/v1/events",
            json={
                "domain": "orders",
                "name": "OrderCancelled",
                "producer": "cancellations",
                "deprecated": True,
            },
            headers=orders,
        ),
        201,
    )
    every = ok(client.get("/api/v1/events"))
    assert [e["name"] for e in every["items"]] == ["OrderCancelled", "OrderPlaced"]
    assert [e["name"] for e in ok(client.get("/api/v1/events?bus=orders-events"))["items"]] == [
        "OrderPlaced"
    ]
    assert [
        e["name"] for e in ok(client.get("/api/v1/events?producer=cancellations"))["items"]
    ] == ["OrderCancelled"]
    assert [e["name"] for e in ok(client.get("/api/v1/events?deprecated=false"))["items"]] == [
        "OrderPlaced"
    ]
    assert client.get("/api/v1/events?domain=nowhere").status_code == 404
    assert client.get("/api/v1/events?deprecated=perhaps").status_code == 400


def test_an_event_type_can_be_changed(client, orders):
    event = ok(
        client.patch(
            "/api/v1/events/orders/OrderPlaced",
            json={"aggregate": "Order", "bus": None},
            headers=orders,
        )
    )
    assert (event["aggregate"], event["bus"]) == ("Order", None)


def test_a_badly_named_event_is_refused_with_the_reason(client, orders):
    response = client.post(
        "/api/v1/events", json={"domain": "orders", "name": "place_order"}, headers=orders
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/name"


def test_consumers_register_change_and_leave(client, orders, teams):
    body = {
        "name": "shipment-planner",
        "bus": "orders-events",
        "event": "orders.OrderPlaced",
        "fields": ["/orderId"],
        "calls_back": True,
        "pattern": {"detail-type": ["OrderPlaced"]},
    }
    consumer = ok(client.post("/api/v1/consumers", json=body, headers=teams["fulfilment"]), 201)
    assert consumer["team"] == "fulfilment" and consumer["event"] == "orders.OrderPlaced"
    assert [
        c["name"] for c in ok(client.get("/api/v1/consumers?event=orders.OrderPlaced"))["items"]
    ] == ["shipment-planner"]
    changed = ok(
        client.patch(
            f"/api/v1/consumers/{consumer['id']}",
            json={"calls_back": False},
            headers=teams["fulfilment"],
        )
    )
    assert changed["calls_back"] is False
    assert (
        client.patch(
            f"/api/v1/consumers/{consumer['id']}", json={"calls_back": True}, headers=orders
        ).status_code
        == 403
    )
    assert (
        client.delete(
            f"/api/v1/consumers/{consumer['id']}", headers=teams["fulfilment"]
        ).status_code
        == 204
    )
    assert client.get(f"/api/v1/consumers/{consumer['id']}").status_code == 404


def test_deleting_what_others_depend_on_says_what_depends(client, orders, teams):
    body = {"name": "shipment-planner", "bus": "orders-events", "event": "orders.OrderPlaced"}
    ok(client.post("/api/v1/consumers", json=body, headers=teams["fulfilment"]), 201)
    domain = client.delete("/api/v1/domains/orders", headers=orders)
    assert domain.status_code == 409
    assert (
        "bus orders-events" in domain.json["detail"]
        and "event type OrderPlaced" in domain.json["detail"]
    )
    bus = client.delete("/api/v1/buses/orders-events", headers=orders)
    assert bus.status_code == 409 and "consumer shipment-planner" in bus.json["detail"]
    event = client.delete("/api/v1/events/orders/OrderPlaced", headers=orders)
    assert event.status_code == 409 and "consumer shipment-planner" in event.json["detail"]
    assert ok(client.get("/api/v1/events/orders/OrderPlaced"))["name"] == "OrderPlaced"


def test_things_without_dependents_are_deleted(client, orders):
    assert client.delete("/api/v1/events/orders/OrderPlaced", headers=orders).status_code == 204
    assert client.delete("/api/v1/buses/orders-events", headers=orders).status_code == 204
    assert client.delete("/api/v1/domains/orders", headers=orders).status_code == 204
    assert client.get("/api/v1/domains/orders").status_code == 404


def test_every_write_is_in_the_audit_log(client, orders):
    client.patch("/api/v1/domains/orders", json={"name": "Order Management"}, headers=orders)
    entries = ok(client.get("/api/v1/audit?target=domain:orders"))["items"]
    assert [e["action"] for e in entries] == ["domain.update", "domain.create"]
    update = entries[0]
    assert update["actor"] == "checkout ci"
    assert (update["before"]["name"], update["after"]["name"]) == ("Orders", "Order Management")
    actions = {e["action"] for e in ok(client.get("/api/v1/audit?limit=200"))["items"]}
    assert {
        "team.create",
        "token.create",
        "bus.create",
        "event.create",
        "version.register",
    } <= actions
    assert (
        ok(client.get("/api/v1/audit?action=bus.create"))["items"][0]["target"]
        == "bus:orders-events"
    )
    assert ok(client.get("/api/v1/audit?since=2999-01-01T00:00:00Z"))["items"] == []
    assert client.get("/api/v1/audit?since=yesterday").status_code == 400
