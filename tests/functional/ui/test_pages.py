"""Every page of the catalogue UI answers with the content a reader needs."""

from __future__ import annotations

import json
import re
from html import unescape

from markupsafe import escape

from tests.conftest import ADMIN_TOKEN
from tests.functional.ui.conftest import html


def test_home_shows_counts_search_domains_buses_and_recent_changes(client, demo):
    page = html(client.get("/"))
    assert "<title>Event catalogue · Eventry</title>" in page
    assert re.search(r"<strong>27</strong> event types", page)
    assert 'action="/search"' in page
    assert 'href="/domains/orders"' in page and 'href="/buses/orders-events"' in page
    assert 'href="/teams/checkout"' in page
    assert "Recently changed" in page and 'href="/events/' in page


def test_an_empty_registry_says_how_to_start(client):
    page = html(client.get("/"))
    assert "No domains yet" in page


def test_domain_page_lists_owner_buses_events_with_shapes_and_consumers(client, demo):
    page = html(client.get("/domains/orders"))
    assert "<title>Domain Orders · Eventry</title>" in page
    assert 'href="/teams/checkout"' in page
    assert 'href="/buses/orders-events"' in page
    assert 'href="/events/orders/OrderPlaced"' in page
    assert "order-service" in page
    assert 'class="badge shape-full"' in page and 'class="badge shape-thin"' in page
    assert "warehouse-allocator" in page
    assert 'aria-label="Breadcrumbs"' in page and 'href="/"' in page


def test_bus_page_shows_router_ordering_events_consumers_and_advice(client, demo):
    page = html(client.get("/buses/orders-events"))
    assert "eventbridge" in page and "unordered" in page
    assert 'href="/domains/orders"' in page
    assert 'href="/events/orders/OrderPlaced"' in page
    assert "warehouse-allocator" in page and "detail-type" in page
    assert "does not keep order" in page
    assert 'name="events_per_second"' in page
    assert "USD per month" not in page


def test_bus_page_estimates_the_monthly_cost_of_a_declared_throughput(client, demo):
    page = html(client.get("/buses/inventory-stream?events_per_second=50"))
    assert "ordered per key" in page
    assert "USD per month" in page and "kinesis" in page and "this bus" in page
    assert re.search(r'class="num">[0-9,]+\.[0-9]{2}<', page)


def test_bus_page_explains_a_throughput_that_is_not_a_number(client, demo):
    page = html(client.get("/buses/orders-events?events_per_second=lots"))
    assert "events per second must be a number" in page
    page = html(client.get("/buses/orders-events?events_per_second=-5"))
    assert 'role="alert"' in page


def test_event_page_has_card_fields_raw_json_shape_lints_samples_versions(client, demo):
    page = html(client.get("/events/orders/OrderPlaced"))
    assert "<title>orders.OrderPlaced · Eventry</title>" in page
    assert page.count('<svg class="storm') == 2
    for kind in ("command", "aggregate", "event", "bus", "consumer"):
        assert f"note note-{kind}" in page
    assert "PlaceOrder" in page and "warehouse-allocator" in page
    assert 'class="fields"' in page and "giftMessage" in page and "closed model" in page
    assert 'id="schema-json"' in page and 'data-copy="schema-json"' in page
    assert "Signals" in page and "Advice" in page
    assert "BACKWARD_TRANSITIVE" in page and "strict" in page
    assert (
        "invalid-empty-lines" in page
        and "as expected" in page
        and "has fewer items than the minimum of 1" in page
    )
    assert "priya.nair@larkspur.example" in page and "giftMessage maxLength raised" in page
    assert 'href="/events/orders/OrderPlaced/diff?from=2&amp;to=3"' in page
    assert 'href="/events/orders/OrderPlaced/validate"' in page


def test_event_page_follows_refs_and_indents_nested_fields(client, demo):
    page = html(client.get("/events/orders/OrderPlaced"))
    assert re.search(r'class="depth-1">\s*<td class="field-name"><code title="/lines/0/sku">', page)
    assert re.search(
        r'class="depth-2">\s*<td class="field-name"><code title="/totals/grandTotal/amount">', page
    )


