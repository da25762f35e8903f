"""The landscape map's rules as plain values: which events a query keeps, the graph in detail
or summary, and a layout without overlaps that is the same every time."""

from __future__ import annotations

import random
import re

import pytest

from app.core.errors import InvalidInput, NotFound
from app.core.landscape.graph import AUTO_DETAIL_MOST, DETAIL_MOST, OUTSIDE, graph
from app.core.landscape.layout import CHAR_WIDTH, cut, layout
from app.core.landscape.model import (
    EventFact,
    Focus,
    Landscape,
    LinkKind,
    NodeKind,
    Query,
    Receiver,
    View,
    chosen,
)


def _landscape(domains: int = 3, per_domain: int = 4) -> Landscape:
    events = []
    for d in range(domains):
        for e in range(per_domain):
            events.append(
                EventFact(
                    domain=f"d{d}",
                    name=f"E{d}x{e}Happened",
                    team=f"t{d}",
                    bus=f"d{d}-bus",
                    bus_domain=f"d{d}",
                    producer=f"svc-{d}-{e % 2}",
                    # Each domain's first producer receives the next domain's even events.
                    receivers=(Receiver(f"svc-{(d - 1) % domains}-0", f"t{(d - 1) % domains}"),)
                    if e % 2 == 0
                    else (Receiver("archiver"),),
                )
            )
    return Landscape(
        tuple(events),
        {f"d{d}": f"Domain {d}" for d in range(domains)},
        {f"d{d}-bus": f"d{d}" for d in range(domains)},
        frozenset(f"t{d}" for d in range(domains)),
    )


def _drawing(landscape: Landscape, query: Query | None = None):
    query = query or Query()
    return layout(graph(landscape, chosen(landscape, query), query))


def test_no_two_nodes_or_domain_boxes_overlap_and_each_event_sits_in_its_domain_box():
    drawing = _drawing(_landscape(5, 9))
    boxes = [p.box for p in drawing.nodes]
    assert len(boxes) > 40
    for i, first in enumerate(boxes):
        assert not any(first.overlaps(second) for second in boxes[i + 1 :])
    groups = [g.box for g in drawing.groups]
    for i, first in enumerate(groups):
        assert not any(first.overlaps(second) for second in groups[i + 1 :])
    by_slug = {}
    for group in drawing.groups:
        by_slug.setdefault(group.slug, []).append(group.box)
    for placed in drawing.nodes:
        if placed.node.group is None:
            continue
        inside = [
            b
            for b in by_slug[placed.node.group]
            if b.x <= placed.box.x
            and placed.box.x + placed.box.width <= b.x + b.width
            and b.y <= placed.box.y
            and placed.box.y + placed.box.height <= b.y + b.height
        ]
        assert inside, placed.node.key
    assert all(p.box.x + p.box.width <= drawing.width for p in drawing.nodes)
    assert all(p.box.y + p.box.height <= drawing.height for p in drawing.nodes)


def test_the_same_graph_in_any_order_gives_the_same_drawing():
    landscape = _landscape(4, 6)
    once = _drawing(landscape)
    shuffled = list(landscape.events)
    random.Random(7).shuffle(shuffled)
    again = _drawing(Landscape(tuple(shuffled), landscape.domains, landscape.buses))
    assert [(p.node.key, p.box) for p in once.nodes] == [(p.node.key, p.box) for p in again.nodes]
    assert [r.d for r in once.routes] == [r.d for r in again.routes]
    assert once == _drawing(landscape)


def test_the_detail_draws_producer_event_bus_consumer_in_columns_left_to_right():
    drawing = _drawing(_landscape(2, 2))
    column_x = {}
    for placed in drawing.nodes:
        column_x.setdefault(placed.node.column, set()).add(placed.box.x)
    xs = [min(column_x[c]) for c in sorted(column_x)]
    assert xs == sorted(xs) and len(xs) == 4
    kinds = {r.link.kind for r in drawing.routes}
    assert kinds == {LinkKind.PUBLISHES, LinkKind.TRAVELS, LinkKind.DELIVERS}
    for route in drawing.routes:  # every curve runs rightwards
        start, end = route.d.split(" ")[0], route.d.split(" ")[-1]
        assert float(start[1:].split(",")[0]) < float(end.split(",")[0])


