"""Fixtures of the UI tests: the demo catalogue, and a corner of it written by an attacker."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services import analysis_store, catalog, samples, tokens, versions
from app.services.catalog_loader import load_catalog
from app.services.stale_marks import mark_stale
from app.services.transaction import atomic
from tests.conftest import ADMIN_TOKEN

XSS = '<script>alert("owned")</script>'
ESCAPED = "&lt;script&gt;"
SYSTEM = Actor.system("test")


@pytest.fixture
def demo(session):
    """The demo catalogue, loaded once for the test."""
    return load_catalog(session, DEMO_CATALOG, SYSTEM)


@pytest.fixture
def team_token(demo, session):
    """A token of the checkout team; its secret must never appear on a page."""
    return tokens.create_token(session, SYSTEM, "checkout deploys", team_slug="checkout").secret


@pytest.fixture
def hostile(session):
    """Every user-written text of a small catalogue is a script tag."""
    catalog.create_team(session, SYSTEM, "evil", XSS, XSS)
    catalog.create_domain(session, SYSTEM, "evil", XSS, "evil", XSS)
    catalog.create_bus(session, SYSTEM, "evil-bus", "evil", "sns", XSS)
    catalog.create_event_type(
        session,
        SYSTEM,
        "evil",
        "ScriptInjected",
        bus="evil-bus",
        producer=XSS,
        aggregate=XSS,
        command=XSS,
        description=XSS,
    )
    schema = {
        "type": "object",
        "required": [XSS],
        "properties": {
            XSS: {"type": "string", "description": XSS, "enum": [XSS], "pattern": XSS},
            "note": {"type": "string", "description": XSS},
        },
    }
    versions.register_version(session, SYSTEM, "evil", "ScriptInjected", schema, XSS, XSS)
    second = {**schema, "properties": {**schema["properties"], "extra": {"description": XSS}}}
    versions.register_version(session, SYSTEM, "evil", "ScriptInjected", second, XSS, XSS)
    samples.add_sample(session, SYSTEM, "evil", "ScriptInjected", "scripted", {XSS: XSS})
    catalog.create_consumer(
        session,
        SYSTEM,
        XSS,
        "evil-bus",
        team="evil",
        event="evil.ScriptInjected",
        pattern={"detail-type": [XSS]},
        fields=["/note"],
        description=XSS,
    )


def html(response, status: int = 200) -> str:
    """The body of an HTML answer, after checking its status and type."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def passed_over_consumer(session) -> None:
    """Add a consumer of checkout that declares orders.OrderPlaced on orders-events but whose
    rule (OrderCancelled only) passes it over: an answer that does not receive, with a
    routing-rule finding."""
    catalog.create_consumer(
        session,
        SYSTEM,
        "cancellations-only",
        "orders-events",
        team="checkout",
        event="orders.OrderPlaced",
        pattern={"detail-type": ["OrderCancelled"]},
    )


def computed_then_stored(session, read):
    """``read()`` with every event type stale (each read answers what it shows now), then
    with every analysis stored (reads take the stored answers): the two results."""
    with atomic(session):
        mark_stale(session, everything=True)
    computed = read()
    analysis_store.refresh_stale(session)
    return computed, read()


# A domain of its own with one event type (EntryPosted, producer ledger-poster) on its bus.
LEDGER = [
    ("/api/v1/teams", {"slug": "ledger", "name": "Ledger"}),
    ("/api/v1/domains", {"slug": "ledger", "name": "Ledger", "owner": "ledger"}),
    ("/api/v1/buses", {"slug": "ledger-bus", "domain": "ledger", "router": "kafka"}),
    (
        "/api/v1/events",
        {
            "domain": "ledger",
            "name": "EntryPosted",
            "bus": "ledger-bus",
            "producer": "ledger-poster",
        },
    ),
]


def post_from_another_app(database_url: str, posts: list[tuple[str, dict]]) -> None:
    """Send these writes (path, body; each must answer 201) through a second app on the same
    database, as another process of a deployment would, then close its connections."""
    other = create_app({"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False})
    writer = other.test_client()
    try:
        for path, body in posts:
            answer = writer.post(
                path, json=body, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
            )
            assert answer.status_code == 201, (path, answer.get_json())
    finally:
        other.extensions["eventry"].engine.dispose()
