"""A diff's and a compatibility answer's consumer impact read who receives the event type from
its stored analysis when that is up to date (app.services.reception.readers_of), and say the
same as when every consumer's rule is answered now; a consumer or a rule changed since the
analysis counts at once."""

from __future__ import annotations

import copy
import json

from app.config import DEMO_CATALOG
from app.services import analysis_store
from tests.functional.api.conftest import ADMIN, ok
from tests.functional.api.test_receivers import demo
from tests.functional.ui.conftest import computed_then_stored, passed_over_consumer

__all__ = ["demo"]  # a fixture

V3 = json.loads((DEMO_CATALOG / "orders/OrderPlaced/v3.json").read_text())
DIFF = "/api/v1/events/orders/OrderPlaced/diff?from=1&to=3"
# Declares no event: it reads OrderPlaced's gift message because its rule receives it.
GIFT_WRAPPER = {
    "name": "gift-wrapper",
    "bus": "orders-events",
    "team": "checkout",
    "pattern": {"detail-type": ["OrderPlaced"]},
    "fields": ["/giftMessage"],
}


def _answers(client) -> list[dict]:
    """Every diff of the demo's event types with more than one version, and a breaking
    candidate's compatibility answer."""
    found = []
    for event in ok(client.get("/api/v1/events?limit=100"))["items"]:
        address = f"/api/v1/events/{event['domain']}/{event['name']}"
        latest = ok(client.get(f"{address}/versions/latest"))["version"]
        if latest > 1:
            found.append(ok(client.get(f"{address}/diff?from=1&to={latest}")))
    candidate = copy.deepcopy(V3)
    candidate["$defs"]["Money"]["properties"]["amount"]["type"] = "string"
    path = "/api/v1/events/orders/OrderPlaced/compatibility"
    found.append(ok(client.post(path, json={"schema": candidate})))
    return found


def _readers(answer: dict) -> set[str]:
    return {c["name"] for entry in answer["impact"] for c in entry["consumers"]}


def test_the_impact_from_stored_answers_equals_the_impact_answered_now(client, demo, session):
    passed_over_consumer(session)  # declares OrderPlaced, its rule passes it over
    computed, stored = computed_then_stored(session, lambda: _answers(client))
    assert stored == computed
    assert sum(len(_readers(answer)) for answer in stored) >= 5
    assert "cancellations-only" not in _readers(ok(client.get(DIFF)))  # reads no field of it


def test_a_consumer_added_since_the_analysis_is_counted_at_once(client, demo, session):
    analysis_store.refresh_stale(session)
    assert "gift-wrapper" not in _readers(ok(client.get(DIFF)))
    ok(client.post("/api/v1/consumers", json=GIFT_WRAPPER, headers=ADMIN), 201)
    assert "gift-wrapper" in _gift_readers(client)


def _gift_readers(client) -> list[str]:
    report = ok(client.get(DIFF))
    gift = next(entry for entry in report["impact"] if entry["field"] == "/giftMessage")
    return [c["name"] for c in gift["consumers"]]


def test_a_rule_changed_since_the_analysis_is_counted_at_once(client, demo, session):
    created = ok(client.post("/api/v1/consumers", json=GIFT_WRAPPER, headers=ADMIN), 201)
    analysis_store.refresh_stale(session)
    assert "gift-wrapper" in _gift_readers(client)
    patch = {"pattern": {"detail-type": ["OrderCancelled"]}}
    ok(client.patch(f"/api/v1/consumers/{created['id']}", json=patch, headers=ADMIN))
    assert "gift-wrapper" not in _gift_readers(client)
    analysis_store.refresh_stale(session)
    assert "gift-wrapper" not in _gift_readers(client)
