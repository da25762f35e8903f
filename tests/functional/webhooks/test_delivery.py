"""Change notifications delivered to a real local receiver, on SQLite and PostgreSQL: signed
CloudEvents, retries of a failing receiver, the outbox's transaction, and a restart."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select, update

from app.core.formats import format_checker
from app.core.notifications import ID_HEADER, SIGNATURE_HEADER, verify
from app.db.base import utcnow
from app.db.models import OutboxEntry, WebhookDelivery
from app.services.delivery import (
    PUBLIC_OPENER,
    Claimed,
    Policy,
    PrivatePeer,
    connect_public,
    prune,
    run_once,
    send,
)
from tests.functional.api.conftest import ADMIN, ORDER_V1, bearer, ok
from tests.functional.webhooks.conftest import stop

ROOT = Path(__file__).resolve().parents[3]
NOTIFICATION_SCHEMAS = ROOT / "schemas" / "notifications"
EVENT = "/api/v1/events/orders/OrderPlaced"


def catalogue(client) -> dict[str, dict[str, str]]:
    """Teams checkout (owns orders, with its bus) and fulfilment, each with a token."""
    tokens = {}
    for slug in ("checkout", "fulfilment"):
        team = {"slug": slug, "name": slug.title()}
        ok(client.post("/api/v1/teams", json=team, headers=ADMIN), 201)
        path = f"/api/v1/teams/{slug}/tokens"
        tokens[slug] = bearer(
            ok(client.post(path, json={"name": "ci"}, headers=ADMIN), 201)["secret"]
        )
    domain = {"slug": "orders", "name": "Orders", "owner": "checkout"}
    ok(client.post("/api/v1/domains", json=domain, headers=tokens["checkout"]), 201)
    bus = {"slug": "orders-events", "domain": "orders", "router": "eventbridge"}
    ok(client.post("/api/v1/buses", json=bus, headers=tokens["checkout"]), 201)
    return tokens


def subscribe(client, headers, url: str, **scope) -> dict:
    body = {"url": url, **(scope or {"team": "checkout"})}
    return ok(client.post("/api/v1/webhooks", json=body, headers=headers), 201)


def place_order_event(client, headers) -> None:
    event = {"domain": "orders", "name": "OrderPlaced", "bus": "orders-events", "producer": "os"}
    ok(client.post("/api/v1/events", json=event, headers=headers), 201)
    ok(client.post(f"{EVENT}/versions", json={"schema": ORDER_V1}, headers=headers), 201)


def documented_verify():
    """The receiver's verify() as docs/interop.md shows it, so the docs cannot drift."""
    text = (ROOT / "docs" / "interop.md").read_text()
    section = text.split("## Change notifications", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "docs/interop.md", "exec"), namespace)
    return namespace["verify"]


def test_a_registered_version_reaches_the_receiver_signed(make_app, receiver):
    client = make_app(worker=True).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], receiver.url)
    assert hook["secret"].startswith("whsec_") and hook["team"] == "checkout"
    assert "secret" not in ok(client.get(f"/api/v1/webhooks/{hook['id']}", headers=ADMIN))
    place_order_event(client, tokens["checkout"])
    receiver.wait_for(lambda: receiver.events("SchemaVersionRegistered"), "a version's notice")
    [got] = receiver.events("SchemaVersionRegistered")
    event = got.event
    assert event["specversion"] == "1.0" and event["source"] == "/eventry/orders"
    assert event["subject"] == "orders.OrderPlaced/versions/1"
    assert event["data"]["event"] == "orders.OrderPlaced" and event["data"]["version"] == 1
    assert got.headers[ID_HEADER] == event["id"]
    assert got.headers["Content-Type"].startswith("application/cloudevents+json")
    signed = got.headers[SIGNATURE_HEADER]
    assert verify(hook["secret"], signed, got.body, now=int(time.time()))
    assert not verify(hook["secret"], signed, got.body + b" ", now=int(time.time()))
    assert not verify("whsec_other", signed, got.body, now=int(time.time()))
    receivers_verify = documented_verify()
    assert receivers_verify(hook["secret"], signed, got.body)
    assert not receivers_verify(hook["secret"], signed, got.body.replace(b"1", b"2"))
    assert receiver.events("EventTypeCreated")  # the event type's creation came too
    log_path = f"/api/v1/webhooks/{hook['id']}/deliveries"
    receiver.wait_for(
        lambda: all(
            d["status"] == "delivered"
            for d in ok(client.get(log_path, headers=tokens["checkout"]))["items"]
        ),
        "the log records the deliveries",
    )
    log = ok(client.get(log_path, headers=tokens["checkout"]))["items"]
    assert [d["kind"] for d in log] == ["SchemaVersionRegistered", "EventTypeCreated"]
    assert log[0]["notification"] == event["id"] and log[0]["last_status"] == 200


