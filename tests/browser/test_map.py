"""The landscape map in Chromium at laptop and phone widths: the page never scrolls sideways
(the drawing scrolls inside its own frame), and its boxes are links that navigate."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP

pytestmark = pytest.mark.browser


def _no_sideways_scroll(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.viewport_size["width"], f"the page is {width} px wide"


def test_the_map_fits_a_laptop_and_an_event_box_opens_its_page(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="The landscape map").click()
    expect(page).to_have_title("Landscape map · Eventry")
    _no_sideways_scroll(page)
    frame = page.locator(".map-frame")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight")
    page.locator('svg a.node.event[href="/events/orders/OrderPlaced"]').click()
    expect(page).to_have_title("orders.OrderPlaced · Eventry")
    assert page.console.errors == []


def test_on_a_phone_the_map_scrolls_in_its_frame_and_a_focus_link_narrows_it(phone, base_url):
    phone.goto(base_url + "/map?view=summary")
    _no_sideways_scroll(phone)
    phone.locator('svg a.node.domain[href="/map?focus=domain:payments"]').first.click()
    phone.wait_for_url("**/map?focus=domain:payments")
    _no_sideways_scroll(phone)
    service = phone.locator('svg a.node.service[href="/services/payment-service"]').first
    service.click()
    expect(phone).to_have_title("Service payment-service · Eventry")
    _no_sideways_scroll(phone)
    assert phone.console.errors == []


def test_the_filters_redraw_the_map_without_any_script(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport=LAPTOP)
    tab = context.new_page()
    try:
        tab.goto(base_url + "/map")
        tab.select_option("#filter-domain", "shipping")
        tab.get_by_role("button", name="Draw").click()
        tab.wait_for_url("**/map?*domain=shipping*")
        events = tab.locator("svg a.node.event")
        assert events.count() >= 1
        hrefs = [events.nth(i).get_attribute("href") for i in range(events.count())]
        assert all(h.startswith("/events/shipping/") for h in hrefs)
    finally:
        context.close()
