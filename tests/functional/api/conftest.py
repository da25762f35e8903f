"""Helpers for the API tests: tokens and a small catalogue created through the API itself."""

import pytest

from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ORDER_V1 = {
    "type": "object",
    "additionalProperties": False,
    "required": ["orderId"],
    "properties": {
        "orderId": {"type": "string", "description": "The order."},
        "placedAt": {"type": "string", "format": "date-time"},
    },
}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def teams(client):
    """Two teams, each with a token: checkout owns orders, fulfilment consumes."""
    secrets = {}
    for slug in ("checkout", "fulfilment"):
        ok(
            client.post("/api/v1/teams", json={"slug": slug, "name": slug.title()}, headers=ADMIN),
            201,
        )
        token = ok(
            client.post(f"/api/v1/teams/{slug}/tokens", json={"name": f"{slug} ci"}, headers=ADMIN),
            201,
        )
        secrets[slug] = bearer(token["secret"])
    return secrets


@pytest.fixture
def orders(client, teams):
    """The orders domain with its bus and the OrderPlaced event at version 1."""
    checkout = teams["checkout"]
    ok(
        client.post(
            "/api/v1/domains",
            json={"slug": "orders", "name": "Orders", "owner": "checkout"},
            headers=checkout,
        ),
        201,
    )
    ok(
        client.post(
            "/api/v1/buses",
            json={"slug": "orders-events", "domain": "orders", "router": "eventbridge"},
            headers=checkout,
        ),
        201,
    )
    ok(
        client.post(
            "/api/v1/events",
            json={
                "domain": "orders",
                "name": "OrderPlaced",
                "bus": "orders-events",
                "producer": "order-service",
            },
            headers=checkout,
        ),
        201,
    )
    ok(
        client.post(
            "/api/v1/events/orders/OrderPlaced/versions",
            json={"schema": ORDER_V1, "note": "first"},
            headers=checkout,
        ),
        201,
    )
    return checkout


def new_event(client, headers, name: str, schema) -> str:
    """Add the event type orders.<name> on orders-events with one version of ``schema``;
    return the path of its versions."""
    event = {"domain": "orders", "name": name, "bus": "orders-events", "producer": "os"}
    ok(client.post("/api/v1/events", json=event, headers=headers), 201)
    path = f"/api/v1/events/orders/{name}/versions"
    ok(client.post(path, json={"schema": schema}, headers=headers), 201)
    return path
