"""An event type moves draft → active → deprecated → retired through the API, by its domain's
owner, audited; a retired one refuses new versions, here and at the Confluent door."""

from __future__ import annotations

import json

from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ADMIN, ORDER_V1, new_event, ok
from tests.functional.test_cli_check import CLEAN, EVENT_YAML, write_tree

EVENT = "/api/v1/events/orders/OrderPlaced"
V2 = {**ORDER_V1, "properties": {**ORDER_V1["properties"], "note": {"type": "string"}}}


def test_the_owner_deprecates_then_retires_an_event_type(client, orders, teams):
    new_event(client, orders, "OrderSubmitted", ORDER_V1)
    body = {
        "state": "deprecated",
        "reason": "Use OrderSubmitted.",
        "successor": "orders.OrderSubmitted",
        "since": "2026-11-01",
    }
    answer = ok(client.put(f"{EVENT}/lifecycle", json=body, headers=orders))
    assert answer["lifecycle"] == {
        "state": "deprecated",
        "since": "2026-11-01",
        "reason": "Use OrderSubmitted.",
        "successor": "orders.OrderSubmitted",
    }
    assert answer["deprecated"] is True
    listed = ok(client.get("/api/v1/events?deprecated=true"))["items"]
    assert [e["name"] for e in listed] == ["OrderPlaced"]
    retired = ok(client.put(f"{EVENT}/lifecycle", json={"state": "retired"}, headers=orders))
    assert retired["lifecycle"]["state"] == "retired"
    assert retired["lifecycle"]["reason"] == "Use OrderSubmitted."  # kept into retirement
    audit = ok(client.get("/api/v1/audit?target=event:orders.OrderPlaced", headers=ADMIN))
    actions = [entry["action"] for entry in audit["items"]]
    assert actions.count("event.lifecycle") == 2


def test_a_retired_event_type_refuses_new_versions(client, orders):
    body = {"state": "retired", "reason": "Nobody places orders this way any more."}
    ok(client.put(f"{EVENT}/lifecycle", json=body, headers=orders))
    refused = client.post(f"{EVENT}/versions", json={"schema": V2}, headers=orders)
    assert refused.status_code == 422
    assert refused.json["detail"] == "orders.OrderPlaced is retired: it takes no new versions"
    assert ok(client.get(EVENT))["last_version"] == 1  # nothing changed
    confluent = client.post(
        "/ccompat/subjects/orders.OrderPlaced/versions",
        json={"schema": json.dumps(V2)},
        headers=ADMIN,
    )
    assert confluent.status_code == 422
    assert confluent.get_json(force=True) == {
        "error_code": 42205,
        "message": "orders.OrderPlaced is retired: it takes no new versions",
    }


def test_lifecycle_moves_are_checked(client, orders, teams):
    cases = (
        ({"state": "deprecated"}, teams["fulfilment"], 403),  # not the domain's owner
        ({"state": "deprecated"}, orders, 422),  # no reason
        ({"state": "deprecated", "reason": "r", "successor": "orders.Nowhere"}, orders, 404),
        ({"state": "sunset", "reason": "r"}, orders, 422),
        ({"state": "draft"}, orders, 409),  # active cannot go back to draft
    )
    for body, headers, status in cases:
        answer = client.put(f"{EVENT}/lifecycle", json=body, headers=headers)
        assert answer.status_code == status, (body, answer.json)
    assert ok(client.get(EVENT))["lifecycle"]["state"] == "active"
    assert client.put(f"{EVENT}/lifecycle", json={"state": "retired"}).status_code == 401


def test_the_event_page_shows_the_state_and_the_consumers_to_move(client, orders, teams):
    consumer = {"name": "loyalty", "bus": "orders-events", "event": "orders.OrderPlaced"}
    ok(client.post("/api/v1/consumers", json=consumer, headers=teams["fulfilment"]), 201)
    body = {"state": "deprecated", "reason": "Replaced by OrderSubmitted.", "since": "2026-11-01"}
    ok(client.put(f"{EVENT}/lifecycle", json=body, headers=orders))
    page = client.get("/events/orders/OrderPlaced").get_data(as_text=True)
    assert '<span class="badge lifecycle warn">deprecated</span>' in page
    assert "Deprecated since 2026-11-01: Replaced by OrderSubmitted." in page
    assert "Consumers to move: <strong>loyalty</strong>." in page


