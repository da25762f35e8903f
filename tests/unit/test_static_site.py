"""Where the static site puts each page and how its links are rewritten (app/core/static_site)."""

from __future__ import annotations

import pytest

from app.core.static_site import (
    PageKind,
    Target,
    index_entry,
    page_file,
    page_kind,
    relative,
    rewrite,
    segment,
    target_of,
)


@pytest.mark.parametrize(
    ("path", "query", "file"),
    [
        ("/", "", "index.html"),
        ("/events", "", "events/index.html"),
        ("/events/orders/OrderPlaced", "", "events/orders/OrderPlaced/index.html"),
        ("/events", "domain=orders", "events/index.domain-orders.html"),
        # The pairs are sorted: two spellings of one query are one file.
        ("/events/o/E/diff", "to=3&from=2", "events/o/E/diff/index.from-2_to-3.html"),
        ("/services/billing%20job", "", "services/billing~20job/index.html"),
    ],
)
def test_each_page_has_one_file(path, query, file):
    assert page_file(path, query) == file


def test_a_name_becomes_a_file_name_that_needs_no_escaping_and_never_collides():
    assert segment("order_id-2.v1") == "order_id-2.v1"
    assert segment("..") == "~2E."
    assert segment("a/b") == "a~2Fb"
    assert segment("a~2Fb") == "a~7E2Fb"  # a tilde is escaped too, so the two stay apart
    assert segment("größe") == "gr~C3~B6~C3~9Fe"


def test_a_long_query_is_named_by_its_hash():
    name = page_file("/events", "cursor=" + "x" * 200)
    assert name.startswith("events/index.") and len(name) < 60


def test_only_the_read_only_pages_are_in_the_site():
    assert page_kind("/events/orders/OrderPlaced/versions/2") is PageKind.VERSION
    assert page_kind("/fields/customer/id") is PageKind.FIELD
    for server_only in ("/events/orders/OrderPlaced/validate", "/audit", "/teams/a/webhooks/1"):
        assert page_kind(server_only) is None
        assert target_of(server_only, "") is None
    assert target_of("/api/v1/teams", "") is None


def test_api_documents_and_assets_become_files():
    version = target_of("/api/v1/events/orders/OrderPlaced/versions/2", "")
    assert version == Target(
        "/api/v1/events/orders/OrderPlaced/versions/2",
        "events/orders/OrderPlaced/versions/2/version.json",
        False,
    )
    assert target_of("/api/v1/schemas/7", "").file == "schemas/7.json"
    assert target_of("/api/v1/schemas/7", "details=true") is None
    assert target_of("/static/ui/eventry.css", "").file == "static/eventry.css"
    assert target_of("/map.svg", "").file == "map/map.svg"  # the whole map's drawing
    assert target_of("/map.svg", "focus=domain%3Aorders") is None  # a filtered one needs a server


def test_links_are_relative_to_the_page():
    assert relative("events/o/E/index.html", "index.html") == "../../../index.html"
    assert relative("index.html", "events/index.html") == "events/index.html"
    assert relative("events/index.html", "events/index.domain-o.html") == "index.domain-o.html"


PAGE = """<html><head><link rel="stylesheet" href="/static/ui/eventry.css"></head><body>
<form class="quick-search" action="/search" method="get"><input name="q"></form>
<nav aria-label="Site"><a href="/events">Events</a>
<a href="/audit">Audit</a></nav>
<main><h1>OrderPlaced</h1>
<form class="filters" method="get" action="/events"><select name="bus"></select></form>
<a href="/events?domain=orders&amp;bus=x#rows">list</a>
<a href="/events/orders/OrderPlaced/validate">Validate</a>
<a href="/search?q=customerId">search</a>
<a href="https://example.com/doc">elsewhere</a>
<a href="#fields">fields</a>
<p class="note" data-server-only><a href="/sign-in?next=/x">Sign in</a> to write.</p>
</main></body></html>"""


def test_a_page_is_made_static():
    page, targets = rewrite(
        PAGE, "/events/orders/OrderPlaced", "events/orders/OrderPlaced/index.html"
    )
    assert 'href="../../../static/eventry.css"' in page
    assert 'action="../../../search/index.html"' in page  # the search form goes to the search page
    assert 'class="filters"' not in page  # a filter form needs a server
    assert 'href="../../index.bus-x_domain-orders.html#rows"' in page
    assert "<a>Validate</a>" in page  # no file: the link goes, its text stays
    assert "Audit" not in page  # in a navigation bar, the whole item goes
    assert '<a href="../../index.html">Events</a></nav>' in page
    assert 'href="../../../search/index.html?q=customerId"' in page
    assert 'href="https://example.com/doc"' in page and 'href="#fields"' in page
    assert "Sign in" not in page and "data-server-only" not in page  # invitations to write go
    assert sorted(target.file for target in targets) == [
        "events/index.bus-x_domain-orders.html",
        "events/index.html",
        "search/index.html",
        "static/eventry.css",
    ]


def test_an_index_entry_has_the_heading_and_the_text_of_the_main():
    entry = index_entry(PAGE, PageKind.EVENT, "events/orders/OrderPlaced/index.html")
    assert entry["kind"] == "event" and entry["title"] == "OrderPlaced"
    assert entry["text"].startswith("list Validate search")
