"""The stored analyses (app.services.analysis_store): every kind of write marks the event types
whose findings or consumers' answers it changes, and nothing else; /api/v1/findings reflects a
write at once while few event types are stale, and says how many are being analysed when more
are (then `eventry analyse` makes it exact)."""

from contextlib import contextmanager

import pytest
from sqlalchemy import select

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.db.models import EventAnalysis, EventType, StoredReception
from app.db.queries import analyses as queries
from app.services import analysis_store, findings, stale_marks
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ADMIN, new_event, ok

SHIPPED = "/api/v1/events/orders/OrderShipped"


@pytest.fixture
def fresh(app, client, orders):
    """OrderPlaced on orders-events (EventBridge), OrderShipped on orders-stream (Kinesis),
    every analysis stored and fresh."""
    bus = {"slug": "orders-stream", "domain": "orders", "router": "kinesis"}
    ok(client.post("/api/v1/buses", json=bus, headers=orders), 201)
    event = {"domain": "orders", "name": "OrderShipped", "bus": "orders-stream", "producer": "x"}
    ok(client.post("/api/v1/events", json=event, headers=orders), 201)
    schema = {"type": "object", "properties": {"orderId": {"type": "string"}}}
    ok(client.post(f"{SHIPPED}/versions", json={"schema": schema}, headers=orders), 201)
    with app.extensions["eventry"].sessions() as session:
        analysis_store.refresh_stale(session)
        assert stale(session) == set()
    return orders


def stale(session) -> set[str]:
    return {session.get(EventType, i).name for i in queries.stale_ids(session)}


def consumer(bus: str, event: str | None = None) -> dict:
    body = {"name": "picker", "bus": bus, "fields": ["/orderId"]}
    return {**body, "event": event} if event else body


