"""Search finds teams, domains, buses, consumers and services beside event types, by kind."""

from __future__ import annotations

import re

from tests.functional.ui.conftest import LEDGER, html, post_from_another_app
from tests.functional.ui.test_query_counts import counting


def _groups(page: str) -> list[str]:
    return re.findall(r'<h2 id="found-([a-z]+)">', page)


def test_search_groups_every_kind_it_finds(client, demo):
    page = html(client.get("/search?q=warehouse"))
    assert _groups(page) == ["teams", "domains", "buses", "consumers", "services", "events"]
    assert '<a href="/teams/warehouse-systems"><mark>Warehouse</mark> Systems</a>' in page
    assert '<a href="/services/warehouse-allocator"><mark>warehouse</mark>-allocator</a>' in page


def test_a_bus_and_a_domain_are_found_by_slug(client, demo):
    page = html(client.get("/search?q=orders-ev"))
    assert "buses" in _groups(page) and 'href="/buses/orders-events"' in page


def test_like_wildcards_are_taken_literally(client, demo):
    page = html(client.get("/search?q=%25_"))
    assert _groups(page) == [] and "Nothing matches" in page


def test_the_next_page_of_event_types_does_not_repeat_the_other_kinds(client, demo):
    page = html(client.get("/search?q=id"))  # every event type has an id field
    more = re.search(r'rel="next" href="([^"]+)"', page)
    assert more and "events" in _groups(page)
    assert _groups(html(client.get(more.group(1).replace("&amp;", "&")))) == []


def test_a_field_hit_shows_its_type_and_description(client, demo):
    page = html(client.get("/search?q=customerId"))
    assert re.search(
        r'<a href="/fields/customerId"><code class="ptr">/<mark>customerId</mark></code></a> '
        r'<span class="type">string</span> '
        r'<span class="note">[^<]+</span>',
        page,
    )


def _names_read(statements: list[str]) -> list[str]:
    # The two statements that list every service name: producers and consumers, distinct.
    return [s for s in statements if s.lstrip().upper().startswith("SELECT DISTINCT")]


def test_the_service_names_are_read_once_per_catalogue_clock(app, client, demo):
    first = html(client.get("/search?q=warehouse"))
    with counting(app.extensions["eventry"].engine) as seen:
        again = html(client.get("/search?q=warehouse"))
        listed = html(client.get("/services"))
    assert again == first
    assert _names_read(seen) == [], seen
    assert listed.count('href="/services/') > 10


def test_a_service_named_by_another_process_is_found_at_once(app, client, demo, database_url):
    assert "ledger-poster" not in html(client.get("/search?q=ledger"))
    post_from_another_app(database_url, LEDGER)

    found = html(client.get("/search?q=ledger"))
    assert '<a href="/services/ledger-poster"><mark>ledger</mark>-poster</a>' in found
    assert 'href="/services/ledger-poster"' in html(client.get("/services"))
