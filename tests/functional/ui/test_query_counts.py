"""No page makes more SQL statements when the catalogue grows (no N+1 queries)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from app.core.access import Actor
from app.services import analysis_store, catalog, catalogue_cache, samples, versions

SYSTEM = Actor.system("test")
PAGES = [
    ("GET", "/"),
    ("GET", "/domains/orders"),
    ("GET", "/buses/orders-events"),
    ("GET", "/buses/orders-events?events_per_second=25"),
    ("GET", "/events/orders/OrderPlaced"),
    ("GET", "/events/orders/OrderPlaced/versions/1"),
    ("GET", "/events/orders/OrderPlaced/diff?from=1&to=3"),
    ("GET", "/events/orders/OrderPlaced/validate?sample=two-lines-uk"),
    ("POST", "/events/orders/OrderPlaced/validate"),
    ("GET", "/search?q=order"),
    ("GET", "/search?q=allocator"),  # found by a consumer declaring it
    ("GET", "/events"),
    ("GET", "/events?domain=orders"),
    ("GET", "/domains"),
    ("GET", "/buses"),
    ("GET", "/consumers"),
    ("GET", "/services"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/events?domain=orders"),
    ("GET", "/api/v1/consumers"),
    ("GET", "/api/v1/domains"),
    ("GET", "/api/v1/buses"),
    ("GET", "/api/v1/search?q=order"),
    ("GET", "/api/v1/search?q=allocator"),
    ("GET", "/teams"),
    ("GET", "/teams/checkout"),
    ("GET", "/audit"),
    ("GET", "/findings"),
    ("GET", "/findings?domain=orders&severity=warning"),
    ("GET", "/api/v1/findings?kind=consumer-gap"),
    ("GET", "/events?findings=any"),
]


@contextmanager
def counting(engine):
    """Count the SQL statements sent to the engine inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statement_counts(app, client, kept: bool = False) -> dict[str, int]:
    """How many statements each page makes: with the catalogue-wide results computed afresh
    (the catalogue cache emptied before each page), or with them ``kept`` (and every event
    type's analysis stored, as the background refresher keeps them: app.analyser)."""
    counts = {}
    engine = app.extensions["eventry"].engine
    if kept:
        with app.extensions["eventry"].sessions() as session:
            analysis_store.refresh_stale(session)
    for method, path in PAGES:
        data = {"event": '{"orderId": 5}'} if method == "POST" else None
        if not kept:
            catalogue_cache.forget()
        with counting(engine) as seen:
            response = client.open(path, method=method, data=data)
        assert response.status_code == 200, (path, response.status_code)
        counts[path if method == "GET" else f"POST {path}"] = len(seen)
    return counts


def grow(session, size: int) -> None:
    """Add event types with versions and samples, consumers, a team, a domain and a bus."""
    catalog.create_team(session, SYSTEM, "growth", "Growth")
    catalog.create_domain(session, SYSTEM, "growth", "Growth", "growth")
    catalog.create_bus(session, SYSTEM, "growth-events", "growth", "kafka")
    for index in range(size):
        name = f"OrderNoted{index}"
        catalog.create_event_type(
            session, SYSTEM, "orders", name, bus="orders-events", producer="order-service"
        )
        for version in range(3):
            schema = {
                "type": "object",
                "additionalProperties": False,
                "required": ["orderId"],
                "properties": {
                    "orderId": {"type": "string"},
                    **{f"f{n}": {"type": "string"} for n in range(version)},
                },
            }
            versions.register_version(session, SYSTEM, "orders", name, schema)
        for sample in ("a", "b"):
            samples.add_sample(session, SYSTEM, "orders", name, sample, {"orderId": sample})
        for team in ("payments", "checkout", "growth"):
            catalog.create_consumer(
                session,
                SYSTEM,
                f"{team}-reader-{index}",
                "orders-events",
                team=team,
                event=f"orders.{name}",
                fields=["/orderId"],
            )
            catalog.create_consumer(
                session,
                SYSTEM,
                f"{team}-placed-{index}",
                "orders-events",
                team=team,
                event="orders.OrderPlaced",
                fields=["/orderId"],
            )


def test_no_page_makes_more_statements_when_the_catalogue_grows(app, client, demo, session):
    statement_counts(app, client)  # warm up: caches of compiled schemas and shapes
    before = statement_counts(app, client)
    grow(session, 6)
    after = statement_counts(app, client)
    assert after == before
    # the event page is the largest: its schema, analysis, samples, consumers, and what the
    # Confluent door keeps of it (subjects, mode, references both ways); counted with the
    # catalogue-wide results kept, as every request but the first after a write finds them
    statement_counts(app, client, kept=True)
    kept = statement_counts(app, client, kept=True)
    assert max(kept.values()) <= 32, kept
    # The event page loads the consumers of its bus once, for both its analysis and its
    # consumer table (29 statements when each loaded them), and the event type and its
    # versions once for its analysis, samples and history (23 when each read them).
    assert kept["/events/orders/OrderPlaced"] <= 17, kept


# The pages that read every event type's stored analysis (app.services.analysis_store), and
# the most statements each makes once the analyses are stored (SQLite's): the catalogue's clock
# (whether every event type has its row, app.services.staleness) and the stale check, the page
# of stored rows, their counts (findings) or the events of the consumers' buses (consumers),
# and what the page reads for itself.
STORED = {
    "/findings": 9,
    "/findings?domain=orders&severity=warning": 10,
    "/api/v1/findings?kind=consumer-gap": 6,
    "/events?findings=any": 13,
    "/consumers": 13,
}


def test_a_stored_analysis_page_reads_its_own_rows_only(app, client, demo, session):
    statement_counts(app, client, kept=True)  # warm up: every analysis stored
    kept = statement_counts(app, client, kept=True)
    seen = {path: kept[path] for path in STORED}
    assert all(seen[path] <= most for path, most in STORED.items()), str(seen)
    grow(session, 2)  # a write: the next request analyses what it changed itself
    assert statement_counts(app, client) != kept
    statement_counts(app, client, kept=True)  # warm up again: stored, and the caches kept
    assert statement_counts(app, client, kept=True) == kept
