"""The pages of one domain, bus and team list the first page of their event types or
consumers and link to the whole filtered list, so a domain of hundreds of event types is not
classified and drawn whole on every view (issue 13, item 4). The page size is shrunk to 2 so
the demo catalogue's domains, buses and teams outgrow it."""

from __future__ import annotations

import re

import pytest

from app.ui import catalog
from tests.functional.ui.conftest import html

EVENT_LINK = re.compile(r'<a href="/events/([a-z0-9-]+/[A-Za-z0-9]+)">')


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(catalog, "PAGE_SIZE", 2)


def _events_of(page: str, section: str) -> list[str]:
    table = page.split(f'id="{section}"', 1)[1].split("<h2", 1)[0]
    return EVENT_LINK.findall(table)


def test_a_domains_page_lists_its_first_event_types_and_links_to_all(client, demo, two_a_page):
    listed = html(client.get("/events?domain=orders"))
    every = [ref for ref in EVENT_LINK.findall(listed) if ref.startswith("orders/")]
    page = html(client.get("/domains/orders"))
    shown = _events_of(page, "events")
    assert len(shown) == 2 and shown == sorted(shown, key=lambda ref: ref.split("/")[1])
    count = int(re.search(r"All (\d+) event types of", page).group(1))
    assert count >= len(every) > 2
    assert 'href="/events?domain=orders"' in page


def test_a_buss_page_lists_its_first_events_and_links_to_all(client, demo, two_a_page):
    page = html(client.get("/buses/orders-events"))
    assert len(_events_of(page, "events")) == 2
    assert re.search(r"All \d+ event types on orders-events", page)
    assert 'href="/events?bus=orders-events"' in page


def test_a_teams_page_lists_its_first_consumers_and_links_to_all(client, demo, two_a_page):
    everyone = html(client.get("/consumers?team=marketing-tech"))
    page = html(client.get("/teams/marketing-tech"))
    count = int(re.search(r"All (\d+) consumers of", page).group(1))
    assert count > 2 and 'href="/consumers?team=marketing-tech"' in page
    assert everyone.count('data-label="Consumer"') >= page.count('data-label="Consumer"')


def _consumer_rows(page: str) -> int:
    return page.split('id="consumers"', 1)[1].count('data-label="Consumer"')


def test_a_buss_page_lists_its_first_consumers_and_links_to_all(client, demo, two_a_page):
    everyone = html(client.get("/consumers?bus=orders-events"))
    page = html(client.get("/buses/orders-events"))
    count = int(re.search(r"All (\d+) consumers on orders-events", page).group(1))
    assert _consumer_rows(page) == 2 < count
    assert 'href="/consumers?bus=orders-events"' in page
    assert everyone.count('data-label="Consumer"') == min(count, 25)


def test_a_domains_page_lists_its_first_consumers_and_links_to_its_buses(client, demo, two_a_page):
    page = html(client.get("/domains/orders"))
    count = int(re.search(r"The first 2 of (\d+) consumers", page).group(1))
    assert _consumer_rows(page) == 2 < count
    assert 'href="/consumers?bus=orders-events"' in page