def test_filters_keep_the_events_of_their_domain_bus_service_or_team():
    landscape = _landscape()
    assert {e.domain for e in chosen(landscape, Query(domain=frozenset({"d1"})))} == {"d1"}
    assert {e.bus for e in chosen(landscape, Query(bus=frozenset({"d2-bus"})))} == {"d2-bus"}
    by_service = chosen(landscape, Query(service=frozenset({"svc-0-0"})))
    assert all("svc-0-0" in e.services for e in by_service)
    assert {e.domain for e in by_service} == {"d0", "d1"}  # publishes in d0, receives from d1
    by_team = chosen(landscape, Query(team=frozenset({"t0"})))
    assert {e.domain for e in by_team} == {"d0", "d1"}  # owns d0, its consumer receives d1's


def test_a_filter_naming_nothing_is_bad_input_and_a_focus_naming_nothing_is_not_found():
    landscape = _landscape()
    with pytest.raises(InvalidInput, match="domain 'nope' names no domain"):
        chosen(landscape, Query(domain=frozenset({"nope"})))
    with pytest.raises(InvalidInput, match="team 'x' names no team"):
        chosen(landscape, Query(team=frozenset({"x"})))
    for focus in ("domain:nope", "service:nobody", "bus:none"):
        with pytest.raises(NotFound):
            chosen(landscape, Query(focus=Focus.parse(focus)))


@pytest.mark.parametrize(
    "args, words",
    [
        ({"focus": ["orders"]}, "focus must be kind:name"),
        ({"focus": ["event:orders"]}, "the focus kind must be one of"),
        ({"focus": ["planet:orders"]}, "the focus kind must be one of"),
        ({"view": ["tiny"]}, "view must be one of"),
        ({"link": ["sideways"]}, "link must be one of publishes, travels, delivers"),
        ({"link": ["flows"]}, "link must be one of publishes, travels, delivers"),
        ({"focus": ["domain:d0", "domain:d1"]}, "focus takes one value"),
        ({"view": ["detail", "summary"]}, "view takes one value"),
    ],
)
def test_a_malformed_query_is_refused_naming_what_is_allowed(args, words):
    with pytest.raises(InvalidInput, match=words):
        Query.parse(args)


@pytest.mark.parametrize("focus", ["orders", "event:orders.OrderPlaced", "planet:x", "Domain:x"])
def test_every_focus_error_names_the_same_kinds(focus):
    with pytest.raises(InvalidInput) as refused:
        Query.parse({"focus": [focus]})
    kinds = re.search(r"(?:one of|kinds:) ([a-z, ]+)", str(refused.value))
    assert kinds is not None and kinds.group(1).strip() == "domain, bus, service"


def test_filters_take_several_values_repeated_or_as_comma_lists():
    landscape = _landscape()
    repeated = Query.parse({"domain": ["d0", "d1"], "link": ["publishes,travels"]})
    listed = Query.parse({"domain": ["d0, d1"]})
    assert repeated.domain == listed.domain == frozenset({"d0", "d1"})
    assert repeated.links == frozenset({LinkKind.PUBLISHES, LinkKind.TRAVELS})
    assert {e.domain for e in chosen(landscape, listed)} == {"d0", "d1"}
    buses = Query.parse({"bus": ["d0-bus", "d2-bus"], "team": ["t0,t2"]})
    assert {e.bus for e in chosen(landscape, buses)} == {"d0-bus", "d2-bus"}
    with pytest.raises(InvalidInput, match="'nope' names no domain"):
        chosen(landscape, Query.parse({"domain": ["d0,nope"]}))
    with pytest.raises(InvalidInput, match="2 filter values name nothing") as refused:
        chosen(landscape, Query.parse({"domain": ["nope"], "bus": ["gone"]}))
    assert len(refused.value.errors) == 2


def test_the_summary_refuses_a_link_choice_it_cannot_honour():
    landscape = _landscape()
    narrowed = Query.parse({"view": ["summary"], "link": ["publishes"]})
    with pytest.raises(InvalidInput, match="the summary draws flows between domains only"):
        graph(landscape, chosen(landscape, narrowed), narrowed)
    # The form's default (every detail kind ticked) is no choice, so the summary draws.
    ticked = Query.parse({"view": ["summary"], "link": ["publishes", "travels", "delivers"]})
    drawn = graph(landscape, chosen(landscape, ticked), ticked)
    assert {link.kind for link in drawn.links} == {LinkKind.FLOWS}


def test_a_focus_on_a_domain_keeps_it_and_what_feeds_it_and_marks_its_node():
    landscape = _landscape()
    query = Query(focus=Focus.parse("domain:d0"))
    kept = chosen(landscape, query)
    assert {e.domain for e in kept} == {"d0", "d1"}  # d0's producers receive d1's events
    service = Query(focus=Focus(NodeKind.SERVICE, "svc-0-0"))
    nodes = graph(landscape, chosen(landscape, service), service).nodes
    assert {n.key for n in nodes if n.focused} == {"producer:svc-0-0", "consumer:svc-0-0"}