RULE = {"id": "cid", "kind": "require-property", "pointer": "/correlationId", "severity": "error"}
WRITES = {
    "version registered": (
        "post",
        f"{SHIPPED}/versions",
        {"schema": {"type": "object", "properties": {"orderId": {"type": "string"}, "n": {}}}},
        {"OrderShipped"},
    ),
    "sample added": ("post", f"{SHIPPED}/samples", {"name": "s", "payload": {}}, {"OrderShipped"}),
    "event edited": ("patch", SHIPPED, {"description": "Left the warehouse."}, {"OrderShipped"}),
    "event deprecated": (
        "put",
        f"{SHIPPED}/lifecycle",
        {"state": "deprecated", "reason": "r", "since": "2026-11-01"},
        {"OrderShipped"},
    ),
    "consumer created": ("post", "/api/v1/consumers", consumer("orders-stream"), {"OrderShipped"}),
    "consumer declaring an event": (
        "post",
        "/api/v1/consumers",
        consumer("orders-stream", "orders.OrderShipped"),
        {"OrderShipped"},
    ),
    "event moved to another bus": (
        "patch",
        SHIPPED,
        {"bus": "orders-events"},
        {"OrderPlaced", "OrderShipped"},
    ),
    "bus router changed": (
        "patch",
        "/api/v1/buses/orders-stream",
        {"router": "kafka"},
        {"OrderShipped"},
    ),
    "governance rules": (
        "put",
        "/api/v1/rules",
        {"rules": [RULE]},
        {"OrderPlaced", "OrderShipped"},
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_each_kind_of_write_marks_the_event_types_it_changes(app, client, fresh, write):
    method, path, body, marked = WRITES[write]
    response = getattr(client, method)(path, json=body, headers=ADMIN)
    assert response.status_code in (200, 201), response.get_json()
    with app.extensions["eventry"].sessions() as session:
        assert stale(session) == marked


def test_editing_and_deleting_a_consumer_marks_the_events_of_its_bus(app, client, fresh):
    made = ok(client.post("/api/v1/consumers", json=consumer("orders-stream"), headers=ADMIN), 201)
    with app.extensions["eventry"].sessions() as session:
        analysis_store.refresh_stale(session)
    edit = {"fields": ["/orderId", "/carrier"]}
    ok(client.patch(f"/api/v1/consumers/{made['id']}", json=edit, headers=ADMIN))
    with app.extensions["eventry"].sessions() as session:
        assert stale(session) == {"OrderShipped"}
        analysis_store.refresh_stale(session)
        assert session.query(StoredReception).filter_by(consumer_id=made["id"]).count() == 1
    assert client.delete(f"/api/v1/consumers/{made['id']}", headers=ADMIN).status_code == 204
    with app.extensions["eventry"].sessions() as session:
        assert stale(session) == {"OrderShipped"}
        # Its answers went with it.
        assert session.query(StoredReception).filter_by(consumer_id=made["id"]).count() == 0


def test_a_read_makes_no_write_and_reports_what_is_being_analysed(app, client, fresh):
    at = {"orderId": {"type": "string"}, "placedAt": {"type": "integer"}}
    # OrderPlaced's placedAt is a string: a conflict that reaches it too.
    new_event(client, ADMIN, "OrderPacked", {"type": "object", "properties": at})
    # Few stale event types: the read analyses them itself, and its answer is exact.
    exact = ok(client.get("/api/v1/findings?limit=200"))
    assert exact["analysing"] == 0
    assert any(f["id"] == "field-type-conflict" for f in exact["items"]), exact["items"]
    stale_marks.configure(0)
    try:
        served = ok(client.get("/api/v1/findings?limit=200"))
        assert served["analysing"] == 2, stale_names(app)
        assert not any(f["id"] == "field-type-conflict" for f in served["items"])
        with app.extensions["eventry"].sessions() as session:
            assert stale(session) == {"OrderPlaced", "OrderPacked"}  # the read wrote nothing
        result = runner_of(app)("analyse")
        assert result.exit_code == 0, result.output
        assert "Analysed 2 event types." in result.output
        assert ok(client.get("/api/v1/findings?limit=200")) == exact
    finally:
        stale_marks.configure(None)


def runner_of(app):
    from click.testing import CliRunner

    from app.cli.main import main
    from tests.conftest import ADMIN_TOKEN

    url = app.extensions["eventry"].settings.database_url
    runner = CliRunner(env={"DATABASE_URL": url, "EVENTRY_ADMIN_TOKEN": ADMIN_TOKEN})
    return lambda *args: runner.invoke(main, list(args))


def test_the_stored_demo_findings_are_the_whole_catalogue_computation(app, client, session):
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))
    stale_marks.configure(0)
    try:
        assert ok(client.get("/api/v1/findings?limit=1"))["analysing"] > 0
        analysis_store.refresh_stale(session)
        every, skipped = findings.every_finding(session)
        listed, link = [], "/api/v1/findings?limit=7"
        while link:  # small pages: keys shared across a page's end stay together
            body = ok(client.get(link))
            assert body["analysing"] == 0 and body["skipped"] == len(skipped)
            listed += body["items"]
            link = body["next"]
        assert listed == [f.to_dict() for f in every]
    finally:
        stale_marks.configure(None)


def stale_names(app):
    with app.extensions["eventry"].sessions() as session:
        return stale(session)


@contextmanager
def refreshing(database_url):
    """An app with its background refresher, holding a team, a domain and its bus "orders":
    (app, test client, refresher); the refresher stopped after the block."""
    from app import analyser, create_app
    from tests.conftest import ADMIN_TOKEN

    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    app = create_app({**config, "analysis_refresh": True, "TESTING": True})
    refresher = app.extensions[analyser.EXTENSION]
    try:
        client = app.test_client()
        team = {"slug": "checkout", "name": "Checkout"}
        ok(client.post("/api/v1/teams", json=team, headers=ADMIN), 201)
        domain = {"slug": "orders", "name": "Orders", "owner": "checkout"}
        ok(client.post("/api/v1/domains", json=domain, headers=ADMIN), 201)
        bus = {"slug": "orders-events", "domain": "orders", "router": "eventbridge"}
        ok(client.post("/api/v1/buses", json=bus, headers=ADMIN), 201)
        yield app, client, refresher
    finally:
        refresher.stop()
        app.extensions["eventry"].dispose()


