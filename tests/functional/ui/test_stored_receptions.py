"""The consumer tables (the consumers list, a bus's, domain's and team's page) say the same
from the stored answers (app.services.analysis_store) as from answers computed now, though
the stored read leaves out the answers that neither receive nor have a finding."""

from __future__ import annotations

from tests.functional.ui.conftest import computed_then_stored, html, passed_over_consumer

PAGES = [
    "/consumers",
    "/consumers?bus=orders-events",
    "/buses/orders-events",
    "/buses/customers-events",
    "/domains/orders",
    "/teams/checkout",
    "/teams/marketing-tech",
]


def _tables(client) -> dict[str, str]:
    return {path: html(client.get(path)).split("<main", 1)[1] for path in PAGES}


def test_the_tables_from_stored_answers_equal_those_computed_now(client, demo, session):
    # A consumer whose rule passes over the event it declares: answers that do not receive
    # but carry a finding.
    passed_over_consumer(session)
    computed, stored = computed_then_stored(session, lambda: _tables(client))
    assert stored == computed
    assert any("receives" in table or "/events/" in table for table in stored.values())