def test_deleting_what_consumers_use_is_refused_with_their_names_unless_forced(
    client, orders, teams
):
    consumer = {"name": "loyalty", "bus": "orders-events", "event": "orders.OrderPlaced"}
    made = ok(client.post("/api/v1/consumers", json={**consumer, "version": 1}, headers=ADMIN), 201)
    for path in (f"{EVENT}/versions/1", EVENT, "/api/v1/buses/orders-events"):
        refused = client.delete(path, headers=orders)
        assert refused.status_code == 409, path
        assert "consumer loyalty" in refused.json["detail"]
        assert refused.json["detail"].endswith("(an admin can force it: ?force=true)")
        assert client.delete(f"{path}?force=true", headers=orders).status_code == 403
    assert ok(client.get(f"{EVENT}/versions/1"))["version"] == 1  # nothing changed
    ok(client.delete(f"{EVENT}/versions/1?force=true", headers=ADMIN))
    assert client.delete(f"{EVENT}?force=true", headers=ADMIN).status_code == 204
    kept = ok(client.get(f"/api/v1/consumers/{made['id']}"))
    assert (kept["event"], kept["version"], kept["bus"]) == (None, None, "orders-events")
    audit = ok(client.get("/api/v1/audit?target=event:orders.OrderPlaced", headers=ADMIN))
    deleted = next(e for e in audit["items"] if e["action"] == "event.delete")
    assert deleted["before"]["forced_over"] == ["consumer loyalty"]
    assert client.delete("/api/v1/buses/orders-events?force=true", headers=ADMIN).status_code == 204
    assert client.get(f"/api/v1/consumers/{made['id']}").status_code == 404


def test_a_tree_loads_with_each_stage(client, session, tmp_path):
    retired = {
        "state": "retired",
        "since": "2026-11-01",
        "reason": "Gone.",
        "successor": "orders.OrderSubmitted",  # later in the tree
    }
    files = {
        **CLEAN,
        "orders/OrderPlaced/event.yaml": EVENT_YAML + f"lifecycle: {json.dumps(retired)}\n",
        "orders/OrderSubmitted/event.yaml": EVENT_YAML,
        "orders/OrderNoted/event.yaml": EVENT_YAML + "deprecated: true\n",
        "orders/OrderDrafted/event.yaml": EVENT_YAML + "lifecycle: {state: draft}\n",
    }
    load_catalog(session, write_tree(tmp_path / "tree", files), Actor.system("test"))
    placed = ok(client.get(EVENT))
    assert placed["lifecycle"] == retired and placed["last_version"] == 1
    noted = ok(client.get("/api/v1/events/orders/OrderNoted"))["lifecycle"]
    assert (noted["state"], noted["reason"]) == ("deprecated", None)
    assert ok(client.get("/api/v1/events/orders/OrderDrafted"))["lifecycle"]["state"] == "draft"


def test_the_latest_version_is_in_use_by_consumers_that_follow_the_latest(client, orders, teams):
    # A consumer that declares no version receives the latest: deleting that one would change
    # its schema under it, while an older version is nobody's.
    consumer = {"name": "loyalty", "bus": "orders-events", "event": "orders.OrderPlaced"}
    ok(client.post("/api/v1/consumers", json=consumer, headers=ADMIN), 201)
    ok(client.post(f"{EVENT}/versions", json={"schema": V2}, headers=orders), 201)
    refused = client.delete(f"{EVENT}/versions/2", headers=orders)
    assert refused.status_code == 409 and "consumer loyalty" in refused.json["detail"]
    ok(client.delete(f"{EVENT}/versions/1", headers=orders))
    refused = client.delete(f"{EVENT}/versions/2", headers=orders)  # still the latest
    assert refused.status_code == 409
    ok(client.delete(f"{EVENT}/versions/2?force=true", headers=ADMIN))