def test_the_background_refresher_stores_what_a_write_changed(database_url):
    with refreshing(database_url) as (app, client, _refresher):
        new_event(client, ADMIN, "OrderPlaced", {"type": "object"})
        with app.extensions["eventry"].sessions() as session:
            assert wait_until_fresh(session), stale(session)
            assert session.get(EventAnalysis, session.scalar(select(EventType.id))).analysed_at


def test_the_refresher_takes_the_marks_of_commits_close_together_in_one_chunk(
    database_url, monkeypatch
):
    # Under a stream of writes, the event types of many commits are refreshed together: the
    # refresher lets marks gather (analyser.SETTLE_S) rather than paying a chunk's fixed cost
    # after every commit (70 to 113 registrations/s on PostgreSQL, docs/performance.md).
    from app import analyser
    from app.services.transaction import atomic

    with refreshing(database_url) as (app, client, refresher):
        for number in range(6):
            new_event(client, ADMIN, f"Order{number}", {"type": "object"})
        sessions = app.extensions["eventry"].sessions
        with sessions() as session:
            assert wait_until_fresh(session), stale(session)
            ids = list(session.scalars(select(EventType.id)))
        chunks: list[int] = []
        refresh_chunk = analysis_store.refresh_chunk

        def counted(session, most=analysis_store.CHUNK):
            done = refresh_chunk(session, most)
            if done:
                chunks.append(done)
            return done

        monkeypatch.setattr(analysis_store, "refresh_chunk", counted)
        monkeypatch.setattr(analyser, "SETTLE_S", 1.0)  # room for a slow machine's commits
        for each in ids:  # six commits, each waking the refresher as a write's commit does
            with sessions() as session, atomic(session):
                stale_marks.mark_stale(session, [each])
            refresher.poke()
        with sessions() as session:
            assert wait_until_fresh(session), stale(session)
        assert chunks == [len(ids)]


def wait_until_fresh(session, seconds: float = 60) -> bool:
    """Whether no event type is stale within ``seconds`` (the refresher's own thread works)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.rollback()  # a new transaction sees the refresher's commits
        if not queries.stale_ids(session):
            return True
        time.sleep(0.1)
    return False


def test_stale_event_types_are_found_with_and_without_every_row(app, client, fresh):
    # While every event type has its analysis row (known per catalogue clock), the stale ones
    # are read through the flag's index; an event type without a row counts as stale too.
    from sqlalchemy import delete

    from app.services import staleness

    def found(session) -> set[str]:
        ids = staleness.stale_ids(session)
        assert ids == staleness.stale_on_buses(session, sorted(bus_ids(session)), 100)
        return {session.get(EventType, i).name for i in ids}

    def bus_ids(session) -> set[int]:
        return set(session.scalars(select(EventType.bus_id).where(EventType.bus_id.is_not(None))))

    with app.extensions["eventry"].sessions() as session:
        assert found(session) == set()
    new_event(client, ADMIN, "OrderPacked", {"type": "object"})  # a write: the clock moves
    with app.extensions["eventry"].sessions() as session:
        assert found(session) == {"OrderPacked"} == stale(session)
        # A row lost (a database restored from before the stored analyses): the next write's
        # clock finds it missing, and it counts as stale until analysed.
        packed = session.scalar(select(EventType.id).where(EventType.name == "OrderPacked"))
        session.execute(delete(EventAnalysis).where(EventAnalysis.event_type_id == packed))
        session.commit()
    ok(client.patch(SHIPPED, json={"description": "Left."}, headers=fresh))
    with app.extensions["eventry"].sessions() as session:
        assert found(session) == {"OrderPacked", "OrderShipped"} == stale(session)
        analysis_store.refresh_stale(session)
        assert found(session) == set() == stale(session)
