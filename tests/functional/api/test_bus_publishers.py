"""Publishing on another team's bus needs that bus owner's consent (its allow-list of publishers).

checkout owns orders and its bus orders-events (the `orders` fixture); fulfilment owns shipping
and billing. Every test runs on each database the suite is given.
"""

import pytest

from tests.functional.api.conftest import ADMIN, ORDER_V1, ok

BUS = "/api/v1/buses/orders-events"


@pytest.fixture
def fulfilment(client, teams, orders):
    """fulfilment's token, with its domains shipping and billing and the bus shipping-events."""
    token = teams["fulfilment"]
    for slug in ("shipping", "billing"):
        body = {"slug": slug, "name": slug.title(), "owner": "fulfilment"}
        ok(client.post("/api/v1/domains", json=body, headers=token), 201)
    body = {"slug": "shipping-events", "domain": "shipping", "router": "sns"}
    ok(client.post("/api/v1/buses", json=body, headers=token), 201)
    return token


def event(domain, name, bus):
    return {"domain": domain, "name": name, "bus": bus, "producer": f"{domain}-service"}


def allow(client, headers, *entries):
    return client.patch(BUS, json={"publishers": list(entries)}, headers=headers)


def audit(client, **filters):
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return ok(client.get(f"/api/v1/audit?limit=200&{query}"))["items"]


def test_a_bus_shows_its_owner_and_an_empty_allow_list(client, orders):
    bus = ok(client.get(BUS))
    assert (bus["owner"], bus["publishers"]) == ("checkout", [])


