"""The import routes: admin only, history kept as given, and they only ever add."""

from tests.functional.api.conftest import ADMIN, ORDER_V1, ok

BASE = "/api/v1/import/events/orders/OrderPlaced"
EVENT = "/api/v1/events/orders/OrderPlaced"
WIDER = {**ORDER_V1, "properties": {**ORDER_V1["properties"], "note": {"type": "string"}}}


def test_a_version_keeps_its_number_author_times_and_state(client, orders):
    body = {
        "version": 3,
        "schema": WIDER,
        "note": "restored",
        "author": "ana@example.com",
        "created_at": "2026-01-31T12:00:00.250+01:00",
        "deleted_at": "2026-02-01T00:00:00Z",
    }
    restored = ok(client.post(f"{BASE}/versions", json=body, headers=ADMIN), 201)
    assert (restored["version"], restored["author"], restored["note"]) == (
        3,
        "ana@example.com",
        "restored",
    )
    assert restored["created_at"] == "2026-01-31T11:00:00.250000+00:00"
    assert restored["deleted_at"] == "2026-02-01T00:00:00+00:00"
    assert ok(client.get(EVENT))["last_version"] == 3
    [entry] = ok(client.get("/api/v1/audit?action=version.import"))["items"]
    assert entry["actor"] != "ana@example.com" and entry["after"]["author"] == "ana@example.com"
    assert entry["after"]["created_at"] == "2026-01-31T11:00:00.250000Z"


def test_numbers_given_already_are_refused_and_the_counter_only_rises(client, orders):
    refused = client.post(f"{BASE}/versions", json={"version": 1, "schema": WIDER}, headers=ADMIN)
    assert refused.status_code == 409
    assert "has given numbers up to 1 already" in refused.json["detail"]
    ok(client.put(f"{BASE}/last-version", json={"last_version": 4}, headers=ADMIN))
    lower = client.put(f"{BASE}/last-version", json={"last_version": 2}, headers=ADMIN)
    assert lower.status_code == 409
    created = ok(client.post(f"{EVENT}/versions", json={"schema": WIDER}, headers=ADMIN), 201)
    assert created["version"] == 5


def test_a_dialect_is_kept_for_a_schema_that_does_not_name_one(client, orders):
    body = {"version": 2, "schema": WIDER, "dialect": "2019-09"}
    assert (
        ok(client.post(f"{BASE}/versions", json=body, headers=ADMIN), 201)["dialect"] == "2019-09"
    )
    bad = client.post(f"{BASE}/versions", json={**body, "deleted_at": "yesterday"}, headers=ADMIN)
    assert bad.status_code == 422


def test_only_an_admin_imports(client, orders):
    team = orders
    attempts = [
        client.post(f"{BASE}/versions", json={"version": 2, "schema": WIDER}, headers=team),
        client.put(f"{BASE}/last-version", json={"last_version": 9}, headers=team),
        client.post(f"{BASE}/samples", json={"name": "s", "payload": {}}, headers=team),
        client.post(
            "/api/v1/import/consumers", json={"name": "c", "bus": "orders-events"}, headers=team
        ),
    ]
    assert [response.status_code for response in attempts] == [403, 403, 403, 403]
    assert ok(client.get(EVENT))["last_version"] == 1


def test_samples_and_consumers_keep_their_creation_times(client, orders):
    sample = {"name": "s", "payload": {"orderId": "o"}, "created_at": "2026-01-01T00:00:00Z"}
    ok(client.post(f"{BASE}/samples", json=sample, headers=ADMIN), 201)
    [listed] = ok(client.get(f"{EVENT}/samples"))["items"]
    assert listed["created_at"] == "2026-01-01T00:00:00+00:00"
    consumer = {"name": "c", "bus": "orders-events", "created_at": "2026-01-02T00:00:00Z"}
    created = ok(client.post("/api/v1/import/consumers", json=consumer, headers=ADMIN), 201)
    assert created["created_at"] == "2026-01-02T00:00:00+00:00"
