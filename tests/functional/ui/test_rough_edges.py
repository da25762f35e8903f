"""The rough edges a first hour finds, each fixed as a kind: grammar, pointers, markup."""

from __future__ import annotations

import re

from tests.functional.ui.conftest import html

PAGES = [
    "/",
    "/events",
    "/buses",
    "/domains",
    "/consumers",
    "/services",
    "/services/order-service",
    "/domains/orders",
    "/buses/orders-events?events_per_second=50",
    "/events/orders/OrderPlaced",
    "/events/customers/CustomerRegistered",
    "/events/orders/OrderPlaced/diff?from=1&to=3",
    "/teams",
    "/teams/checkout",
]


def test_no_page_writes_placeholder_plurals_or_backticks(client, demo):
    for path in PAGES:
        page = html(client.get(path))
        text = re.sub(r"<[^>]+>", "", page)
        assert "(s)" not in text, path
        assert "`" not in text, path
        assert not re.search(r"\b1 (event type|consumer|bus|version|error)s\b", text), path
        assert not re.search(r"\ba [AEIOU][a-z]+[A-Z]", text), path


def test_the_validate_page_names_the_event_with_its_article(client, demo):
    page = html(client.get("/events/orders/OrderPlaced/validate"))
    assert "Validate an OrderPlaced event" in page
    page = html(client.get("/events/payments/PaymentCaptured/validate"))
    assert "Validate a PaymentCaptured event" in page


def test_pointers_break_at_their_slashes_in_one_style(client, demo):
    event = '{"lines": [{"unitPrice": {"amount": "free"}}]}'
    page = html(client.post("/events/orders/OrderPlaced/validate", data={"event": event}))
    pointers = re.findall(r'<code class="ptr">(.*?)</code>', page)
    assert pointers
    nested = [p for p in pointers if p.count("/") > 1]
    assert nested and all("<wbr>/" in p and not p.startswith("<wbr>") for p in nested)
    consumers = html(client.get("/consumers"))
    assert '<code class="ptr">/orderId</code>' in consumers or "<wbr>/" in consumers


def test_teams_are_listed_by_name(client, demo):
    page = html(client.get("/teams"))
    names = re.findall(r'<h2><a href="/teams/[^"]+">([^<]+)</a>', page)
    assert len(names) == 10
    assert names == sorted(names, key=str.lower)
    assert names.index("Returns &amp; Aftercare") > names.index("Payments &amp; Risk")


def test_audit_targets_show_a_name_and_a_link(client, demo, session):
    from app.core.access import Actor
    from app.services import catalog, changes

    system = Actor.system("test")
    gone = catalog.create_consumer(session, system, "short-lived", "orders-events", team="checkout")
    changes.delete_consumer(session, system, gone.id)
    page = html(client.get("/audit?target=consumer:"))
    assert re.search(r'<a href="/services/([a-z-]+)">\1 on [a-z-]+</a>', page)
    assert f"consumer {gone.id} (deleted)" in page
    events = html(client.get("/audit?target=event:orders.OrderPlaced"))
    assert '<a href="/events/orders/OrderPlaced">orders.OrderPlaced</a>' in events
    teams = html(client.get("/audit?target=team:checkout"))
    assert '<a href="/teams/checkout">checkout</a>' in teams


def test_the_api_reference_has_the_site_header_and_the_favicon(client):
    page = html(client.get("/api/docs"))
    assert '<header class="site">' in page and 'aria-label="Breadcrumbs"' in page
    assert 'rel="icon" href="/static/ui/favicon.svg"' in page
    assert "<title>API reference · Eventry</title>" in page
    assert "<style>" not in page  # styled by the site's stylesheet, as every page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.headers["Location"].endswith("/favicon.svg")
    svg = client.get(icon.headers["Location"])
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    svg.close()
