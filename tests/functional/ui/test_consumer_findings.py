"""The demo's consumers that read fields their event lacks are shown as findings on the event
page (its lints and the consumer's row, which says it must call back), and on the bus page."""

from __future__ import annotations

from tests.functional.ui.conftest import html
from tests.functional.ui.test_receivers import consumer_row


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end)]


def test_the_event_page_lists_a_consumers_missing_fields_as_lints(client, demo):
    page = html(client.get("/events/orders/OrderCompleted"))
    lints = section(page, 'id="lints"', 'id="compatibility"')
    assert "No lint findings" not in lints
    assert "consumer-reads-missing-field" in lints
    assert "trail-club-points" in lints and "marketing-tech" in lints
    assert "/totals/grandTotal/amount" in lints
    row = page[page.index('id="consumer-', page.index('id="consumers-section"')) :]
    row = row[: row.index("</tr>")]
    assert "trail-club-points" in row
    assert '<span class="missing" title="the event does not carry it"><code class="ptr">' in row
    calls_back = row[row.index('data-label="Calls back"') :]
    assert "it must: it reads 1 field the event does not carry" in calls_back


def test_the_card_says_a_consumer_with_missing_fields_calls_back(client, demo):
    page = html(client.get("/events/shipping/ParcelDelivered"))
    card = page[: page.index('id="card-caption"')]
    at = card.index("delivery-survey-mailer")
    assert "calls back" in card[at - 400 : at]


def test_the_bus_page_shows_each_consumers_findings(client, demo):
    row = consumer_row(html(client.get("/buses/shipping-events")), "delivery-survey-mailer")
    assert "consumer-reads-missing-field" in row
    assert "/deliveredAt" in row and "ParcelDelivered" in row


def test_the_diff_page_names_the_consumers_of_each_changed_field(client, demo):
    page = html(client.get("/events/orders/OrderPlaced/diff?from=1&to=3"))
    summary = page[page.index('id="impact"') :]
    summary = summary[: summary.index("</p>")]
    assert "order-confirmation-mailer" in summary
    differences = page[page.index('class="differences"') :]
    assert "<strong>order-confirmation-mailer</strong>" in differences
    assert "(team marketing-tech)" in differences
    assert "no declared consumer reads this" in differences


def test_the_consumer_list_shows_each_consumers_findings_and_what_it_receives(client, demo):
    page = html(client.get("/consumers?bus=shipping-events"))
    row = consumer_row(page, "delivery-survey-mailer")
    assert "consumer-reads-missing-field" in row
    assert "/deliveredAt" in row and "ParcelDelivered" in row
    calls_back = row[row.index('data-label="Calls back"') :]
    assert "it must: it reads 2 fields the event does not carry" in calls_back
    # a bus consumer whose rule names three events receives those three, not every event
    received = consumer_row(page, "customer-notifier")
    received = received[received.index('data-label="Receives"') :]
    assert "ShipmentDispatched" in received and "ParcelDelivered" not in received


def test_a_service_page_shows_its_consumers_findings(client, demo):
    page = html(client.get("/services/trail-club-points"))
    row = page[page.index('id="consumer-') :]
    row = row[: row.index("</tr>")]
    assert "trail-club-points" in row
    assert "consumer-reads-missing-field" in row and "/totals/grandTotal/amount" in row
