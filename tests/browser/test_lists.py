"""The catalogue's lists in a real browser: from a count on the home page to a filtered list,
to an event, a bus and a service, on a laptop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_from_a_home_count_to_a_filtered_list_to_an_event(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="event types").first.click()
    expect(page).to_have_title("Event types · Eventry")
    page.select_option("#filter-shape", "thin")
    page.select_option("#filter-domain", "orders")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/events?*shape=thin*")
    rows = page.locator("table.events tbody tr")
    assert rows.count() >= 1
    assert all(text == "thin" for text in page.locator("td[data-label=Shape]").all_inner_texts())
    page.get_by_role("link", name="OrderCancelled").click()
    expect(page).to_have_title("orders.OrderCancelled · Eventry")
    assert page.console.errors == []


def test_the_next_page_link_walks_the_event_list(page, base_url):
    page.goto(base_url + "/events")
    first = page.locator("td[data-label=Event] a").all_inner_texts()
    page.get_by_role("link", name="Next page »").click()
    expect(page.get_by_role("link", name="« First page")).to_be_visible()
    second = page.locator("td[data-label=Event] a").all_inner_texts()
    assert first and second and not set(first) & set(second)


def test_from_the_bus_list_to_its_consumers_to_a_service(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="buses").first.click()
    expect(page).to_have_title("Buses · Eventry")
    row = page.locator("table.buses tbody tr", has_text="orders-events")
    row.locator("td[data-label=Consumers] a").click()
    expect(page).to_have_title("Consumers · Eventry")
    assert page.locator("#filter-bus").input_value() == "orders-events"
    page.get_by_role("link", name="warehouse-allocator").first.click()
    expect(page).to_have_title("Service warehouse-allocator · Eventry")
    assert page.get_by_role("heading", name="Consumes").is_visible()
    assert page.console.errors == []


def test_a_producer_on_an_event_row_opens_its_service_page(phone, base_url):
    phone.goto(base_url + "/domains/orders")
    phone.get_by_role("link", name="order-service").first.click()
    expect(phone).to_have_title("Service order-service · Eventry")
    phone.get_by_role("link", name="OrderPlaced").first.click()
    expect(phone).to_have_title("orders.OrderPlaced · Eventry")
    assert phone.console.errors == []
