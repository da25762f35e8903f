"""The landscape map of a generated catalogue of 2,000 event types: the whole map is the
summary (small, each domain a link to its focus), a focus draws one domain in detail, and a
detail of everything is refused rather than drawn as megabytes."""

from __future__ import annotations

import re

from tests.functional.ui import landscape_catalogue as generated
from tests.functional.ui.conftest import html

# What a page of the whole summary or of one focused domain may weigh (measured: about 30 KB
# and 120 KB); a detail of 2,000 event types would be over a megabyte.
MOST_BYTES = 300_000


def test_two_thousand_event_types_summarise_and_focus(client, session):
    generated.build(session)

    whole = html(client.get("/map"))
    assert len(whole) < MOST_BYTES
    assert "Summarised by domain" in whole
    assert "2,000 event types" in whole or "2000 event types" in whole
    svg = re.search(r"<svg .*?</svg>", whole, re.S).group(0)
    for d in range(generated.DOMAINS):
        assert f'href="/map?focus=domain:{generated.domain_slug(d)}"' in svg
    assert "/events/" not in svg
    # area-03's producer reads ten events of area-04: a weighted flow from 04 into 03.
    assert 'd="M' in svg
    assert re.search(r"<title>Area 04 → Area 03: 10 events received by \d+ services?</title>", svg)

    focused = html(client.get("/map?focus=domain:area-03"))
    assert len(focused) < MOST_BYTES
    drawn = re.search(r"<svg .*?</svg>", focused, re.S).group(0)
    assert drawn.count('href="/events/area-03/') == generated.EVENTS_PER_DOMAIN
    assert 'href="/events/area-04/Thing04x000Happened"' in drawn  # what feeds area-03
    assert 'href="/events/area-05/' not in drawn

    answer = client.get("/map.svg?focus=service:producer-03-0")
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    service = answer.get_data(as_text=True)
    assert service.count('href="/events/') == generated.EVENTS_PER_DOMAIN // 5 + 10

    refused = html(client.get("/map?view=detail"), 422)
    assert "too large to draw" in refused
