"""Search matches highlighted in escaped text (app.ui.highlight)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from app.ui.highlight import highlight


@pytest.mark.parametrize(
    ("text", "needle", "shown"),
    [
        ("OrderPlaced", "order", "<mark>Order</mark>Placed"),
        ("/order/orderId", "ORDER", "/<mark>order</mark>/<mark>order</mark>Id"),
        ("aaa", "aa", "<mark>aa</mark>a"),  # matches do not overlap, the first one wins
        ("a.b+c", ".b+", "a<mark>.b+</mark>c"),  # the query is text, never a pattern
        ("<b>&amp;</b>", "b>&", "&lt;<mark>b&gt;&amp;</mark>amp;&lt;/b&gt;"),
        ("Tom &amp; Jerry", "&amp", "Tom <mark>&amp;amp</mark>; Jerry"),
        ("x<y", "", "x&lt;y"),
        ("nothing here", "zz", "nothing here"),
        ("", "a", ""),
    ],
)
def test_each_match_is_marked_in_the_escaped_text(text, needle, shown):
    marked = highlight(text, needle)
    assert isinstance(marked, Markup) and str(marked) == shown


def test_a_query_that_is_markup_never_becomes_markup():
    assert str(highlight("<mark>x</mark>", "<mark>")) == ("<mark>&lt;mark&gt;</mark>x&lt;/mark&gt;")
