"""Shared Hypothesis settings and strategies for the property tests.

Derandomised and without an example database, so CI runs the same examples every time;
EVENTRY_PROPERTY_EXAMPLES raises the count (`make fuzz` does).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("EVENTRY_PROPERTY_EXAMPLES", "200"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Text as JSON carries it from a user: any code point but a lone surrogate (parse_json refuses
# those), with the characters JSON pointers and JSON strings escape made likely.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from('~/01\\"\u0000\n é𝄞'),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=12,
)
# Numbers as parse_json gives them: integers (exact at any size) and finite floats.
NUMBERS = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False))
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(TEXT, children, max_size=5)
    ),
    max_leaves=25,
)