def test_a_failing_receiver_gets_the_same_notification_again_until_it_answers(make_app, receiver):
    receiver.plan = [500, 302]  # an error, then a redirect that must not be followed
    client = make_app(worker=True).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], receiver.url)
    ok(client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=tokens["checkout"]), 202)
    receiver.wait_for(lambda: len(receiver.events()) >= 3, "two retries")
    ids = {r.event["id"] for r in receiver.events()}
    assert len(ids) == 1  # one notification, delivered at least once, same idempotency id
    log_path = f"/api/v1/webhooks/{hook['id']}/deliveries"
    receiver.wait_for(
        lambda: ok(client.get(log_path, headers=ADMIN))["items"][0]["status"] == "delivered",
        "the delivery recorded",
    )
    [delivery] = ok(client.get(log_path, headers=ADMIN))["items"]
    assert (delivery["kind"], delivery["attempts"], delivery["last_status"]) == (
        "WebhookPinged",
        3,
        200,
    )


def test_a_receiver_that_never_answers_well_is_given_up_after_the_max_attempts(make_app, receiver):
    receiver.plan = [500] * 10
    client = make_app(worker=True, webhooks_max_attempts=2).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], receiver.url)
    ok(client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=tokens["checkout"]), 202)
    log_path = f"/api/v1/webhooks/{hook['id']}/deliveries"
    receiver.wait_for(
        lambda: ok(client.get(log_path, headers=ADMIN))["items"][0]["status"] == "failed",
        "the delivery given up",
    )
    [delivery] = ok(client.get(log_path, headers=ADMIN))["items"]
    assert delivery["attempts"] == 2 and delivery["last_status"] == 500
    assert "500" in delivery["last_error"]
    assert len(receiver.events()) == 2


def test_a_change_that_fails_writes_no_notification(make_app):
    application = make_app(worker=False)
    client = application.test_client()
    tokens = catalogue(client)
    subscribe(client, tokens["checkout"], "http://127.0.0.1:9/never")
    place_order_event(client, tokens["checkout"])
    sessions = application.extensions["eventry"].sessions

    def outbox() -> int:
        with sessions() as session:
            return session.scalar(select(func.count()).select_from(OutboxEntry))

    before = outbox()
    assert before == 2  # EventTypeCreated, SchemaVersionRegistered
    breaking = {**ORDER_V1, "required": ["orderId", "customerId"]}
    response = client.post(
        f"{EVENT}/versions", json={"schema": breaking}, headers=tokens["checkout"]
    )
    assert response.status_code == 409  # incompatible: refused, nothing registered
    duplicate = {"domain": "orders", "name": "OrderPlaced", "bus": "orders-events"}
    assert (
        client.post("/api/v1/events", json=duplicate, headers=tokens["checkout"]).status_code == 409
    )
    assert outbox() == before


def test_notifications_left_in_the_outbox_are_delivered_after_a_restart(make_app, receiver):
    first = make_app(worker=False)  # the service runs, but no worker delivers (or it died)
    client = first.test_client()
    tokens = catalogue(client)
    subscribe(client, tokens["checkout"], receiver.url)
    place_order_event(client, tokens["checkout"])
    with first.extensions["eventry"].sessions() as session:
        pending = session.scalar(select(func.count()).select_from(WebhookDelivery))
    assert pending == 2 and receiver.events() == []
    stop(first)
    make_app(worker=True)  # the service starts again
    receiver.wait_for(lambda: len(receiver.events()) == 2, "both notices after the restart")
    kinds = sorted(r.event["type"] for r in receiver.events())
    assert kinds == ["dev.eventry.EventTypeCreated", "dev.eventry.SchemaVersionRegistered"]


def test_sent_notifications_past_their_keeping_are_deleted_pending_ones_stay(make_app, receiver):
    application = make_app(worker=False)
    client = application.test_client()
    tokens = catalogue(client)
    subscribe(client, tokens["checkout"], receiver.url)
    place_order_event(client, tokens["checkout"])  # 2 notifications, 1 delivery each
    sessions = application.extensions["eventry"].sessions
    policy = Policy(allow_private=True, keep_days=30)
    assert run_once(sessions, policy) == 2  # both delivered
    ok(client.put(f"{EVENT}/lifecycle", json={"state": "deprecated", "reason": "v2 comes"},
                  headers=tokens["checkout"]))  # fmt: skip
    with sessions() as session:  # all three written 31 days ago; the last is still pending
        session.execute(update(OutboxEntry).values(created_at=utcnow() - timedelta(days=31)))
        session.commit()
    assert prune(sessions, policy) == 2
    assert prune(sessions, policy) == 0  # nothing more to delete: it is idempotent
    with sessions() as session:
        kinds = session.scalars(select(OutboxEntry.kind)).all()
        left = session.scalars(select(WebhookDelivery.status)).all()
    assert kinds == ["EventTypeDeprecated"] and left == ["pending"]
    assert prune(sessions, Policy(keep_days=31)) == 0  # younger than the keeping


