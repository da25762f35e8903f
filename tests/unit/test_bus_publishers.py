"""Who may publish on a bus: the allow-list's syntax, its matching, the rule, and the lint."""

import time

import pytest

from app.core.access import (
    MAX_PUBLISHERS,
    AccessDenied,
    Actor,
    BusOwnership,
    PublishDenied,
    consent,
    normal_publishers,
    publisher_problems,
    require_publisher,
)
from app.core.analysis import lint

ORDERS_BUS = BusOwnership("orders-events", "orders", "checkout")
WAREHOUSE = Actor("warehouse ci", team="warehouse-systems")


@pytest.mark.parametrize(
    "entry",
    ["team:fulfilment", "domain:inventory", "domain:payments-*", "domain:*", "domain:*-events"],
)
def test_well_formed_entries_pass(entry):
    assert publisher_problems([entry]) == []


@pytest.mark.parametrize(
    "entry",
    [
        "fulfilment",  # no prefix: a team or a domain?
        "team:Fulfilment",
        "team:pay*",  # wildcards only in domain patterns
        "team:",
        "domain:",
        "domain:payments_*",
        "domain:-x",
        "team:fulfilment\n",  # a trailing newline never slips through
        "group:fulfilment",
        "domain:" + "a" * 64,
        5,
    ],
)
def test_malformed_entries_are_named(entry):
    problems = publisher_problems(["team:ok", entry])
    assert [index for index, _ in problems] == [1]
    assert repr(entry) in problems[0][1]


def test_the_list_is_bounded():
    problems = publisher_problems([f"team:t{n}" for n in range(MAX_PUBLISHERS + 1)])
    assert problems and f"at most {MAX_PUBLISHERS}" in problems[0][1]


def test_the_stored_list_is_unique_and_sorted():
    assert normal_publishers(["team:b", "domain:a-*", "team:b"]) == ["domain:a-*", "team:b"]


@pytest.mark.parametrize(
    ("pattern", "domain", "matches"),
    [
        ("inventory", "inventory", True),
        ("inventory", "inventory-x", False),
        ("payments-*", "payments-refunds", True),
        ("payments-*", "payments", False),
        ("*", "anything", True),
        ("*-ops", "warehouse-ops", True),
        ("*-ops", "warehouse-opsx", False),
        ("a*b*c", "aXbYc", True),
        ("a*b*c", "acb", False),
        ("ab*ba", "aba", False),  # the two literal parts may not overlap
    ],
)
def test_domain_patterns(pattern, domain, matches):
    bus = BusOwnership("b", "orders", "checkout", (f"domain:{pattern}",))
    assert (consent(bus, domain, "someone") is not None) is matches


def test_a_pattern_of_many_stars_is_matched_in_bounded_time():
    bus = BusOwnership("b", "orders", "checkout", ("domain:" + "a*" * 31,))
    started = time.monotonic()
    assert consent(bus, "a" * 30 + "b", "someone") is None
    assert time.monotonic() - started < 0.1


def test_a_bus_accepts_its_own_domain_and_its_owner_team_without_a_list():
    assert consent(ORDERS_BUS, "orders", "anyone") == "own domain"
    assert consent(ORDERS_BUS, "carts", "checkout") == "own team"
    assert consent(ORDERS_BUS, "inventory", "warehouse-systems") is None


def test_consent_names_the_entry_that_gives_it():
    bus = BusOwnership("orders-events", "orders", "checkout", ("domain:inv*", "team:aftercare"))
    assert consent(bus, "inventory", "warehouse-systems") == "domain:inv*"
    assert consent(bus, "returns", "aftercare") == "team:aftercare"


def test_without_consent_the_denial_names_the_bus_and_its_owner():
    with pytest.raises(PublishDenied) as denied:
        require_publisher(WAREHOUSE, ORDERS_BUS, "inventory", "warehouse-systems")
    message = str(denied.value)
    assert "'orders-events'" in message and "team 'checkout'" in message
    assert "'team:warehouse-systems'" in message and "'domain:inventory'" in message


def test_both_policies_must_allow():
    open_bus = BusOwnership("orders-events", "orders", "checkout", ("domain:*",))
    # The bus allows every domain, but the caller's team does not own the event's domain.
    with pytest.raises(AccessDenied) as denied:
        require_publisher(WAREHOUSE, open_bus, "returns", "aftercare")
    assert not isinstance(denied.value, PublishDenied)
    assert require_publisher(WAREHOUSE, open_bus, "inventory", "warehouse-systems") == "domain:*"


def test_an_admin_may_publish_without_consent_and_is_told_so():
    admin = Actor.system("ops")
    assert require_publisher(admin, ORDERS_BUS, "inventory", "warehouse-systems") == "admin"


CROSS = {
    "domain": "inventory",
    "name": "StockReserved",
    "producer": "stock-service",
    "aggregate": "Stock",
    "bus": "orders-events",
    "bus_domain": "orders",
    "bus_owner": "checkout",
}


def _ids(event):
    return {finding.id for finding in lint(event, None)}


def test_the_lint_reports_an_event_on_another_teams_bus_until_consented():
    found = [f for f in lint({**CROSS, "bus_consent": None}, None)]
    finding = next(f for f in found if f.id == "bus-publisher-not-allowed")
    assert finding.severity == "error" and finding.pointer == "/bus"
    assert "'orders-events'" in finding.message and "team 'checkout'" in finding.message
    assert "bus-publisher-not-allowed" not in _ids({**CROSS, "bus_consent": "domain:inv*"})
    # Still on another domain's bus: the design warning stays.
    assert "bus-other-domain" in _ids({**CROSS, "bus_consent": "domain:inv*"})


def test_the_lint_is_silent_when_consent_is_not_known_or_there_is_no_bus():
    assert "bus-publisher-not-allowed" not in _ids(CROSS)
    no_bus = {**CROSS, "bus": None, "bus_domain": None, "bus_consent": None}
    assert "bus-publisher-not-allowed" not in _ids(no_bus)
