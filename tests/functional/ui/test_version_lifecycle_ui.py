"""A version's lifecycle on the pages: the event page badges each version and lists the
consumers still pinned to a deprecated one; the version page says why and what succeeds it."""

from __future__ import annotations

from app.core.lifecycle import Lifecycle, Stage
from app.services.version_lifecycle import set_version_lifecycle
from tests.functional.ui.conftest import SYSTEM, html

EVENT = "/events/orders/OrderCancelled"


def test_the_pages_show_a_deprecated_version_and_the_consumers_still_to_move(client, demo, session):
    page = html(client.get(EVENT))
    assert 'id="still-to-move"' not in page
    wanted = Stage(Lifecycle.DEPRECATED, "2026-11-01", "v2 says why it was cancelled.", 2)
    set_version_lifecycle(session, SYSTEM, "orders", "OrderCancelled", "1", wanted)
    page = html(client.get(EVENT))
    moving = page.split('id="still-to-move"', 1)[1].split("</div>", 1)[0]
    assert "<strong>void-or-refund-handler</strong>" in moving
    assert "(team payments)" in moving
    assert (
        "v1</a>, deprecated since 2026-11-01: v2 says why it was cancelled. Move to v2." in moving
    )
    assert '<span class="badge lifecycle warn">deprecated</span>' in page
    version = html(client.get(f"{EVENT}/versions/1"))
    assert "Deprecated since 2026-11-01: v2 says why it was cancelled." in version
    assert 'Its successor is <a href="/events/orders/OrderCancelled/versions/2">v2</a>' in version


def test_a_retired_version_page_offers_no_validation(client, demo, session):
    wanted = Stage(Lifecycle.RETIRED, None, "Gone.", 2)
    set_version_lifecycle(session, SYSTEM, "orders", "OrderCancelled", "1", wanted)
    version = html(client.get(f"{EVENT}/versions/1"))
    assert "Retired: no consumer newly pins it and it validates nothing" in version
    assert "Validate against v1" not in version
    assert "Validate against v2" in html(client.get(f"{EVENT}/versions/2"))
