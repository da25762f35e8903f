"""The catalogue's lists and service pages: filters, counts, keyset pages, clear 4xx answers."""

from __future__ import annotations

import re

import pytest

from app.core.access import Actor
from app.services import changes
from tests.functional.ui.conftest import html

SYSTEM = Actor.system("test")


def _event_links(page: str) -> list[str]:
    return re.findall(r'<td data-label="Event"><a href="/events/([^"]+)"', page)


def test_every_count_on_the_home_page_links_to_its_list(client, demo):
    page = html(client.get("/"))
    for path, noun in [
        ("/domains", "domains"),
        ("/buses", "buses"),
        ("/events", "event types"),
        ("/consumers", "consumers"),
        ("/services", "services"),
        ("/teams", "teams"),
    ]:
        assert re.search(rf'<a href="{path}"><strong>[0-9]+</strong> {noun}</a>', page), path
        html(client.get(path))


def test_the_event_list_shows_every_event_type_a_page_at_a_time(client, demo):
    first = html(client.get("/events"))
    assert "<title>Event types · Eventry</title>" in first
    seen = _event_links(first)
    assert len(seen) == 25 and "orders/OrderPlaced" in seen
    assert 'class="badge shape-' in first and 'href="/services/order-service"' in first
    more = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = html(client.get(more))
    seen += _event_links(second)
    assert len(seen) == len(set(seen)) == 27
    assert 'rel="next"' not in second and "« First page" in second


@pytest.mark.parametrize(
    ("query", "inside", "outside"),
    [
        ("domain=payments", "payments/PaymentCaptured", "orders/OrderPlaced"),
        ("bus=orders-events", "orders/OrderPlaced", "payments/PaymentCaptured"),
        ("router=kinesis", "inventory/StockLevelChanged", "orders/OrderPlaced"),
        ("shape=thin", "orders/OrderCancelled", "orders/OrderPlaced"),
        ("shape=full", "orders/OrderPlaced", "orders/OrderCancelled"),
    ],
)
def test_the_event_list_filters(client, demo, query, inside, outside):
    links = _event_links(html(client.get(f"/events?{query}")))
    assert inside in links and outside not in links


def test_the_lifecycle_filter_separates_deprecated_event_types(client, demo, session):
    changes.update_event_type(session, SYSTEM, "orders", "OrderCancelled", {"deprecated": True})
    deprecated = _event_links(html(client.get("/events?lifecycle=deprecated")))
    assert deprecated == ["orders/OrderCancelled"]
    active = _event_links(html(client.get("/events?lifecycle=active")))
    assert "orders/OrderCancelled" not in active and "orders/OrderPlaced" in active


def test_a_filtered_walk_pages_with_the_same_cursor_kind(client, demo):
    everything = _event_links(html(client.get("/events?shape=full")))
    assert everything
    with_more = html(client.get("/events?shape=full&cursor=" + _cursor_after(client)))
    assert set(_event_links(with_more)) <= set(everything)


def _cursor_after(client) -> str:
    page = html(client.get("/events"))
    found = re.search(r'rel="next" href="[^"]*cursor=([^"&]+)', page)
    return found.group(1)


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/events?shape=round", 422, "shape must be one of thin, delta, full"),
        ("/events?router=pigeon", 422, "router must be one of eventbridge"),
        ("/events?lifecycle=zombie", 422, "must be one of draft, active, deprecated, retired"),
        ("/events?domain=nowhere", 404, "nowhere"),
        ("/buses?router=pigeon", 422, "router must be one of"),
        ("/buses?domain=nowhere", 404, "nowhere"),
        ("/consumers?team=nobody", 404, "nobody"),
        ("/consumers?event=not-a-ref", 422, "domain.EventName"),
        ("/events?cursor=garbage", 400, "cursor"),
        ("/services?cursor=garbage", 400, "cursor"),
        ("/services/no-such-service", 404, "no-such-service"),
    ],
)
def test_bad_filters_get_a_clear_4xx_page(client, demo, path, status, words):
    page = html(client.get(path), status)
    assert words in page


def test_the_bus_list_shows_router_ordering_and_counts_that_link(client, demo):
    page = html(client.get("/buses"))
    assert 'href="/buses/orders-events"' in page and "eventbridge" in page
    assert "ordered per key" in page and "unordered" in page
    assert re.search(r'href="/events\?bus=orders-events">[0-9]+ event types?</a>', page)
    assert re.search(r'href="/consumers\?bus=orders-events">[0-9]+ consumers?</a>', page)
    kinesis = html(client.get("/buses?router=kinesis"))
    assert 'href="/buses/inventory-stream"' in kinesis
    assert 'href="/buses/orders-events"' not in kinesis


def test_the_domain_list_shows_owners_and_counts(client, demo):
    page = html(client.get("/domains"))
    assert 'href="/domains/orders"' in page and 'href="/teams/checkout"' in page
    assert re.search(r'href="/events\?domain=orders">[0-9]+ event types?</a>', page)
    assert re.search(r'href="/buses\?domain=orders">1 bus</a>', page)


def test_the_consumer_list_filters_by_bus_and_team(client, demo):
    page = html(client.get("/consumers"))
    assert "warehouse-allocator" in page
    on_bus = html(client.get("/consumers?bus=payments-events"))
    assert "warehouse-allocator" not in on_bus
    assert re.search(r'href="/buses/payments-events"', on_bus)


def test_the_service_list_and_pages_join_producers_and_consumers(client, demo):
    page = html(client.get("/services"))
    assert 'href="/services/order-service"' in page
    more = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert 'href="/services/warehouse-allocator"' in html(client.get(more))
    producer = html(client.get("/services/order-service"))
    assert "<title>Service order-service · Eventry</title>" in producer
    assert 'href="/events/orders/OrderPlaced"' in producer
    assert 'href="/teams/checkout"' in producer and 'href="/buses/orders-events"' in producer
    consumer = html(client.get("/services/warehouse-allocator"))
    assert 'href="/buses/orders-events"' in consumer
    assert "No event type names warehouse-allocator as its producer" in consumer


def test_empty_lists_say_so(client):
    assert "No event types" in html(client.get("/events"))
    assert "No buses" in html(client.get("/buses"))
    assert "No domains yet" in html(client.get("/domains"))
    assert "No consumers registered" in html(client.get("/consumers"))
    assert "No services yet" in html(client.get("/services"))
