"""parse_json reads most texts with orjson and the rest with the reference parser (Python's json
module with Eventry's checks, app/core/canonical.reference_parse): for any text, as str or as
bytes, with or without limits, both give the same value (same types: 1, 1.0 and true apart) or
the same error (same class, same message)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.canonical import parse_json, reference_parse
from app.core.limits import Limits, depth_of, within_depth
from tests.unit.properties.strategies import BOUNDED, JSON, TEXT

LIMITS = [None, Limits(), Limits(max_integer_digits=5, max_event_depth=3)]


def _answer(parse, text, limits, carries):
    try:
        return ("value", _typed(parse(text, limits, carries)))
    except Exception as error:  # the class and message are what is compared
        return ("error", type(error).__name__, str(error))


def _typed(value):
    """The value with each scalar tagged by its type, so 1, 1.0 and true compare apart."""
    if isinstance(value, dict):
        return ("object", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("array", [_typed(item) for item in value])
    if isinstance(value, float):
        return ("float", repr(value))  # -0.0 and 0.0 apart
    return (type(value).__name__, value)


def _agree(text, carries=""):
    for limits in LIMITS:
        for form in (text, text.encode("utf-8", "surrogatepass")):
            fast = _answer(parse_json, form, limits, carries)
            assert fast == _answer(reference_parse, form, limits, carries), (form, limits)


# Pieces that take a parser's edge cases: duplicate keys, long digit runs (64-bit edges),
# escapes (a colon, a surrogate), exponents, NaN, a BOM, control characters.
PIECES = st.sampled_from(
    [
        '"a":1,"a":2',
        '"a":1,"b":2',
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "123456789012345678",
        "1e400",
        "-1e-400",
        "1.7976931348623157e308",
        "0.30000000000000004",
        "-0",
        "-0.0",
        "1E2",
        "NaN",
        "Infinity",
        '"\\u003a"',
        '"\\ud800"',
        '"\\ud83d\\ude00"',
        '":"',
        '"x:y"',
        "\ufeff",
        "\u0000",
        "\ud800",
        '"\\"',
        "[]",
        "{}",
        ",",
        ":",
        " ",
    ]
)


@BOUNDED
@given(JSON, st.sampled_from([0, None, 2]))
def test_written_json_reads_alike(value, indent):
    _agree(json.dumps(value, indent=indent, ensure_ascii=indent == 2))


@BOUNDED
@given(st.lists(st.one_of(PIECES, TEXT), max_size=8), st.sampled_from("[{"))
def test_any_text_of_json_pieces_reads_alike(pieces, opening):
    inner = ",".join(pieces)
    _agree(opening + inner + ("]" if opening == "[" else "}"))
    _agree(inner)


@BOUNDED
@given(JSON, st.integers(0, 40), st.sampled_from(['"k":0,', "9" * 20, ":", "\\u003a", "{"]))
def test_texts_with_one_insertion_read_alike(value, at, insert):
    text = json.dumps({"k": value, "s": "12:30"})
    at = min(at, len(text))
    _agree(text[:at] + insert + text[at:])


@pytest.mark.parametrize(
    ("text", "carries"),
    [
        ('{"a": {"b": 1, "b": 2}}', ""),
        ('{"a": "\\u003a", "a": 1}', ""),
        ("[" * 70 + "]" * 70, "max_event_depth"),
        ("[" * 600 + "]" * 600, ""),
        ('{"n": ' + "1" * 1200 + "}", ""),
        ('{"when": "10:30", "when": "10:30"}', ""),
    ],
)
def test_the_edges_read_alike(text, carries):
    _agree(text, carries)


def _nested(value, levels: int, wrap: str):
    for _ in range(levels):
        value = [value] if wrap == "[" else {"k": value}
    return value


@BOUNDED
@given(JSON, st.integers(0, 12), st.sampled_from("[{"), st.integers(0, 14))
def test_within_depth_is_what_the_walk_counts(value, levels, wrap, most):
    # Strings full of brackets and integers orjson cannot write take the walk; both agree.
    for each in (value, _nested(value, levels, wrap), [value, "[[[[{{{{", 2**70]):
        assert within_depth(each, most) == (depth_of(each, most) <= most)


@pytest.mark.parametrize("levels", [3, 9, 10, 11, 30])
def test_within_depth_past_its_writing_budget_walks_as_depth_of(levels):
    # Each level holds almost the whole text (brackets in strings): the writings run out after
    # a few levels and the rest is walked.
    value = _nested(["[{" * 50] * 20, levels, "[")
    for most in (levels, levels + 1, levels + 2):
        assert within_depth(value, most) == (depth_of(value, most) <= most)
