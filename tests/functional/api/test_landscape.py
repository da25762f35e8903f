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


def test_filters_take_several_values_and_focus_one(client, demo):
    repeated = client.get("/api/v1/landscape?domain=orders&domain=payments").get_json()
    listed = client.get("/api/v1/landscape?domain=orders,payments").get_json()
    assert repeated == listed
    domains = {n["domain"] for n in repeated["nodes"] if n["kind"] == "event"}
    assert domains == {"orders", "payments"}
    twice = client.get("/api/v1/landscape?focus=domain:orders&focus=domain:payments")
    assert twice.status_code == 422
    assert "focus takes one value" in twice.get_json()["detail"]


@pytest.mark.parametrize("focus", ["x:y", "event:orders.OrderPlaced", "orders"])
def test_every_focus_error_lists_the_same_kinds(client, demo, focus):
    answer = client.get(f"/api/v1/landscape?focus={focus}")
    assert answer.status_code == 422
    assert "domain, bus, service" in answer.get_json()["detail"]
    assert "domain, bus, event" not in answer.get_json()["detail"]


def test_a_summary_line_weighs_events_and_says_so_naming_both_domains(client, demo):
    graph = client.get("/api/v1/landscape?view=summary").get_json()
    nodes = {n["key"]: n for n in graph["nodes"]}
    detail = client.get("/api/v1/landscape").get_json()
    for link in graph["links"]:
        source, target = nodes[link["source"]], nodes[link["target"]]
        assert link["title"].startswith(f"{source['label']} → {target['label']}: ")
        noun = "event" if link["weight"] == 1 else "events"
        assert f": {link['weight']} {noun} received by " in link["title"]
    # No line stands for more event types than its domain publishes.
    per_domain = {}
    for node in detail["nodes"]:
        if node["kind"] == "event":
            per_domain[node["domain"]] = per_domain.get(node["domain"], 0) + 1
    assert all(
        link["weight"] <= per_domain[link["source"][len("from:") :]] for link in graph["links"]
    )


@pytest.mark.parametrize(
    "query, words",
    [
        ("link=flows", "link must be one of publishes, travels, delivers"),
        ("view=summary&link=travels", "the summary draws flows between domains only"),
        ("view=summary&view=detail", "view takes one value"),
    ],
)
def test_a_link_that_does_not_apply_is_refused(client, demo, query, words):
    answer = client.get(f"/api/v1/landscape?{query}")
    assert answer.status_code == 422
    assert words in answer.get_json()["detail"]
