"""The landscape map on the demo catalogue: every domain, bus, event and service drawn as a
link to its page, filters, focus and views, and bad queries answered 404 or 422."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from app.services import catalog, directory, listing, versions
from tests.functional.ui.conftest import ESCAPED, SYSTEM, XSS, html

SVG = "{http://www.w3.org/2000/svg}"


def _drawing(page: str) -> str:
    found = re.search(r"<svg .*?</svg>", page, re.S)
    assert found, "no drawing on the page"
    return found.group(0)


def _links(svg: str) -> set[str]:
    return {unquote(h) for h in re.findall(r'<a [^>]*href="([^"]+)"', svg)}


def _events(svg: str) -> set[str]:
    return {h for h in _links(svg) if h.startswith("/events/")}


def test_every_domain_bus_event_and_service_of_the_demo_is_a_link_on_the_map(client, session, demo):
    svg = _drawing(html(client.get("/map")))
    links = _links(svg)
    for domain in listing.list_domains(session, None, 100).items:
        assert f"/domains/{domain.slug}" in links
    for bus in listing.list_buses(session, None, 100).items:
        assert f"/buses/{bus.slug}" in links
    for event_type in listing.list_event_types(session, None, 100).items:
        assert f"/events/{event_type.domain.slug}/{event_type.name}" in links
    for service in directory.service_names(session):
        assert f"/services/{service.name}" in links
    assert "<title" in svg and "<desc" in svg


def test_the_map_says_who_publishes_what_where_it_travels_and_who_receives_it(client, demo):
    page = html(client.get("/map"))
    table = page.split('id="relations"', 1)[1]
    rows = [row for row in table.split("<tr>") if 'href="/events/orders/OrderPlaced"' in row]
    assert len(rows) == 1, "no table row for orders.OrderPlaced"
    text = rows[0]
    assert "/services/order-service" in text and "/buses/orders-events" in text
    assert "/services/payment-orchestrator" in text


def test_the_home_page_and_the_navigation_link_to_the_map(client, demo):
    assert 'href="/map"' in html(client.get("/"))
    assert html(client.get("/events")).count('href="/map"') >= 1


def test_filters_narrow_the_drawing_to_their_events(client, demo):
    orders = _events(_drawing(html(client.get("/map?domain=orders"))))
    assert orders and all(h.startswith("/events/orders/") for h in orders)
    on_bus = _events(_drawing(html(client.get("/map?bus=payments-events"))))
    assert on_bus and all(h.startswith("/events/payments/") for h in on_bus)
    service = _events(_drawing(html(client.get("/map?service=order-service"))))
    assert "/events/orders/OrderPlaced" in service
    assert "/events/customers/CustomerRegistered" not in service
    team = _events(_drawing(html(client.get("/map?team=checkout"))))
    assert "/events/orders/OrderPlaced" in team
    only = _drawing(html(client.get("/map?link=publishes")))
    assert 'class="link publishes"' in only and 'class="link delivers"' not in only


def test_a_focus_shows_the_element_and_its_neighbours_only(client, demo):
    whole = _events(_drawing(html(client.get("/map"))))
    page = html(client.get("/map?focus=domain:orders"))
    focused = _events(_drawing(page))
    assert {h for h in whole if h.startswith("/events/orders/")} <= focused
    assert focused < whole
    assert "/events/customers/CustomerErased" not in focused
    service = _drawing(html(client.get("/map?focus=service:payment-orchestrator")))
    assert 'class="node service focused" href="/services/payment-orchestrator"' in service
    assert "/events/orders/OrderPlaced" in _events(service)


def test_the_summary_links_each_domain_to_the_map_focused_on_it(client, demo):
    page = html(client.get("/map?view=summary"))
    svg = _drawing(page)
    assert "Summarised by domain" in page
    assert "/map?focus=domain:orders" in _links(svg)
    assert not _events(svg)


@pytest.mark.parametrize(
    "query, status, words",
    [
        ("focus=domain:atlantis", 404, "no domain"),
        ("focus=service:nobody", 404, "no event type names the service"),
        ("focus=orders", 422, "focus must be kind:name"),
        ("domain=atlantis", 422, "names no domain"),
        ("team=nobody&bus=nowhere", 422, "names no team"),
        ("view=tiny", 422, "view must be one of"),
        ("link=sideways", 422, "link must be one of"),
        ("link=flows", 422, "link must be one of publishes, travels, delivers"),
        ("view=summary&link=publishes", 422, "the summary draws flows between domains only"),
        ("focus=domain:orders&focus=domain:payments", 422, "focus takes one value"),
        ("view=detail&view=summary", 422, "view takes one value"),
        ("focus=event:orders.OrderPlaced", 422, "must be one of domain, bus, service"),
        ("focus=planet:x", 422, "must be one of domain, bus, service"),
    ],
)
def test_a_bad_query_gets_a_page_saying_what_is_wrong(client, demo, query, status, words):
    for path in ("/map", "/map.svg"):
        page = html(client.get(f"{path}?{query}"), status)
        assert words in page.replace("&#39;", "'")


def test_a_bad_filter_is_said_once(client, demo):
    page = html(client.get("/map?domain=atlantis"), 422).replace("&#39;", "'")
    assert page.count("domain 'atlantis' names no domain of the catalogue") == 1
    both = html(client.get("/map?domain=atlantis&bus=nowhere"), 422).replace("&#39;", "'")
    assert "2 filter values name nothing in the catalogue" in both
    assert both.count("domain 'atlantis' names no domain") == 1
    assert both.count("bus 'nowhere' names no bus") == 1


def test_filters_take_several_values_repeated_or_as_a_comma_list(client, demo):
    repeated = _events(_drawing(html(client.get("/map?domain=orders&domain=payments"))))
    listed = _events(_drawing(html(client.get("/map?domain=orders,payments"))))
    assert repeated == listed
    assert {h.split("/")[2] for h in repeated} == {"orders", "payments"}
    buses = "/map?bus=orders-events&bus=payments-events"
    assert {h.split("/")[2] for h in _events(_drawing(html(client.get(buses))))} >= {
        "orders",
        "payments",
    }
    only = _drawing(html(client.get("/map?link=publishes,delivers")))
    assert 'class="link delivers"' in only and 'class="link travels"' not in only


def test_the_summary_counts_in_words_and_names_both_domains_of_a_line(client, demo):
    root = ET.fromstring(client.get("/map.svg?view=summary").get_data())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert not any(re.match(r"1 event types|receives \d+$", t) for t in texts)
    assert any(re.fullmatch(r"\d+ event types?", t) for t in texts)
    lines = [p.find(f"{SVG}title").text for p in root.iter(f"{SVG}path")]
    assert lines and all(
        re.fullmatch(r".+ → .+: \d+ events? received by \d+ services?", title) for title in lines
    )
    assert any(title.startswith("Orders → Payments: ") for title in lines)
    # The form's default (every detail line ticked) is no choice: the summary still draws.
    ticked = "/map?view=summary&link=publishes&link=travels&link=delivers"
    assert "Summarised by domain" in html(client.get(ticked))


def test_the_svg_alone_is_a_standalone_document(client, demo):
    response = client.get("/map.svg?focus=domain:orders")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert "/events/orders/OrderPlaced" in hrefs


def test_names_written_by_users_are_escaped_in_the_drawing(client, hostile):
    for path in ("/map", "/map.svg"):
        body = client.get(path).get_data(as_text=True)
        assert XSS not in body
        assert ESCAPED in body
    ET.fromstring(client.get("/map.svg").get_data())  # still well-formed XML


LONG = "Customer " + "and partner " * 10  # a 129-character domain name


@pytest.fixture
def long_names(session):
    """A catalogue whose every name is longer than a box of the map."""
    catalog.create_team(session, SYSTEM, "long-team", "Long team", "")
    catalog.create_domain(session, SYSTEM, "long-names", LONG.strip(), "long-team", "")
    bus = "long-bus-" + "x" * 50
    catalog.create_bus(session, SYSTEM, bus, "long-names", "sns", "")
    name = "Customer" + "Partner" * 10 + "Changed"
    producer = "producer-" + "service-" * 12
    catalog.create_event_type(session, SYSTEM, "long-names", name, bus=bus, producer=producer)
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    versions.register_version(session, SYSTEM, "long-names", name, schema, "", "")
    consumer = "consumer-" + "reader-" * 12
    catalog.create_consumer(session, SYSTEM, consumer, bus, team="long-team")
    return [LONG.strip(), bus, name, producer, consumer]


@pytest.mark.parametrize("view", ["detail", "summary"])
def test_every_text_of_the_drawing_is_cut_to_its_box_with_the_whole_name_in_its_title(
    client, long_names, view
):
    root = ET.fromstring(client.get(f"/map.svg?view={view}").get_data())
    titled = []
    for a in root.iter(f"{SVG}a"):
        title = a.find(f"{SVG}title").text
        for text in a.iter(f"{SVG}text"):
            # 26 characters is what a 210-unit box holds at the map's 8 units a character.
            assert len(text.text) <= 27, text.text
            if text.text.endswith("…"):
                assert text.text[:-1] in title
            titled.append(title)
    expected = long_names if view == "detail" else long_names[:1]
    for name in expected:
        assert any(name in title for title in titled), name