def test_every_kind_of_notification_validates_against_its_catalogued_schema(make_app, receiver):
    client = make_app(worker=True).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], receiver.url, domain="orders")
    place_order_event(client, tokens["checkout"])
    consumer = {"name": "shipment-planner", "bus": "orders-events", "event": "orders.OrderPlaced"}
    added = ok(client.post("/api/v1/consumers", json=consumer, headers=tokens["fulfilment"]), 201)
    path = f"/api/v1/consumers/{added['id']}"
    assert client.delete(path, headers=tokens["fulfilment"]).status_code == 204
    body = {"state": "deprecated", "reason": "Use OrderSubmitted.", "since": "2026-11-01"}
    ok(client.put(f"{EVENT}/lifecycle", json=body, headers=tokens["checkout"]))
    ok(client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=tokens["checkout"]), 202)
    kinds = [
        "EventTypeCreated",
        "SchemaVersionRegistered",
        "ConsumerAdded",
        "ConsumerRemoved",
        "EventTypeDeprecated",
        "WebhookPinged",
    ]
    receiver.wait_for(lambda: all(receiver.events(k) for k in kinds), "every kind")
    # Eventry's own format checks (jsonschema's need its format extras, which are not installed);
    # 2020-12's set, since the draft-07 schemas also name uuid, which draft-07 leaves unchecked.
    formats = format_checker("2020-12")
    for kind in kinds:
        schema = json.loads((NOTIFICATION_SCHEMAS / f"{kind}.schema.json").read_text())
        for got in receiver.events(kind):
            jsonschema.validate(got.event, schema, format_checker=formats)
    removed = receiver.events("ConsumerRemoved")[0].event["data"]
    assert removed["name"] == "shipment-planner" and removed["team"] == "fulfilment"


def test_a_registration_through_the_confluent_api_notifies_too(make_app, receiver):
    client = make_app(worker=True).test_client()
    tokens = catalogue(client)
    subscribe(client, tokens["checkout"], receiver.url, domain="orders")
    body = {"schemaType": "JSON", "schema": json.dumps(ORDER_V1)}
    path = "/ccompat/subjects/orders.OrderShipped/versions"
    assert client.post(path, json=body, headers=tokens["checkout"]).status_code == 200
    receiver.wait_for(lambda: len(receiver.events()) == 2, "the new subject's notices")
    [created] = receiver.events("EventTypeCreated")
    [registered] = receiver.events("SchemaVersionRegistered")
    assert created.event["subject"] == "orders.OrderShipped"
    assert registered.event["subject"] == "orders.OrderShipped/versions/1"


def test_an_imported_live_version_notifies_and_a_deleted_one_does_not(make_app):
    client = make_app(worker=False).test_client()
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], "http://127.0.0.1:9/hook", domain="orders")
    place_order_event(client, tokens["checkout"])
    base = "/api/v1/import/events/orders/OrderPlaced/versions"
    ok(client.post(base, json={"version": 2, "schema": ORDER_V1}, headers=ADMIN), 201)
    gone = {"version": 3, "schema": ORDER_V1, "deleted_at": "2026-02-01T00:00:00Z"}
    ok(client.post(base, json=gone, headers=ADMIN), 201)
    log = ok(client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=ADMIN))["items"]
    assert [d["subject"] for d in log] == [
        "orders.OrderPlaced/versions/2",
        "orders.OrderPlaced/versions/1",
        "orders.OrderPlaced",
    ]


def test_the_connected_peer_is_checked_too_against_dns_rebinding():
    # A name checked as public may resolve to a private address a moment later; the socket's
    # actual peer is refused before a byte of the request is written.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        with pytest.raises(PrivatePeer, match=r"127\.0\.0\.1, a private or loopback address"):
            connect_public(listener.getsockname(), timeout=5)
        accepted, _ = listener.accept()  # the TCP handshake happened, then the close
        with accepted:
            accepted.settimeout(5)
            assert accepted.recv(1024) == b""  # nothing was sent


def test_a_guarded_delivery_to_a_private_peer_is_a_failed_attempt_not_a_post(receiver):
    item = Claimed(1, receiver.url, "s3cret", "id-1", b"{}", 1)
    outcome = send(item, Policy(allow_private=False, timeout_ms=2000))
    assert outcome.status is None and "private or loopback" in outcome.error
    # The opener itself refuses, whatever the name resolved to when it was checked.
    request = urllib.request.Request(receiver.url, data=b"{}", method="POST")
    with pytest.raises(urllib.error.URLError) as refused:
        PUBLIC_OPENER.open(request, timeout=2)
    assert isinstance(refused.value.reason, PrivatePeer)
    assert receiver.received == []
