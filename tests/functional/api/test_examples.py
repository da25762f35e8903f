"""GET …/versions/{n}/example: a valid example event for every version, the same per seed."""

from __future__ import annotations

import pytest

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.functional.api.conftest import ORDER_V1, new_event, ok

EXAMPLE = "/api/v1/events/orders/OrderPlaced/versions/{}/example"


@pytest.fixture
def demo(session):
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def test_every_demo_version_produces_an_example_that_validates(client, demo):
    events = ok(client.get("/api/v1/events?limit=200"))["items"]
    checked = 0
    for event in events:
        domain, name = event["domain"], event["name"]
        versions = ok(client.get(f"/api/v1/events/{domain}/{name}/versions?limit=200"))["items"]
        for version in versions:
            number = version["version"]
            body = ok(client.get(f"/api/v1/events/{domain}/{name}/versions/{number}/example"))
            assert body["event"] == f"{domain}.{name}" and body["version"] == number
            check = client.post(
                f"/api/v1/events/{domain}/{name}/validate",
                json={"event": body["example"], "version": number},
            )
            assert ok(check)["valid"], (domain, name, number, check.get_json())
            checked += 1
    assert checked >= 40


def test_the_same_seed_gives_the_same_example(client, orders):
    first = ok(client.get(EXAMPLE.format(1) + "?seed=41"))
    assert first == ok(client.get(EXAMPLE.format("latest") + "?seed=41"))
    assert first["seed"] == 41 and set(first["example"]) == set(ORDER_V1["properties"])
    others = {
        ok(client.get(EXAMPLE.format(1) + f"?seed={n}"))["example"]["placedAt"] for n in range(5)
    }
    assert len(others) > 1
    assert ok(client.get(EXAMPLE.format(1)))["seed"] == 0


@pytest.mark.parametrize("seed", ["-1", "x", "1.5", "2147483648", "9" * 5000, ""])
def test_a_bad_seed_is_a_400(client, orders, seed):
    response = client.get(EXAMPLE.format(1) + f"?seed={seed}")
    assert response.status_code == 400
    assert "seed must be a whole number" in response.get_json()["detail"]


def test_unknown_versions_are_404(client, orders):
    assert client.get(EXAMPLE.format(9)).status_code == 404
    assert client.get("/api/v1/events/orders/Nope/versions/1/example").status_code == 404


def test_a_schema_without_examples_is_a_422_saying_why(client, orders):
    unsatisfiable = {"type": "object", "required": ["n"], "properties": {
        "n": {"type": "integer", "minimum": 3, "maximum": 2}}}  # fmt: skip
    path = new_event(client, orders, "OrderVoided", unsatisfiable)
    response = client.get(f"{path}/1/example")
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["detail"].startswith("no example can be generated (unsatisfiable)")
    assert problem["errors"] == [
        {
            "pointer": "/properties/n",
            "kind": "unsatisfiable",
            "message": "no integer lies between 3 and 2",
        }
    ]
