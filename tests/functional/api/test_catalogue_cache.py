"""The catalogue-wide results (field names, findings, what each consumer receives, the map)
are kept per process under the audit log's clock (app.services.catalogue_cache): a kept
result equals a fresh one, a committed write through another app instance on the same
database is seen at once, and a refused or rolled-back write leaves the clock as it was."""

import time

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.reads import COOKIE
from app.services import catalogue_cache, field_index, landscape
from tests.conftest import ADMIN_TOKEN, BACKENDS
from tests.functional.api.conftest import ADMIN, new_event, ok
from tests.functional.test_read_replica import replica_url  # noqa: F401 (a fixture)

PAGES = ["/api/v1/fields", "/api/v1/findings", "/fields", "/findings", "/consumers", "/map"]


def customer(kind: str) -> dict:
    return {
        "type": "object",
        "properties": {"orderId": {"type": "string"}, "customerId": {"type": kind}},
    }


def other_app(database_url):
    """A second app instance on the same database, as another process or host would be."""
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    return create_app({**config, "TESTING": True})


def clock_of(app):
    with app.extensions["eventry"].sessions() as session:
        return catalogue_cache.clock(session)


def clock_at(url: str):
    app = other_app(url)
    try:
        return clock_of(app)
    finally:
        app.extensions["eventry"].dispose()


def test_a_kept_result_equals_a_fresh_one(app, client, orders):
    new_event(client, orders, "OrderPaid", customer("string"))
    new_event(client, orders, "OrderRefunded", customer("integer"))
    answers = {path: client.get(path).data for path in PAGES}
    assert {path: client.get(path).data for path in PAGES} == answers  # served from the cache
    with app.extensions["eventry"].sessions() as session:
        kept = field_index.field_names(session)
        assert kept is field_index.field_names(session)
        assert kept == field_index._field_names(session)
        assert [name for name in kept.names if kept.summaries[name]["conflicts"]] == ["customerId"]
        assert landscape.landscape(session) == landscape._landscape(session)
    catalogue_cache.forget()
    assert {path: client.get(path).data for path in PAGES} == answers


def test_a_write_through_another_instance_is_seen_at_once(app, client, orders, database_url):
    before = ok(client.get("/api/v1/fields"))["items"]
    assert "customerId" not in [item["name"] for item in before]
    ok(client.get("/api/v1/findings"))
    writer = other_app(database_url)
    try:
        new_event(writer.test_client(), orders, "OrderPaid", customer("string"))
        new_event(writer.test_client(), orders, "OrderRefunded", customer("integer"))
    finally:
        writer.extensions["eventry"].engine.dispose()
    after = ok(client.get("/api/v1/fields", query_string={"conflicts": "true"}))["items"]
    assert [item["name"] for item in after] == ["customerId"]
    found = ok(client.get("/api/v1/findings"))["items"]
    assert {"orders.OrderPaid", "orders.OrderRefunded"} <= {f["event"] for f in found}
    lints = ok(client.get("/api/v1/events/orders/OrderPaid/analysis"))["lints"]
    assert "field-type-conflict" in {lint["id"] for lint in lints}


def test_a_refused_or_rehearsed_write_leaves_the_clock_as_it_was(app, client, orders):
    path = new_event(client, orders, "OrderPaid", customer("string"))
    start = clock_of(app)
    refused = client.post(path, json={"schema": customer("integer")}, headers=orders)
    assert refused.status_code == 409, refused.get_json()
    assert clock_of(app) == start
    ok(client.get("/api/v1/fields"))
    unknown = client.post(
        "/api/v1/domains", json={"slug": "x", "name": "X", "owner": "nobody"}, headers=ADMIN
    )
    assert unknown.status_code >= 400
    assert clock_of(app) == start
    ok(
        client.post(
            path, json={"schema": {**customer("string"), "description": "v2"}}, headers=orders
        ),
        201,
    )
    assert clock_of(app) != start


# PostgreSQL only: SQLite has one writer at a time, so its ids commit in order.
@pytest.mark.parametrize(
    "database_url", [each for each in BACKENDS if each == "postgres"], indirect=True
)
def test_an_audit_id_committed_out_of_order_moves_the_clock(app, database_url):
    engine = create_engine(database_url)
    insert = text(
        "INSERT INTO audit_entries (at, actor, action, target) VALUES (now(), 't', 't', 't')"
        " RETURNING id"
    )
    try:
        with engine.connect() as early, engine.connect() as late:
            first = early.execute(insert).scalar_one()  # id taken, not committed yet
            second = late.execute(insert).scalar_one()
            late.commit()
            seen = clock_of(app)
            assert second > first and seen[0] == second
            early.commit()
        assert clock_of(app) == (second, seen[1] + 1)
    finally:
        engine.dispose()


def test_the_clock_is_read_once_per_transaction(app):
    with app.extensions["eventry"].sessions() as session:
        first = catalogue_cache.clock(session)
        assert catalogue_cache.clock(session) == first
        session.commit()
        assert catalogue_cache.clock(session) == first  # nothing written: the same clock


def seeded(url: str, field: str) -> None:
    """A domain, bus and event type whose one version carries ``field`` (the same writes,
    so the same audit clock, on either database)."""
    seeding = other_app(url)
    client = seeding.test_client()
    steps = [
        ("/api/v1/teams", {"slug": "shop", "name": "Shop"}),
        ("/api/v1/domains", {"slug": "shop", "name": "Shop", "owner": "shop"}),
        ("/api/v1/buses", {"slug": "shop-events", "domain": "shop", "router": "eventbridge"}),
        ("/api/v1/events", {"domain": "shop", "name": "Placed", "bus": "shop-events"}),
        (
            "/api/v1/events/shop/Placed/versions",
            {"schema": {"type": "object", "properties": {field: {"type": "string"}}}},
        ),
    ]
    for path, body in steps:
        ok(client.post(path, json=body, headers=ADMIN), 201)
    seeding.extensions["eventry"].dispose()


def test_a_replicas_results_are_its_own(database_url, request):
    replica = request.getfixturevalue("replica_url")
    seeded(database_url, "onPrimary")
    seeded(replica, "onReplica")
    assert clock_at(database_url) == clock_at(replica)
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    routed = create_app({**config, "database_read_url": replica, "TESTING": True})
    try:
        for _ in range(2):  # computed, then kept: the clock alone does not tell them apart
            reader = routed.test_client()
            names = [item["name"] for item in ok(reader.get("/api/v1/fields"))["items"]]
            assert names == ["onReplica"]
            writer = routed.test_client()  # read-your-writes: the primary answers
            writer.set_cookie(COOKIE, str(int(time.time()) + 2))
            names = [item["name"] for item in ok(writer.get("/api/v1/fields"))["items"]]
            assert names == ["onPrimary"]
    finally:
        routed.extensions["eventry"].dispose()
