"""The shared-fields pages on the demo catalogue: the list with its filters and pages, a field's
events with its conflicts highlighted, and the links to them from the nav, the home page,
search hits and an event's lint findings."""

from __future__ import annotations

import re

from app.web import encode_cursor
from tests.functional.ui.conftest import ESCAPED, XSS, html


def _field_links(page: str) -> list[str]:
    return re.findall(r'<td data-label="Field"><a href="/fields/([^"]+)"', page)


def test_the_nav_and_the_home_page_link_to_the_shared_fields(client, demo):
    home = html(client.get("/"))
    assert home.count('href="/fields"') == 2  # the nav and the home page's counts
    page = html(client.get("/fields"))
    assert "<title>Shared fields · Eventry</title>" in page
    assert "orderId" in _field_links(html(client.get("/fields?name=order")))


def test_the_list_filters_conflicts_and_prefixes_a_page_at_a_time(client, demo):
    conflicts = html(client.get("/fields?conflicts=true"))
    assert _field_links(conflicts) == ["email"]  # a consent flag in two events, an address in two
    assert conflicts.count('class="badge sev-warning">field-type-conflict') == 1
    assert _field_links(html(client.get("/fields?conflicts=true&name=em"))) == ["email"]
    first = html(client.get("/fields"))
    more = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = html(client.get(more))
    assert not set(_field_links(first)) & set(_field_links(second))
    assert "No fields match these filters" in html(client.get("/fields?name=zzz"))


def test_a_field_page_lists_its_events_and_highlights_the_conflict(client, demo):
    page = html(client.get("/fields/email"))
    assert "<code>field-type-conflict</code>" in page
    assert 'href="/events/customers/CustomerRegistered"' in page
    rows = re.findall(r"<tr( class=\"conflict\")?>\s*<td data-label=\"Event\">", page)
    assert len(rows) == 5 and all(rows)  # every use of email takes part in the conflict
    assert '<td data-label="Format">email</td>' in page
    calm = html(client.get("/fields/orderId"))
    assert 'class="conflict"' not in calm and "Conflicts</h2>" not in calm
    assert "no event type carries a field named" in html(client.get("/fields/nothing"), 404)


def test_search_hits_and_lint_findings_link_to_the_field_page(client, demo):
    assert 'href="/fields/customerId"' in html(client.get("/search?q=customerId"))
    event = html(client.get("/events/customers/CustomerRegistered"))
    assert '<a href="/fields/email">every event with email</a>' in event
    assert "<code>field-type-conflict</code>" in event


def test_field_names_and_descriptions_a_user_wrote_are_escaped(client, hostile):
    listed = html(client.get("/fields"))
    assert XSS not in listed and ESCAPED in listed
    link = re.search(r'<td data-label="Field"><a href="(/fields/[^"]*script[^"]*)"', listed)
    page = html(client.get(link.group(1).replace("&amp;", "&")))
    assert XSS not in page and page.count(ESCAPED) >= 2  # the name and the description


def test_a_field_page_lists_its_event_types_a_page_at_a_time(client, demo):
    first = html(client.get("/fields/orderId"))
    carriers = re.findall(r'<td data-label="Event"><a href="/events/([^"]+)"', first)
    assert len(carriers) == 16 and 'rel="next"' not in first  # one page of 25 holds them
    assert "Carried by 16 event types in their latest version, as string." in first
    domain, name = carriers[9].split("/")
    later = html(client.get(f"/fields/orderId?cursor={encode_cursor([domain, name])}"))
    assert re.findall(r'<td data-label="Event"><a href="/events/([^"]+)"', later) == carriers[10:]
    assert "Carried by 16 event types" in later and "« First page" in later
    assert "cursor does not belong" in html(client.get("/fields/orderId?cursor=WzFd"), 400)
