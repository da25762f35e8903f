"""The front page is kept per catalogue clock: a repeated view reads only the clock, and any
committed write, through this app or another process on the same database, shows at once."""

from __future__ import annotations

import re

from tests.functional.ui.conftest import LEDGER, html, post_from_another_app
from tests.functional.ui.test_query_counts import counting


def _count(page: str, noun: str) -> int:
    return int(re.search(rf"<strong>([0-9]+)</strong> {noun}</a>", page).group(1))


def _recent(page: str) -> list[str]:
    section = page.split('id="recent-h"', 1)[1]
    return re.findall(r'<li><a href="/events/([^"]+)"', section)


def test_a_repeated_view_reads_only_the_catalogue_clock(app, client, demo):
    first = html(client.get("/"))
    with counting(app.extensions["eventry"].engine) as seen:
        again = html(client.get("/"))
    assert again == first
    assert len(seen) <= 2, seen  # the audit clock (and SQLite's begin)


def test_a_write_by_another_process_shows_on_the_next_view(app, client, demo, database_url):
    before = html(client.get("/"))
    versions = [("/api/v1/events/ledger/EntryPosted/versions", {"schema": {"type": "object"}})]
    post_from_another_app(database_url, LEDGER + versions)

    after = html(client.get("/"))
    for noun, grown in [("domains", 1), ("buses", 1), ("event types", 1), ("services", 1)]:
        assert _count(after, noun) == _count(before, noun) + grown, noun
    assert _recent(after)[0] == "ledger/EntryPosted"
    assert '<span class="badge version">v1</span>' in after.split('id="recent-h"', 1)[1]
    card = after.split('href="/domains/ledger">Ledger</a>', 1)[1].split("</li>\n    </ul>")[0]
    assert 'href="/teams/ledger">Ledger</a> · 1 event type' in card
    assert 'href="/buses/ledger-bus">ledger-bus</a>' in card and "1 event<" in card