def test_an_event_with_lints_shows_them(client, demo):
    pages = [client.get(f"/events/{p}").get_data(as_text=True) for p in _event_paths(client)]
    assert any('class="badge sev-' in page for page in pages)


def _event_paths(client) -> list[str]:
    home = client.get("/search?q=ed").get_data(as_text=True)
    return sorted(set(re.findall(r'href="/events/([a-z-]+/[A-Za-z]+)"', home)))


def test_version_page_shows_that_versions_schema(client, demo):
    page = html(client.get("/events/orders/OrderPlaced/versions/1"))
    assert "v1" in page and "giftMessage" not in page
    assert 'data-copy="schema-json"' in page
    html(client.get("/events/orders/OrderPlaced/versions/9"), 404)


def test_diff_page_marks_changed_and_added_fields_with_verdicts(client, demo):
    page = html(client.get("/events/orders/OrderPlaced/diff?from=1&to=3"))
    assert "v1 → v3" in page
    assert 'class="st-added' in page and 'class="st-changed' in page
    assert "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL" in page
    assert "✓ BACKWARD" in page and "✗ FORWARD" in page
    assert 'class="st-unchanged' not in page
    everything = html(client.get("/events/orders/OrderPlaced/diff?from=1&to=3&all=1"))
    assert 'class="st-unchanged' in everything


def test_diff_defaults_to_the_last_two_versions_and_refuses_unknown_ones(client, demo):
    page = html(client.get("/events/orders/OrderPlaced/diff"))
    assert "v2 → v3" in page
    html(client.get("/events/orders/OrderPlaced/diff?from=7"), 404)
    html(client.get("/events/orders/OrderPlaced/diff?from=x"), 422)


def test_validate_page_offers_versions_and_samples(client, demo):
    page = html(client.get("/events/orders/OrderPlaced/validate?sample=two-lines-uk"))
    assert '<option value="latest"' in page and '<option value="1"' in page
    assert "&#34;orderId&#34;" in page or "&quot;orderId&quot;" in page


def test_validating_a_good_event(client, demo):
    sample = _sample(client, "orders/OrderPlaced", "two-lines-uk")
    page = html(client.post("/events/orders/OrderPlaced/validate", data={"event": sample}))
    assert "Valid against version 3" in page


def test_validating_a_bad_event_points_every_error_into_it(client, demo):
    event = '{\n  "orderId": 5,\n  "channel": "fax"\n}'
    data = {"event": event, "version": "1"}
    page = html(client.post("/events/orders/OrderPlaced/validate", data=data))
    assert "errors against version 1" in page
    assert "5 is not of type" in page and "&#34;fax&#34; is not one of" in page
    assert re.search(r'id="L2" class="line has-error"', page)
    assert 'href="#L2"' in page and 'href="#L3"' in page


def test_bad_json_is_a_clear_error_not_a_500(client, demo):
    page = html(client.post("/events/orders/OrderPlaced/validate", data={"event": "{oops"}), 400)
    assert "That is not valid JSON" in page and "line 1, column 2" in page
    page = html(client.post("/events/orders/OrderPlaced/validate", data={"event": ""}), 400)
    assert "Paste a JSON event" in page
    page = html(
        client.post("/events/orders/OrderPlaced/validate", data={"event": '{"a": 1, "a": 2}'}), 400
    )
    assert "That is not valid JSON" in page
    data = {"event": "{}", "version": "12"}
    page = html(client.post("/events/orders/OrderPlaced/validate", data=data), 404)
    assert "has no live version 12" in page


