"""A consumer row on an SNS bus says what its filter policy reads (its FilterPolicyScope)."""

from __future__ import annotations

from tests.conftest import ADMIN_TOKEN
from tests.functional.ui.conftest import html
from tests.functional.ui.test_receivers import consumer_row

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def test_sns_consumer_rows_show_their_scope(client, demo):
    body = {
        "name": "dunning-mailer",
        "bus": "payments-events",
        "scope": "message-body",
        "pattern": {"status": ["failed"]},
    }
    assert client.post("/api/v1/consumers", json=body, headers=ADMIN).status_code == 201
    page = html(client.get("/buses/payments-events"))
    assert "message body" in consumer_row(page, "dunning-mailer")
    assert "message attributes" in consumer_row(page, "revenue-reporting")
    event = html(client.get("/events/payments/PaymentFailed"))
    assert "message body" in consumer_row(event, "dunning-mailer")
    orders = html(client.get("/buses/orders-events"))
    assert "message attributes" not in orders and "message body" not in orders
