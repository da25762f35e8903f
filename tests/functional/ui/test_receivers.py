"""The event page and the consumer tables say who receives each event and why."""

from __future__ import annotations

from tests.functional.ui.conftest import html


def consumers_section(page: str) -> str:
    return page[page.index('id="consumers-section"') :]


def test_the_event_page_lists_only_consumers_whose_rule_receives_it_and_says_why(client, demo):
    page = html(client.get("/events/payments/PaymentCaptured"))
    table, passed = consumers_section(page).split('id="not-receiving"')
    assert "fulfilment-orchestrator" in table and "revenue-reporting" in table
    assert "order-payment-status" not in table
    assert "its rule matches 1 of the 1 valid samples" in table
    assert "delivers <code>captured-at-packing</code>" in table
    assert "order-payment-status" in passed
    assert '<code class="ptr">/detail-type</code>' in passed
    # The card's consumer notes are the receiving consumers.
    card = page[: page.index('id="consumers-section"')]
    assert "order-payment-status" not in card


def consumer_row(page: str, name: str) -> str:
    """The table row of the consumer of this name on a page."""
    row = page[page.index('id="consumer-', page.index(name) - 400) :]
    return row[: row.index("</tr>")]


def test_the_bus_table_says_which_events_each_rule_receives(client, demo):
    row = consumer_row(html(client.get("/buses/payments-events")), "order-payment-status")
    assert "order-payment-status" in row
    assert "PaymentAuthorised" in row and "PaymentFailed" in row
    assert "PaymentCaptured" not in row
