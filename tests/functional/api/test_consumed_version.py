"""A consumer declares the version of its event type it consumes; the consumer impact of a
change judges a pinned consumer from its version to the new one, and says so."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from app.api.answers import ANSWERS
from app.config import DEMO_CATALOG
from tests.functional.api.conftest import ADMIN, ok
from tests.functional.api.test_receivers import demo

__all__ = ["demo"]  # a fixture

CANCELLED = "/api/v1/events/orders/OrderCancelled"
V2 = json.loads((DEMO_CATALOG / "orders/OrderCancelled/v2.json").read_text())


def described(body: dict, answer: str) -> dict:
    """The body, checked against the answer the OpenAPI document describes."""
    schema = {**ANSWERS[answer], "components": {"schemas": ANSWERS}}
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert errors == []
    return body


def consumer(client, name: str, **fields) -> dict:
    body = {"name": name, "bus": "orders-events", "event": "orders.OrderCancelled", **fields}
    return client.post("/api/v1/consumers", json=body, headers=ADMIN)


def test_a_consumer_keeps_the_version_it_declares(client, demo):
    made = ok(consumer(client, "audit-trail", version=2, fields=["/orderId"]), 201)
    assert described(made, "Consumer")["version"] == 2
    assert ok(client.get(f"/api/v1/consumers/{made['id']}"))["version"] == 2
    changed = client.patch(f"/api/v1/consumers/{made['id']}", json={"version": 1}, headers=ADMIN)
    assert ok(changed)["version"] == 1
    cleared = client.patch(f"/api/v1/consumers/{made['id']}", json={"version": None}, headers=ADMIN)
    assert ok(cleared)["version"] is None
    handler = next(
        c
        for c in ok(client.get("/api/v1/consumers?event=orders.OrderCancelled"))["items"]
        if c["name"] == "void-or-refund-handler"
    )
    assert handler["version"] == 1  # as the demo's consumers.yaml declares


def test_a_version_the_event_never_had_or_without_an_event_is_refused(client, demo):
    for fields, says in (
        ({"version": 3}, "orders.OrderCancelled has no version 3 (its latest is 2)"),
        ({"version": 0}, None),
        ({"version": "2"}, None),
    ):
        refused = consumer(client, "audit-trail", **fields)
        assert refused.status_code == 422, refused.json
        if says:
            assert refused.json["detail"] == says
            assert refused.json["errors"][0]["pointer"] == "/version"
    body = {"name": "audit-trail", "bus": "orders-events", "version": 1}
    refused = client.post("/api/v1/consumers", json=body, headers=ADMIN)
    assert refused.status_code == 422
    assert refused.json["errors"][0]["pointer"] == "/version"
    names = [c["name"] for c in ok(client.get("/api/v1/consumers?bus=orders-events"))["items"]]
    assert "audit-trail" not in names  # nothing changed


def test_a_change_is_judged_for_a_pinned_consumer_from_its_version(client, demo):
    # void-or-refund-handler consumes v1 and reads /reason; v2 widened the reason's enum.
    candidate = json.loads(json.dumps(V2))
    candidate["properties"]["reason"]["enum"].append("customer_request")
    verdict = described(
        ok(client.post(f"{CANCELLED}/compatibility", json={"schema": candidate})), "Verdict"
    )
    readers = {c["name"] for entry in verdict["impact"] for c in entry["consumers"]}
    assert "void-or-refund-handler" not in readers  # judged from v1, not from v2
    (entry,) = [p for p in verdict["pinned"] if p["name"] == "void-or-refund-handler"]
    assert entry["version"] == 1 and entry["to"] is None and entry["team"] == "payments"
    assert {d["field"] for d in entry["differences"]} == {"/reason"}
    assert entry["summary"].startswith(
        "void-or-refund-handler (team payments) consumes version 1: from version 1 to the new "
        "one, it is affected by /reason"
    )


def test_a_diff_from_the_pinned_version_lists_it_with_the_others(client, demo):
    report = ok(client.get(f"{CANCELLED}/diff?from=1&to=2"))
    assert report["pinned"] == []
    readers = {c["name"] for entry in report["impact"] for c in entry["consumers"]}
    assert "void-or-refund-handler" in readers
    ok(consumer(client, "newer-reader", version=2, fields=["/reason"]), 201)
    report = ok(client.get(f"{CANCELLED}/diff?from=1&to=2"))
    readers = {c["name"] for entry in report["impact"] for c in entry["consumers"]}
    assert "newer-reader" not in readers  # written against v2: the change to v2 is behind it
    assert report["pinned"] == []


def test_a_diff_past_the_pinned_version_says_what_changes_for_it(client, demo):
    candidate = json.loads(json.dumps(V2))
    candidate["properties"]["reason"]["enum"].append("customer_request")
    ok(client.post(f"{CANCELLED}/versions", json={"schema": candidate}, headers=ADMIN), 201)
    report = described(ok(client.get(f"{CANCELLED}/diff?from=2&to=3")), "Diff")
    (entry,) = report["pinned"]
    assert (entry["name"], entry["version"], entry["to"]) == ("void-or-refund-handler", 1, 3)
    assert [d["field"] for d in entry["differences"]] == ["/reason"]
    page = client.get("/events/orders/OrderCancelled/diff?from=2&to=3").get_data(as_text=True)
    assert "void-or-refund-handler (team payments) consumes version 1: from version 1 to " in page
    event_page = client.get("/events/orders/OrderCancelled").get_data(as_text=True)
    assert 'class="badge consumed-version"' in event_page  # the consumed version on its row
