"""A schema version moves active → deprecated → retired through the API, by its domain's
owner, audited, as an event type does; a retired version takes no newly pinned consumer and
validates nothing, and still appears at the Confluent door."""

from __future__ import annotations

import json

from tests.functional.api.conftest import ADMIN, ORDER_V1, ok

EVENT = "/api/v1/events/orders/OrderPlaced"
V2 = {**ORDER_V1, "properties": {**ORDER_V1["properties"], "note": {"type": "string"}}}
PLANNER = {
    "name": "shipment-planner",
    "bus": "orders-events",
    "event": "orders.OrderPlaced",
    "fields": ["/orderId"],
    "pattern": {"detail-type": ["OrderPlaced"]},
}


def _two_versions(client, orders):
    ok(client.post(f"{EVENT}/versions", json={"schema": V2}, headers=orders), 201)


def test_the_owner_deprecates_then_retires_a_version(client, orders, teams):
    _two_versions(client, orders)
    body = {"state": "deprecated", "reason": "Move to v2.", "successor": 2, "since": "2026-11-01"}
    answer = ok(client.put(f"{EVENT}/versions/1/lifecycle", json=body, headers=orders))
    wanted = {"state": "deprecated", "since": "2026-11-01", "reason": "Move to v2.", "successor": 2}
    assert answer["lifecycle"] == wanted
    assert ok(client.get(f"{EVENT}/versions/1"))["lifecycle"] == wanted
    assert ok(client.get(f"{EVENT}/versions/2"))["lifecycle"]["state"] == "active"
    listed = ok(client.get(f"{EVENT}/versions"))["items"]
    assert [v["lifecycle"]["state"] for v in listed] == ["deprecated", "active"]
    retired = ok(
        client.put(f"{EVENT}/versions/1/lifecycle", json={"state": "retired"}, headers=orders)
    )
    assert retired["lifecycle"] == {**wanted, "state": "retired"}  # kept into retirement
    audit = ok(
        client.get("/api/v1/audit?target=event:orders.OrderPlaced/versions/1", headers=ADMIN)
    )
    actions = [entry["action"] for entry in audit["items"]]
    assert actions.count("version.lifecycle") == 2


def test_bad_moves_are_refused_and_change_nothing(client, orders, teams):
    path = f"{EVENT}/versions/1/lifecycle"
    cases = [
        ({"state": "deprecated"}, 422, "/reason"),
        ({"state": "deprecated", "reason": "r", "successor": 1}, 422, "/successor"),
        ({"state": "deprecated", "reason": "r", "successor": 7}, 404, None),
        ({"state": "draft"}, 409, None),
    ]
    for body, status, pointer in cases:
        refused = client.put(path, json=body, headers=orders)
        assert refused.status_code == status, (body, refused.get_json())
        if pointer:
            assert refused.json["errors"][0]["pointer"] == pointer
    other = client.put(path, json={"state": "retired", "reason": "r"}, headers=teams["fulfilment"])
    assert other.status_code == 403
    assert ok(client.get(f"{EVENT}/versions/1"))["lifecycle"]["state"] == "active"


def test_a_retired_version_takes_no_newly_pinned_consumer(client, orders, teams):
    _two_versions(client, orders)
    pinned = ok(
        client.post(
            "/api/v1/consumers", json={**PLANNER, "version": 1}, headers=teams["fulfilment"]
        ),
        201,
    )
    body = {"state": "retired", "reason": "Move to v2.", "successor": 2}
    ok(client.put(f"{EVENT}/versions/1/lifecycle", json=body, headers=orders))
    again = {**PLANNER, "name": "invoicer", "version": 1}
    refused = client.post("/api/v1/consumers", json=again, headers=teams["fulfilment"])
    assert refused.status_code == 422
    assert refused.json["detail"] == (
        "version 1 of orders.OrderPlaced is retired: no consumer newly pins it; "
        "pin its successor, version 2"
    )
    assert refused.json["errors"][0]["pointer"] == "/version"
    names = [c["name"] for c in ok(client.get("/api/v1/consumers"))["items"]]
    assert names == ["shipment-planner"]
    # The consumer that already pins it may change other things, and move on.
    consumer = f"/api/v1/consumers/{pinned['id']}"
    changes = {"version": 1, "calls_back": True}
    ok(client.patch(consumer, json=changes, headers=teams["fulfilment"]))
    assert (
        ok(client.patch(consumer, json={"version": 2}, headers=teams["fulfilment"]))["version"] == 2
    )
    back = client.patch(consumer, json={"version": 1}, headers=teams["fulfilment"])
    assert back.status_code == 422


def test_a_retired_version_validates_nothing_a_deprecated_one_still_does(client, orders):
    _two_versions(client, orders)
    event = {"event": {"orderId": "o-1"}, "version": 1}
    body = {"state": "deprecated", "reason": "Move to v2.", "successor": 2}
    ok(client.put(f"{EVENT}/versions/1/lifecycle", json=body, headers=orders))
    assert ok(client.post(f"{EVENT}/validate", json=event))["valid"] is True
    ok(client.put(f"{EVENT}/versions/1/lifecycle", json={"state": "retired"}, headers=orders))
    refused = client.post(f"{EVENT}/validate", json=event)
    assert refused.status_code == 422
    assert refused.json["detail"] == (
        "version 1 of orders.OrderPlaced is retired: it validates nothing; "
        "validate against its successor, version 2"
    )
    latest = {"event": {"orderId": "o-1"}}
    assert ok(client.post(f"{EVENT}/validate", json=latest))["version"] == 2


def test_a_retired_version_appears_at_the_confluent_door_as_any_other(client, orders):
    _two_versions(client, orders)
    body = {"state": "retired", "reason": "Move to v2.", "successor": 2}
    ok(client.put(f"{EVENT}/versions/1/lifecycle", json=body, headers=orders))
    subject = "/ccompat/subjects/orders.OrderPlaced/versions"
    assert client.get(subject).get_json(force=True) == [1, 2]
    one = client.get(f"{subject}/1").get_json(force=True)
    assert json.loads(one["schema"]) == ORDER_V1
