"""Search finds teams, domains, buses, consumers and services beside event types, by kind."""

from __future__ import annotations

import re

from tests.functional.ui.conftest import html


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