def test_auto_summarises_past_the_threshold_and_detail_is_refused_past_its_most():
    per_domain = AUTO_DETAIL_MOST // 4 + 1
    big = _landscape(4, per_domain)
    assert graph(big, list(big.events), Query()).view is View.SUMMARY
    small = _landscape(4, per_domain - 1)
    assert graph(small, list(small.events), Query()).view is View.DETAIL
    huge = _landscape(4, DETAIL_MOST // 4 + 1)
    with pytest.raises(InvalidInput, match="too large to draw"):
        graph(huge, list(huge.events), Query(view=View.DETAIL))


def test_the_summary_weighs_flows_between_domains_and_keeps_homeless_receivers_apart():
    landscape = _landscape(3, 4)
    summary = graph(landscape, list(landscape.events), Query(view=View.SUMMARY))
    weights = {(link.source, link.target): link.weight for link in summary.links}
    # d1's two even events go to svc-0-0, at home in d0; odd ones to the archiver (no home).
    assert weights[("from:d1", "to:d0")] == 2
    assert weights[("from:d1", f"to:{OUTSIDE}")] == 2
    notes = {n.key: n.note for n in summary.nodes}
    assert notes["from:d1"] == "4 event types"
    assert notes["to:d0"] == "receives 2 events"
    titles = {(link.source, link.target): link.title for link in summary.links}
    assert titles[("from:d1", "to:d0")] == "Domain 1 → Domain 0: 2 events received by 1 service"


def test_a_summary_line_counts_events_not_receptions_and_speaks_in_the_singular():
    # One event received by three services at home in one other domain: one event, not three.
    event = EventFact(
        "carts",
        "CartCheckedOut",
        "t0",
        receivers=(Receiver("a", "pay"), Receiver("b", "pay"), Receiver("c", "pay")),
    )
    landscape = Landscape((event,), {"carts": "Carts", "payments": "Payments"}, {}, frozenset())
    landscape = Landscape(
        (event, EventFact("payments", "Paid", "pay", producer="a")),
        landscape.domains,
        {},
        frozenset({"t0", "pay"}),
    )
    summary = graph(landscape, [event], Query(view=View.SUMMARY))
    (link,) = summary.links
    assert link.weight == 1
    assert link.title == "Carts → Payments: 1 event received by 3 services"
    notes = {n.key: n.note for n in summary.nodes}
    assert notes == {"from:carts": "1 event type", "to:payments": "receives 1 event"}


def test_link_kinds_not_asked_for_are_left_out():
    landscape = _landscape(2, 2)
    query = Query(links=frozenset({LinkKind.PUBLISHES}))
    found = graph(landscape, chosen(landscape, query), query)
    assert {link.kind for link in found.links} == {LinkKind.PUBLISHES}


def test_every_text_drawn_in_a_box_is_cut_to_it_with_the_whole_name_kept():
    long = "x" * 120
    event = EventFact(
        "d" + long,
        "E" + long,
        "t",
        bus="b" + long,
        bus_domain="d" + long,
        producer="p" + long,
        receivers=(Receiver("r" + long, "t"),),
    )
    landscape = Landscape((event,), {"d" + long: "Domain " + long}, {"b" + long: "d" + long})
    for view in (View.DETAIL, View.SUMMARY):
        drawing = layout(graph(landscape, [event], Query(view=view)))
        drawn = [(p.text, p.node.label, p.box.width) for p in drawing.nodes]
        drawn += [(p.note, p.node.note, p.box.width) for p in drawing.nodes if p.node.note]
        drawn += [(g.text, g.label, g.box.width) for g in drawing.groups]
        assert {kind for kind in (p.node.kind for p in drawing.nodes)} >= (
            {NodeKind.EVENT, NodeKind.BUS, NodeKind.SERVICE}
            if view is View.DETAIL
            else {NodeKind.DOMAIN}
        )
        for text, whole, width in drawn:
            assert len(text) * CHAR_WIDTH <= width, text
            if len(whole) * CHAR_WIDTH > width:
                assert text.endswith("…") and whole.startswith(text[:-1])
    assert any(g.text.endswith("…") for g in layout(graph(landscape, [event], Query())).groups)


def test_long_labels_are_cut_to_fit_with_an_ellipsis():
    assert cut("OrderPlaced") == "OrderPlaced"
    long = "CustomerMarketingConsentChangedAgainAndAgain"
    assert cut(long).endswith("…") and len(cut(long)) < len(long)