def _sample(client, event: str, name: str) -> str:
    page = client.get(f"/events/{event}/validate?sample={name}").get_data(as_text=True)
    body = re.search(r'<textarea id="event"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    return body.replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'")


def test_search_highlights_matches_in_fields_and_paginates(client, demo):
    page = html(client.get("/search?q=customerid"))
    assert "<mark>customerId</mark>" in page
    assert 'href="/events/orders/OrderPlaced"' in page
    page = html(client.get("/search?q=ed"))
    first = set(re.findall(r'<h2><a href="(/events/[^"]+)"', page))
    assert len(first) == 25 and 'rel="next"' in page
    more = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    second = html(client.get(more))
    rest = set(re.findall(r'<h2><a href="(/events/[^"]+)"', second))
    assert rest and rest.isdisjoint(first) and len(first | rest) == 27
    assert "First page" in second


def test_search_explains_short_and_empty_queries(client, demo):
    assert "at least 2 characters" in html(client.get("/search?q=x"))
    assert "Nothing matches" in html(client.get("/search?q=zzzqqq"))
    assert 'id="q"' in html(client.get("/search"))


def test_teams_and_team_page_show_domains_consumers_and_no_token_details(client, demo, team_token):
    assert 'href="/teams/checkout"' in html(client.get("/teams"))
    page = html(client.get("/teams/checkout"))
    assert 'href="/domains/orders"' in page
    assert "1 active token." in page
    # Token names and prefixes are for the team and the admins, as in the API.
    assert "checkout deploys" not in page and team_token[:12] not in page
    consumers = html(client.get("/teams/payments"))
    assert "payment-orchestrator" in consumers
    html(client.get("/teams/nobody"), 404)


def test_audit_page_filters_and_paginates(client, demo):
    page = html(client.get("/audit"))
    assert "version.register" in page and 'rel="next"' in page
    only = html(client.get("/audit?action=bus.create"))
    assert "bus.create" in only and "version.register</code>" not in only
    targeted = html(client.get("/audit?target=event:orders.OrderPlaced"))
    assert "event:orders.OrderPlaced" in targeted and "event:payments." not in targeted
    assert "No audit entries match" in html(client.get("/audit?actor=nobody"))


def test_the_ui_ships_its_own_css_and_js(client):
    css = client.get("/static/ui/eventry.css")
    js = client.get("/static/ui/eventry.js")
    assert css.status_code == 200 and "--event" in css.get_data(as_text=True)
    assert js.status_code == 200 and "clipboard" in js.get_data(as_text=True)
    css.close()
    js.close()


def test_pages_forbid_inline_scripts(client, demo):
    response = client.get("/events/orders/OrderPlaced")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script>" not in response.get_data(as_text=True)


def _example_on(page: str):
    found = re.search(
        r'<pre tabindex="0" class="json" id="example-json"><code>(.*?)</code></pre>', page, re.S
    )
    return None if found is None else json.loads(unescape(re.sub(r"<[^>]+>", "", found[1])))


def test_version_page_offers_a_valid_example_and_its_code_bindings(client, demo):
    base = "/events/orders/OrderPlaced/versions/2"
    page = html(client.get(base))
    example = _example_on(page)
    assert example == client.get(f"/api/v1{base}/example").json["example"]
    checked = client.post(
        "/api/v1/events/orders/OrderPlaced/validate?version=2", json={"event": example}
    )
    assert checked.json.get("valid") is True, checked.json
    for language, media in (("python", "text/x-python"), ("typescript", "text/x-typescript")):
        link = f'href="/api/v1{base}/bindings/{language}"'
        assert link in page
        answer = client.get(f"/api/v1{base}/bindings/{language}")
        assert answer.status_code == 200 and answer.mimetype == media


def test_version_page_says_why_no_example_can_be_made(client, demo):
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    event = {"domain": "orders", "name": "ImpossibleThing"}
    assert client.post("/api/v1/events", json=event, headers=admin).status_code == 201
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "minLength": 5, "maxLength": 2}},
        "required": ["a"],
    }
    registered = client.post(
        "/api/v1/events/orders/ImpossibleThing/versions", json={"schema": schema}, headers=admin
    )
    assert registered.status_code == 201, registered.json
    refusal = client.get("/api/v1/events/orders/ImpossibleThing/versions/1/example")
    assert refusal.status_code == 422
    page = html(client.get("/events/orders/ImpossibleThing/versions/1"))
    assert _example_on(page) is None
    assert "No example can be made from this schema" in page
    assert escape(refusal.json["detail"]) in page
