"""Pages stay small for huge schemas and inputs: the field table is paginated, JSON views are
cut, long lists are summarised, so every page stays under 2 MB (85,000 properties once made
a page of 44 MB that took 23 s)."""

from __future__ import annotations

import time

import pytest

from app import create_app
from app.core.access import Actor
from app.core.limits import Limits
from app.services import catalog, samples, versions
from tests.conftest import ADMIN_TOKEN

SYSTEM = Actor.system("test")
MB = 1_000_000
FIELDS = 12_000
# Seconds of this process's CPU for one page: generous, never a benchmark.
SLOW = 30.0


@pytest.fixture(scope="module")
def huge_schema() -> dict:
    described = {"type": "string", "enum": [f"value-{i}" for i in range(12)], "pattern": "^v"}
    properties = {f"field{i:06d}": dict(described) for i in range(FIELDS)}
    properties["nested"] = {"type": "object", "properties": dict(list(properties.items())[:500])}
    return {"type": "object", "required": list(properties)[:3000], "properties": properties}


@pytest.fixture
def huge(database_url, huge_schema):
    """An event type whose two versions have 12,500 fields each, registered under limits
    raised for it (as a registry that raised them would), with many large samples."""
    raised = Limits(max_object_properties=20_000, max_schema_nodes=500_000)
    app = create_app(
        {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False, "limits": raised}
    )
    with app.extensions["eventry"].sessions() as session:
        catalog.create_team(session, SYSTEM, "big", "Big")
        catalog.create_domain(session, SYSTEM, "big", "Big", "big")
        catalog.create_event_type(session, SYSTEM, "big", "HugeHappened", compatibility="NONE")
        versions.register_version(session, SYSTEM, "big", "HugeHappened", huge_schema)
        second = {**huge_schema, "properties": dict(list(huge_schema["properties"].items())[::2])}
        versions.register_version(session, SYSTEM, "big", "HugeHappened", second)
        payload = {f"field{i:06d}": "x" * 20 for i in range(3000)}
        for index in range(30):
            samples.add_sample(session, SYSTEM, "big", "HugeHappened", f"s{index}", payload)
    yield app.test_client()
    app.extensions["eventry"].engine.dispose()


def page(client, url: str) -> str:
    started = time.process_time()
    response = client.get(url)
    assert time.process_time() - started < SLOW
    assert response.status_code == 200, url
    assert len(response.data) < 2 * MB, (url, len(response.data))
    return response.get_data(as_text=True)


def test_every_page_of_a_huge_schema_stays_small(huge):
    event = page(huge, "/events/big/HugeHappened")
    assert "Next fields" in event and "more follow" in event
    assert "And 10 more" in event  # samples beyond the first 20
    assert "more: <a" in event  # lints beyond the first 100, from the API
    third = page(huge, "/events/big/HugeHappened/versions/2?fields=3")
    assert "Fields 401 to 600" in third
    assert "Previous fields" in third and "Next fields" in third
    assert "and 4 more" in third  # an enum's values beyond the first eight
    # Version 2: 6,001 fields and the 500 of "nested", 33 pages of 200.
    assert "Next fields" not in page(huge, "/events/big/HugeHappened/versions/2?fields=33")
    whole = page(huge, "/events/big/HugeHappened/versions/1")
    assert "cut after 200,000 characters" in whole
    assert "/api/v1/schemas/" in whole
    diff = page(huge, "/events/big/HugeHappened/diff?from=1&to=2&all=1")
    assert "more fields" in diff


def test_the_validate_page_shows_a_huge_event_in_part(huge):
    event = "{" + ", ".join(f'"f{i}": [1, 2]' for i in range(20_000)) + "}"
    started = time.process_time()
    response = huge.post("/events/big/HugeHappened/validate", data={"event": event, "version": "2"})
    assert time.process_time() - started < SLOW
    assert response.status_code == 200
    assert len(response.data) < 2 * MB
    assert "more lines, not shown" in response.get_data(as_text=True)
