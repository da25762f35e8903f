"""GET /api/v1/landscape: the graph the map draws, as JSON, on the demo catalogue."""

from __future__ import annotations

import pytest

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services import listing
from app.services.catalog_loader import load_catalog


@pytest.fixture
def demo(session):
    return load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def test_the_graph_links_producers_events_buses_and_receivers(client, session, demo):
    answer = client.get("/api/v1/landscape")
    assert answer.status_code == 200
    graph = answer.get_json()
    assert graph["view"] == "detail" and graph["events"] == 27
    keys = {node["key"] for node in graph["nodes"]}
    for event_type in listing.list_event_types(session, None, 100).items:
        assert f"event:{event_type.domain.slug}.{event_type.name}" in keys
    links = {(link["source"], link["target"], link["kind"]) for link in graph["links"]}
    assert ("producer:order-service", "event:orders.OrderPlaced", "publishes") in links
    assert ("event:orders.OrderPlaced", "bus:orders-events", "travels") in links
    assert ("bus:orders-events", "consumer:payment-orchestrator", "delivers") in links
    assert all(link["source"] in keys and link["target"] in keys for link in graph["links"])


def test_the_summary_weighs_flows_between_domains(client, demo):
    graph = client.get("/api/v1/landscape?view=summary").get_json()
    assert graph["view"] == "summary"
    flows = {(link["source"], link["target"]): link["weight"] for link in graph["links"]}
    assert flows[("from:orders", "to:payments")] >= 1
    assert {link["kind"] for link in graph["links"]} == {"flows"}


@pytest.mark.parametrize(
    "query, status",
    [("focus=domain:atlantis", 404), ("domain=atlantis", 422), ("view=tiny", 422)],
)
def test_bad_queries_are_problems(client, demo, query, status):
    answer = client.get(f"/api/v1/landscape?{query}")
    assert answer.status_code == status
    assert answer.mimetype == "application/problem+json"
