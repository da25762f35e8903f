"""Everything a user wrote is escaped, on every page, in the SVG card too."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.functional.ui.conftest import ESCAPED, XSS, html

PAGES = [
    "/",
    "/domains/evil",
    "/buses/evil-bus",
    "/buses/evil-bus?events_per_second=10",
    "/events/evil/ScriptInjected",
    "/events/evil/ScriptInjected/versions/1",
    "/events/evil/ScriptInjected/diff?from=1&to=2&all=1",
    f"/events/evil/ScriptInjected/validate?sample={quote(XSS)}",
    f"/search?q={quote(XSS)}",
    "/teams",
    "/teams/evil",
    "/audit",
    f"/audit?actor={quote(XSS)}&target={quote(XSS)}",
    "/findings",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_script_tag_written_by_a_user_is_shown_as_text(client, hostile, path):
    page = html(client.get(path))
    assert XSS not in page
    assert "<script>" not in page
    assert ESCAPED in page


def test_search_escapes_first_and_then_highlights(client, hostile):
    page = html(client.get("/search?q=script"))
    assert "&lt;<mark>script</mark>&gt;" in page and "<script>" not in page
    page = html(client.get("/search?q=%3Cmark%3E"))
    assert "<mark><mark>" not in page


def test_the_storm_card_escapes_its_text(client, hostile):
    page = html(client.get("/events/evil/ScriptInjected"))
    card = page[page.index('<svg class="storm') : page.index("</svg>")]
    assert "&lt;script&gt;" in card and "<script" not in card


def test_a_pasted_event_and_its_errors_are_escaped(client, hostile):
    quoted = XSS.replace('"', '\\"')
    event = '{"' + quoted + '": "' + quoted + '", "note": 5}'
    page = html(client.post("/events/evil/ScriptInjected/validate", data={"event": event}))
    assert "<script>" not in page and ESCAPED in page


def test_a_path_with_a_script_tag_is_escaped_on_the_404_page(client, hostile):
    page = html(client.get(f"/domains/{quote(XSS, safe='')}"), 404)
    assert "<script>" not in page