def test_without_consent_another_team_gets_a_403_naming_the_bus_owner(client, fulfilment):
    before = audit(client)
    response = client.post(
        "/api/v1/events",
        json=event("shipping", "ParcelShipped", "orders-events"),
        headers=fulfilment,
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert "'orders-events'" in problem["detail"] and "team 'checkout'" in problem["detail"]
    assert (problem["bus"], problem["bus_owner"]) == ("orders-events", "checkout")
    assert client.get("/api/v1/events/shipping/ParcelShipped").status_code == 404
    assert audit(client) == before


def test_the_owner_sets_the_list_and_a_consented_team_may_publish(client, orders, fulfilment):
    changed = ok(allow(client, orders, "team:fulfilment", "domain:ship*", "team:fulfilment"))
    assert changed["publishers"] == ["domain:ship*", "team:fulfilment"]
    assert ok(client.get(BUS))["publishers"] == ["domain:ship*", "team:fulfilment"]
    body = event("billing", "InvoiceSent", "orders-events")
    created = ok(client.post("/api/v1/events", json=body, headers=fulfilment), 201)
    assert created["bus"] == "orders-events"
    update = audit(client, action="bus.update")[0]
    assert (update["actor"], update["target"]) == ("checkout ci", "bus:orders-events")
    assert (update["before"]["publishers"], update["after"]["publishers"]) == (
        [],
        ["domain:ship*", "team:fulfilment"],
    )


def test_a_domain_pattern_consents_to_the_domains_it_matches_only(client, orders, fulfilment):
    ok(allow(client, orders, "domain:ship*"))
    body = event("shipping", "ParcelShipped", "orders-events")
    ok(client.post("/api/v1/events", json=body, headers=fulfilment), 201)
    body = event("billing", "InvoiceSent", "orders-events")
    assert client.post("/api/v1/events", json=body, headers=fulfilment).status_code == 403


def test_a_bus_is_created_with_its_allow_list(client, orders, fulfilment):
    body = {"slug": "orders-audit", "domain": "orders", "router": "sqs"}
    created = ok(
        client.post("/api/v1/buses", json={**body, "publishers": ["domain:*"]}, headers=orders),
        201,
    )
    assert created["publishers"] == ["domain:*"]
    assert audit(client, action="bus.create")[0]["after"]["publishers"] == ["domain:*"]
    body = event("shipping", "ParcelShipped", "orders-audit")
    ok(client.post("/api/v1/events", json=body, headers=fulfilment), 201)


def test_moving_an_event_obeys_the_same_rule(client, orders, fulfilment):
    ok(
        client.post(
            "/api/v1/events",
            json=event("shipping", "ParcelShipped", "shipping-events"),
            headers=fulfilment,
        ),
        201,
    )
    address = "/api/v1/events/shipping/ParcelShipped"
    moved = client.patch(address, json={"bus": "orders-events"}, headers=fulfilment)
    assert moved.status_code == 403
    assert moved.get_json()["bus_owner"] == "checkout"
    assert ok(client.get(address))["bus"] == "shipping-events"
    ok(allow(client, orders, "team:fulfilment"))
    assert ok(client.patch(address, json={"bus": "orders-events"}, headers=fulfilment))["bus"] == (
        "orders-events"
    )
    # Withdrawing consent does not strand the event: naming its bus again is not a move.
    ok(allow(client, orders))
    ok(client.patch(address, json={"bus": "orders-events", "producer": "x"}, headers=fulfilment))
    assert ok(client.patch(address, json={"bus": None}, headers=fulfilment))["bus"] is None


def test_only_the_bus_owner_or_an_admin_changes_the_list(client, orders, fulfilment):
    before = audit(client)
    response = allow(client, fulfilment, "team:fulfilment")
    assert response.status_code == 403
    assert "team 'checkout'" in response.get_json()["detail"]
    assert ok(client.get(BUS))["publishers"] == []
    assert audit(client) == before
    assert ok(allow(client, ADMIN, "team:fulfilment"))["publishers"] == ["team:fulfilment"]


@pytest.mark.parametrize(
    ("entries", "named"),
    [
        (["team:fulfilment", "fulfilment"], "'fulfilment'"),
        (["domain:pay_*"], "'domain:pay_*'"),
        (["team:nobody"], "'nobody'"),
    ],
)
def test_a_bad_entry_is_a_422_naming_it(client, orders, fulfilment, entries, named):
    before = audit(client)
    response = allow(client, orders, *entries)
    assert response.status_code == 422
    problem = response.get_json()
    assert named in problem["detail"]
    assert problem["errors"][0]["pointer"] == f"/publishers/{len(entries) - 1}"
    assert ok(client.get(BUS))["publishers"] == []
    assert audit(client) == before


def test_an_admin_may_publish_without_consent_and_it_is_audited(client, orders, fulfilment):
    body = event("shipping", "ParcelShipped", "orders-events")
    ok(client.post("/api/v1/events", json=body, headers=ADMIN), 201)
    override = audit(client, action="bus.publish-override")
    assert len(override) == 1
    assert override[0]["target"] == "bus:orders-events"
    assert override[0]["after"]["event"] == "shipping.ParcelShipped"
    assert override[0]["after"]["bus_owner"] == "checkout"


def _lint_ids(client, domain, name):
    analysis = ok(client.get(f"/api/v1/events/{domain}/{name}/analysis"))
    return {finding["id"] for finding in analysis["lints"]}


def test_an_existing_event_is_a_finding_until_its_bus_owner_consents(client, orders, fulfilment):
    body = event("shipping", "ParcelShipped", "orders-events")
    ok(client.post("/api/v1/events", json=body, headers=ADMIN), 201)
    versions = "/api/v1/events/shipping/ParcelShipped/versions"
    ok(client.post(versions, json={"schema": ORDER_V1}, headers=fulfilment), 201)
    assert "bus-publisher-not-allowed" in _lint_ids(client, "shipping", "ParcelShipped")
    page = client.get("/buses/orders-events").get_data(as_text=True)
    assert "bus-publisher-not-allowed" in page and "not allowed" in page
    ok(allow(client, orders, "domain:shipping"))
    ids = _lint_ids(client, "shipping", "ParcelShipped")
    assert "bus-publisher-not-allowed" not in ids and "bus-other-domain" in ids
    page = client.get("/buses/orders-events").get_data(as_text=True)
    assert "bus-publisher-not-allowed" not in page
    assert "<code>domain:shipping</code>" in page
    # The bus's own events never need consent.
    assert "bus-publisher-not-allowed" not in _lint_ids(client, "orders", "OrderPlaced")
