"""The catalogue in a real browser: browsing, comparing, searching, validating, on two widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PAGES, UiPage, validate_with_errors, visit

pytestmark = pytest.mark.browser


def test_home_to_domain_to_event_to_diff(page, base_url):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Orders", exact=True).click()
    assert page.locator("h1").inner_text().startswith("Orders")
    page.get_by_role("link", name="OrderPlaced", exact=True).first.click()
    # The click starts the navigation; the title is the new page's once it has arrived.
    expect(page).to_have_title("orders.OrderPlaced · Eventry")
    assert page.locator("svg.storm-horizontal").is_visible()
    assert page.locator("svg.storm-horizontal .note-consumer").count() == 3
    page.get_by_role("link", name="Compare versions").first.click()
    assert "v2 → v3" in page.locator("h1").inner_text()
    page.select_option("#from", "1")
    page.get_by_role("button", name="Compare").click()
    assert "v1 → v3" in page.locator("h1").inner_text()
    assert page.locator("tr.st-added").count() >= 1
    page.get_by_role("link", name="OrderPlaced").first.click()
    expect(page).to_have_title("orders.OrderPlaced · Eventry")
    assert page.console.errors == []


def test_search_from_the_header_highlights_the_field(page, base_url):
    page.goto(base_url + "/domains/payments")
    page.fill("#site-q", "customerId")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=customerId")
    marks = page.locator("mark")
    assert marks.count() >= 5
    assert {text.lower() for text in marks.all_inner_texts()} == {"customerid"}
    page.get_by_role("link", name="orders.OrderPlaced").click()
    assert page.title() == "orders.OrderPlaced · Eventry"


def test_validating_a_bad_sample_shows_its_errors_in_the_event(page, base_url):
    page.goto(base_url + "/events/customers/CustomerRegistered")
    sample = page.locator("ul.samples > li", has_text="invalid-bad-email-and-locale")
    sample.get_by_role("link", name="open in validator").click()
    assert "invalid-bad-email-and-locale" not in page.input_value("#event")
    assert '"email": "not-an-email-address"' in page.input_value("#event")
    page.get_by_role("button", name="Validate").click()
    result = page.locator(".result.bad")
    assert result.is_visible() and "error" in result.inner_text()
    assert page.locator("ol.errors li").count() >= 2
    assert 'is not a valid "email"' in page.locator("ol.errors").inner_text()
    assert page.locator("pre.lines .has-error").count() >= 2
    page.locator("ol.errors a").first.click()
    assert page.url.split("#")[1].startswith("L")


def test_fixing_the_event_makes_it_valid(page, base_url):
    page.goto(
        base_url + "/events/customers/CustomerRegistered/validate?sample=web-signup-with-phone"
    )
    page.get_by_role("button", name="Validate").click()
    assert page.locator(".result.ok").is_visible()


def test_bad_json_is_reported_plainly(page, base_url):
    page.goto(base_url + "/events/orders/OrderPlaced/validate")
    page.fill("#event", '{"orderId": ')
    page.get_by_role("button", name="Validate").click()
    assert "That is not valid JSON" in page.locator('[role="alert"]').inner_text()


def test_the_copy_button_copies_the_schema(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        tab = context.new_page()
        tab.goto(base_url + "/events/orders/OrderPlaced/versions/3")
        button = tab.locator('button.copy[data-copy="schema-json"]')
        assert button.is_visible()
        button.click()
        expect(button).to_have_text("Copied")
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert '"giftMessage"' in copied
    finally:
        context.close()


@pytest.mark.parametrize("ui_page", [p for p in PAGES if p.status == 200], ids=str)
def test_no_console_errors_on_any_page(page, phone, base_url, ui_page: UiPage):
    for tab in (page, phone):
        visit(tab, base_url, ui_page)
        assert tab.locator("h1").count() == 1
        assert tab.console.errors == [], tab.console.errors


def test_the_404_page_looks_like_the_rest_and_only_reports_the_404(page, base_url):
    response = page.goto(base_url + "/no/such/page")
    assert response.status == 404
    assert page.locator("nav.crumbs").is_visible() and page.locator("header.site").is_visible()
    assert [e for e in page.console.errors if "status of 404" not in e] == []


def test_a_phone_gets_the_vertical_card(phone, base_url):
    phone.goto(base_url + "/events/orders/OrderPlaced")
    assert phone.locator("svg.storm-vertical").is_visible()
    assert not phone.locator("svg.storm-horizontal").is_visible()


def test_the_validate_page_with_errors_fits_a_phone(phone, base_url):
    phone.goto(base_url + "/events/orders/OrderPlaced/validate")
    # Errors deep in the event have long instance and schema paths: they wrap at their "/".
    # (It waits for the answer page and its stylesheet: a width read before the stylesheet
    # applied measured the page unstyled, 17,595 px.)
    validate_with_errors(phone)
    assert phone.locator("ol.errors li").count() >= 2
    assert phone.locator("ol.errors code.ptr wbr").count() >= 2
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the validate page with errors is {width} px wide"


def test_the_cost_table_caption_spans_a_phone_screen(phone, base_url):
    phone.goto(base_url + "/buses/inventory-stream?events_per_second=50")
    caption = phone.locator("table.estimate caption").bounding_box()
    assert caption is not None and caption["width"] > 300
    label = phone.locator("table.estimate td[data-label='How it is billed']").first
    # The label and its value keep a gap: the value starts after the label's box ends.
    gap = label.evaluate("td => parseFloat(getComputedStyle(td, '::before').marginRight)")
    assert gap > 0
