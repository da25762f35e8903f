"""The audit log's target filter selects a whole target and what lies beneath it, never a
target that merely starts with the same characters (consumer 4 is not consumer 40)."""

import pytest

from app.services import audit
from app.services.transaction import atomic
from tests.functional.api.conftest import ADMIN, ok

TARGETS = [
    "consumer:4",
    "consumer:40",
    "event:orders.OrderPlaced",
    "event:orders.OrderPlaced/versions/2",
    "event:orders.OrderPlacedV2",
    "event:orders.OrderPlacedV2/versions/1",
    "event:ordersx.OrderPlaced",
    "domain:orders",
    "domain:orders-archive",
]


@pytest.fixture
def logged(session):
    """An audit log holding one entry per target above, written by the service."""
    with atomic(session):
        for target in TARGETS:
            audit.record(session, "tester", "test.write", target)
    return TARGETS


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("consumer:4", {"consumer:4"}),
        ("consumer:40", {"consumer:40"}),
        (
            "event:orders.OrderPlaced",
            {"event:orders.OrderPlaced", "event:orders.OrderPlaced/versions/2"},
        ),
        ("event:orders.OrderPlaced/versions/2", {"event:orders.OrderPlaced/versions/2"}),
        ("domain:orders", {"domain:orders"}),
        ("consumer:", {"consumer:4", "consumer:40"}),
        (
            "event:orders.",
            {
                "event:orders.OrderPlaced",
                "event:orders.OrderPlaced/versions/2",
                "event:orders.OrderPlacedV2",
                "event:orders.OrderPlacedV2/versions/1",
            },
        ),
        ("event:orders", {t for t in TARGETS if t.startswith("event:orders.")}),
        ("consumer:4%", set()),
        ("consumer:_", set()),
    ],
)
def test_a_target_filter_matches_at_boundaries(client, logged, wanted, expected):
    answer = ok(client.get("/api/v1/audit", query_string={"target": wanted, "limit": 200}))
    found = {entry["target"] for entry in answer["items"] if entry["action"] == "test.write"}
    assert found == expected


def test_the_audit_page_filters_the_same_way(client, logged):
    page = client.get("/audit?target=consumer:4", headers=ADMIN)
    assert page.status_code == 200
    assert b"consumer:40" not in page.data
