"""canonical_json's orjson path writes exactly what the reference writer (``_write``) writes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.canonical import CanonicalJSONError, _fast_text, _write, canonical_json


def reference(value):
    return "".join(_write(value, "#"))


# Characters around the places where orjson and the reference could differ: escapes and
# control characters, non-ASCII, U+E000 and above (UTF-16 order), and astral characters.
_TEXT = st.text(
    st.sampled_from(
        ['"', "\\", "\n", "\x00", "\x1f", "\x7f", "a", "B", "é", "\u2028", "\ue000", "\uff01", "😀"]
    )
    | st.characters(exclude_categories=("Cs",)),
    max_size=6,
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_the_fast_path_agrees_with_the_reference(value):
    assert canonical_json(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "^\\d+$"}}},
        {"enum": [1, True, None, "x", 2**63 - 1]},
        ["é", "\u2028", "\x00"],
    ],
)
def test_plain_values_take_the_fast_path(value):
    assert _fast_text(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1.0},  # canonical: 1
        {"\uff01": 1, "\U0001f600": 2},  # code point order differs from UTF-16's
        {"a": 2**64},  # beyond orjson's 64 bits
        {"a": "\ud800"},  # a lone surrogate
        {1: "a"},  # not a string key: the reference refuses it
    ],
)
def test_values_orjson_would_write_otherwise_are_left_to_the_reference(value):
    assert _fast_text(value) is None


def test_a_non_string_key_is_still_refused():
    with pytest.raises(CanonicalJSONError):
        canonical_json({1: "a"})
