"""Changing a webhook (PATCH) and rotating its secret: checked like a registration, owner-only,
audited without the secret; an inactive webhook is paused and resumes where it stopped."""

from __future__ import annotations

import time

import pytest

from app.core.notifications import SIGNATURE_HEADER, verify
from tests.functional.api.conftest import ADMIN, ok
from tests.functional.webhooks.conftest import stop
from tests.functional.webhooks.test_delivery import catalogue, place_order_event, subscribe

HOOK = "http://127.0.0.1:9/hooks"


def test_a_webhook_changes_its_url_kinds_description_and_is_audited(make_app):
    client = make_app(worker=False).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], HOOK, domain="orders")
    path = f"/api/v1/webhooks/{hook['id']}"
    body = {"url": f"{HOOK}/v2", "kinds": ["ConsumerAdded"], "description": "Shipping planner"}
    changed = ok(client.patch(path, json=body, headers=tokens["checkout"]))
    assert {key: changed[key] for key in body} == body and changed["active"] is True
    assert (changed["team"], changed["domain"]) == ("checkout", "orders")
    assert ok(client.get(path, headers=tokens["checkout"])) == changed
    audit = ok(client.get(f"/api/v1/audit?target=webhook:{hook['id']}", headers=ADMIN))["items"]
    [update] = [entry for entry in audit if entry["action"] == "webhook.update"]
    assert "secret" not in str(update) and "v2" in str(update)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"url": "ftp://example.com/hook"},
        {"url": "http://user:pw@127.0.0.1/hook"},
        {"kinds": ["OrderPlaced"]},
        {"kinds": ["WebhookPinged"]},
        {"active": "no"},
        {"team": "fulfilment"},
        {"secret": "whsec_mine"},
    ],
)
def test_a_bad_change_is_a_clear_422_and_changes_nothing(make_app, body):
    client = make_app(worker=False).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], HOOK)
    path = f"/api/v1/webhooks/{hook['id']}"
    answer = client.patch(path, json=body, headers=tokens["checkout"])
    assert answer.status_code == 422, answer.get_json()
    assert answer.mimetype == "application/problem+json" and answer.get_json()["detail"]
    kept = ok(client.get(path, headers=tokens["checkout"]))
    assert kept == {key: value for key, value in hook.items() if key != "secret"}


def test_a_new_url_must_reach_a_public_address_as_at_registration(make_app):
    client = make_app(worker=False).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], "https://example.com/hook")
    guarded = make_app(worker=False, webhooks_allow_private=False).test_client()
    path = f"/api/v1/webhooks/{hook['id']}"
    answer = guarded.patch(path, json={"url": HOOK}, headers=tokens["checkout"])
    assert (
        answer.status_code == 422
        and "EVENTRY_WEBHOOKS_ALLOW_PRIVATE" in answer.get_json()["detail"]
    )
    assert ok(guarded.get(path, headers=tokens["checkout"]))["url"] == "https://example.com/hook"


def test_only_the_owners_change_a_webhook_or_rotate_its_secret(make_app):
    client = make_app(worker=False).test_client()
    tokens = catalogue(client)
    path = f"/api/v1/webhooks/{subscribe(client, tokens['checkout'], HOOK)['id']}"
    for headers, status in ((tokens["fulfilment"], 403), ({}, 401)):
        assert client.patch(path, json={"active": False}, headers=headers).status_code == status
        assert client.post(f"{path}/secret", headers=headers).status_code == status
    assert (
        client.patch("/api/v1/webhooks/999", json={"active": False}, headers=ADMIN).status_code
        == 404
    )
    assert client.post("/api/v1/webhooks/999/secret", headers=ADMIN).status_code == 404
    assert ok(client.get(path, headers=ADMIN))["active"] is True


def test_after_a_rotation_deliveries_are_signed_with_the_new_secret(make_app, receiver):
    client = make_app(worker=True).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], receiver.url)
    path = f"/api/v1/webhooks/{hook['id']}"
    rotated = ok(client.post(f"{path}/secret", headers=tokens["checkout"]))
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != hook["secret"]
    assert "secret" not in ok(client.get(path, headers=tokens["checkout"]))
    ok(client.post(f"{path}/test", headers=tokens["checkout"]), 202)
    receiver.wait_for(lambda: receiver.events("WebhookPinged"), "the ping")
    [got] = receiver.events("WebhookPinged")
    now = int(time.time())
    assert verify(rotated["secret"], got.headers[SIGNATURE_HEADER], got.body, now=now)
    assert not verify(hook["secret"], got.headers[SIGNATURE_HEADER], got.body, now=now)
    audit = ok(client.get(f"/api/v1/audit?target=webhook:{hook['id']}", headers=ADMIN))["items"]
    assert "webhook.rotate-secret" in [entry["action"] for entry in audit]
    assert rotated["secret"] not in str(audit) and hook["secret"] not in str(audit)


def test_an_inactive_webhook_gets_nothing_new_and_resumes_its_pending_deliveries(
    make_app, receiver
):
    first = make_app(worker=False)
    client = first.test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], receiver.url, domain="orders")
    path = f"/api/v1/webhooks/{hook['id']}"
    place_order_event(client, tokens["checkout"])  # two deliveries pending
    ok(client.patch(path, json={"active": False}, headers=tokens["checkout"]))
    body = {"name": "shipment-planner", "bus": "orders-events", "event": "orders.OrderPlaced"}
    ok(client.post("/api/v1/consumers", json=body, headers=tokens["fulfilment"]), 201)
    log = ok(client.get(f"{path}/deliveries", headers=tokens["checkout"]))["items"]
    assert [d["kind"] for d in log] == ["SchemaVersionRegistered", "EventTypeCreated"]
    stop(first)
    client = make_app(worker=True).test_client()  # a worker, while the webhook is paused
    other = subscribe(client, tokens["checkout"], receiver.url)
    ok(client.post(f"/api/v1/webhooks/{other['id']}/test", headers=tokens["checkout"]), 202)
    receiver.wait_for(lambda: receiver.events("WebhookPinged"), "the other webhook's ping")
    log = ok(client.get(f"{path}/deliveries", headers=tokens["checkout"]))["items"]
    assert {(d["status"], d["attempts"]) for d in log} == {("pending", 0)}
    assert [r.event["type"] for r in receiver.events()] == ["dev.eventry.WebhookPinged"]
    ok(client.patch(path, json={"active": True}, headers=tokens["checkout"]))
    receiver.wait_for(lambda: len(receiver.events()) == 3, "the paused deliveries")
    kinds = sorted(r.event["type"] for r in receiver.events())
    assert kinds == [
        "dev.eventry.EventTypeCreated",
        "dev.eventry.SchemaVersionRegistered",
        "dev.eventry.WebhookPinged",
    ]
