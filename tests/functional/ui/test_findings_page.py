"""The findings page, the events list's findings filter, and bus pages' ordering hazards."""

from __future__ import annotations

import re

import pytest

from app.services import directory
from app.ui import lists
from tests.functional.api.test_findings import DEMO_FINDINGS, DEMO_KINDS
from tests.functional.ui.conftest import html, passed_over_consumer


def _rows(page: str) -> int:
    return len(re.findall(r'<tr class="sev-', page))


def test_the_findings_page_lists_the_demo_with_counts_per_domain(client, demo):
    page = html(client.get("/findings"))
    assert "<title>Findings · Eventry</title>" in page
    assert f"{DEMO_FINDINGS} findings" in page
    assert _rows(page) == DEMO_FINDINGS  # fewer than a page (25)
    assert ">2 ordering hazards</a>" in page and ">4 consumer gaps</a>" in page
    link = re.search(r'<a href="(/findings\?[^"]*domain=shipping[^"]*)">shipping</a>', page)
    shipping = html(client.get(link.group(1).replace("&amp;", "&")))
    assert "4 findings match these filters" in shipping and _rows(shipping) == 4
    # each row links to its event, and a consumer's finding to its service and its rule
    assert 'href="/events/orders/OrderAmended"' in page
    assert 'href="/services/trail-club-points"' in page
    assert re.search(r'href="/buses/[a-z-]+#consumer-[0-9]+"', page)


def test_the_page_filters_by_team_severity_and_kind(client, demo):
    gaps = html(client.get("/findings?kind=consumer-gap&team=marketing-tech"))
    assert _rows(gaps) == DEMO_KINDS["consumer-gap"]
    assert (
        'value="consumer-gap" checked>' in gaps
        and "<option selected>marketing-tech</option>" in gaps
    )
    errors = html(client.get("/findings?severity=error"))
    assert _rows(errors) == 0 and "No findings match these filters." in errors
    warnings = html(client.get("/findings?severity=warning&domain=inventory"))
    assert _rows(warnings) == 2 and "bus-other-domain" in warnings
    empty = html(client.get("/findings?kind=deprecated-use"))
    assert "No findings match these filters." in empty


def test_each_filter_takes_several_values_as_the_api_does(client, demo):
    both = html(client.get("/findings?kind=ordering-hazard&kind=consumer-gap"))
    hazards_and_gaps = DEMO_KINDS["ordering-hazard"] + DEMO_KINDS["consumer-gap"]
    assert _rows(both) == hazards_and_gaps
    # the form shows both as chosen, so filtering again keeps them
    assert 'value="ordering-hazard" checked>' in both and 'value="consumer-gap" checked>' in both
    assert 'value="lint" checked>' not in both
    assert (
        _rows(html(client.get("/findings?kind=ordering-hazard,consumer-gap"))) == hazards_and_gaps
    )
    two_domains = html(client.get("/findings?domain=shipping&domain=orders"))
    assert "<option selected>shipping</option>" in two_domains
    assert "<option selected>orders</option>" in two_domains
    api = client.get("/api/v1/findings?limit=200&domain=shipping&domain=orders").get_json()
    assert _rows(two_domains) == len(api["items"]) > 4  # shipping alone has 4
    # a per-domain count narrows to that domain, keeping the other filters
    assert 'href="/findings?domain=orders&amp;kind=consumer-gap&amp;kind=ordering-hazard"' in both


def test_a_bad_filter_is_a_clear_4xx(client, demo):
    response = client.get("/findings?severity=fatal")
    assert response.status_code == 422 and "severity must be one of" in response.text
    assert client.get("/findings?domain=nowhere").status_code == 404
    # one bad value among several is refused too, naming it
    response = client.get("/findings?kind=lint&kind=typo")
    assert response.status_code == 422 and "kind must be one of" in response.text


def test_home_and_nav_link_to_it(client, demo):
    page = html(client.get("/"))
    assert page.count('href="/findings"') == 2  # the nav and the catalogue's summary


def test_the_event_list_filters_by_findings(client, demo):
    hazards = html(client.get("/events?findings=ordering-hazard"))
    found = re.findall(r'<td data-label="Event"><a href="/events/([^"]+)"', hazards)
    assert sorted(found) == ["orders/OrderAmended", "payments/RefundIssued"]
    any_ = re.findall(
        r'data-label="Event"><a href="/events/', html(client.get("/events?findings=any"))
    )
    none = re.findall(
        r'data-label="Event"><a href="/events/', html(client.get("/events?findings=none"))
    )
    assert len(any_) + len(none) == 27 and len(any_) == 13
    response = client.get("/events?findings=bad")
    assert response.status_code == 422 and "findings must be one of" in response.text


def test_a_bus_page_warns_of_its_events_ordering_hazards(client, demo):
    page = html(client.get("/buses/payments-ledger"))
    assert 'id="hazards-h"' in page and "payments/RefundIssued" in page
    assert "does not keep order" in page
    assert 'id="hazards-h"' not in html(client.get("/buses/inventory-stream"))


def test_an_event_page_links_to_its_domains_findings(client, demo):
    page = html(client.get("/events/orders/OrderAmended"))
    assert 'href="/findings?domain=orders"' in page


def test_a_forged_cursor_is_a_400(client, demo):
    assert client.get("/findings?cursor=bm9wZQ").status_code == 400


def test_the_page_says_how_many_event_types_are_being_analysed(app, client, demo):
    from app.services import analysis_store, stale_marks
    from app.services.transaction import atomic

    with app.extensions["eventry"].sessions() as session:
        analysis_store.refresh_stale(session)
        with atomic(session):
            stale_marks.mark_stale(session, everything=True)
    stale_marks.configure(0)  # no read analyses anything itself
    try:
        page = html(client.get("/findings"))
        assert "27 event types changed lately are being analysed again" in page
        assert _rows(page) == DEMO_FINDINGS  # their findings of before the change
    finally:
        stale_marks.configure(None)
    with app.extensions["eventry"].sessions() as session:
        analysis_store.refresh_stale(session)
    assert "being analysed again" not in html(client.get("/findings"))


def _every_page(client, path: str) -> list[str]:
    """The event addresses of a list, following its next links to the end."""
    seen = []
    while path:
        page = html(client.get(path))
        seen += re.findall(r'<td data-label="Event"><a href="/events/([^"]+)"', page)
        more = re.search(r'rel="next" href="([^"]+)"', page)
        path = more.group(1).replace("&amp;", "&") if more else None
    return seen


@pytest.mark.parametrize("wanted", ["any", "none", "ordering-hazard"])
def test_the_findings_filter_holds_across_batches_and_pages(client, demo, monkeypatch, wanted):
    whole = _every_page(client, f"/events?findings={wanted}")
    # Batches of 4 event types, pages of 3: each batch's findings are read as it is fetched.
    monkeypatch.setattr(directory, "BATCH", 4)
    monkeypatch.setattr(lists, "PAGE_SIZE", 3)
    assert _every_page(client, f"/events?findings={wanted}") == whole


def test_the_findings_filter_sees_a_finding_the_last_write_made(client, demo, session):
    flagged = "/events?findings=routing-rule"
    assert "orders/OrderPlaced" not in _every_page(client, flagged)
    # A consumer declaring OrderPlaced whose rule passes it over: a routing-rule finding, found
    # by the next read while the event type is stale (analysed in memory, not yet stored).
    passed_over_consumer(session)
    assert "orders/OrderPlaced" in _every_page(client, flagged)
    assert "orders/OrderPlaced" not in _every_page(client, "/events?findings=none")
