"""The team page lists its webhooks, and each has a page with its delivery log."""

from __future__ import annotations

from tests.functional.api.conftest import ok
from tests.functional.webhooks.test_delivery import catalogue, place_order_event, subscribe


def test_the_team_page_lists_webhooks_and_each_shows_its_delivery_log(make_app):
    client = make_app(worker=False).test_client()
    tokens = catalogue(client)
    url = "http://127.0.0.1:9/hooks?token=receivers-own-secret"
    hook = subscribe(client, tokens["checkout"], url, domain="orders")
    place_order_event(client, tokens["checkout"])
    ok(client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=tokens["checkout"]), 202)
    team = client.get("/teams/checkout").get_data(as_text=True)
    assert f'href="/teams/checkout/webhooks/{hook["id"]}"' in team
    assert "http://127.0.0.1:9/hooks" in team and "receivers-own-secret" not in team
    page = client.get(f"/teams/checkout/webhooks/{hook['id']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for kind in ("WebhookPinged", "SchemaVersionRegistered", "EventTypeCreated"):
        assert kind in text
    assert "orders.OrderPlaced/versions/1" in text and "pending" in text
    assert "receivers-own-secret" not in text and hook["secret"] not in text
    assert "No webhook" in client.get("/teams/fulfilment").get_data(as_text=True)
    assert client.get(f"/teams/fulfilment/webhooks/{hook['id']}").status_code == 404
    assert client.get("/teams/checkout/webhooks/999").status_code == 404
    audit = client.get("/audit?target=webhook:").get_data(as_text=True)
    assert "webhook.create" in audit and "receivers-own-secret" not in audit
