"""Canonical JSON (app/core/canonical.py) for any JSON value: one text whatever the key order,
a fixed point of itself, the same value after a round trip through any JSON parser, and a
fingerprint that is equal exactly when the canonical texts are."""

from __future__ import annotations

import json
import random

from hypothesis import given
from hypothesis import strategies as st

from app.core.canonical import canonical_json, fingerprint, parse_json
from tests.unit.properties.strategies import BOUNDED, JSON


def _reordered(value, seed: int):
    """The same value with every object's keys in another order."""
    if isinstance(value, dict):
        keys = list(value)
        random.Random(seed).shuffle(keys)
        return {key: _reordered(value[key], seed + 1) for key in keys}
    if isinstance(value, list):
        return [_reordered(item, seed + 1) for item in value]
    return value


def _same_json(a, b) -> bool:
    """Equal as JSON data: numbers by value (1 and 1.0 alike), but true is no number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same_json, a, b))
    return type(a) is type(b) and a == b


@BOUNDED
@given(JSON)
def test_canonical_text_is_a_fixed_point(value):
    text = canonical_json(value)
    assert canonical_json(json.loads(text)) == text
    assert canonical_json(parse_json(text)) == text


@BOUNDED
@given(JSON, st.integers(0, 2**16))
def test_key_order_changes_nothing(value, seed):
    assert canonical_json(_reordered(value, seed)) == canonical_json(value)
    assert fingerprint(_reordered(value, seed)) == fingerprint(value)


@BOUNDED
@given(JSON)
def test_a_round_trip_through_json_keeps_the_value(value):
    text = canonical_json(value)
    assert _same_json(json.loads(text), value)
    assert _same_json(parse_json(text.encode("utf-8")), value)
    # Pretty-printed by another writer, it still reads back to the same canonical text.
    assert canonical_json(json.loads(json.dumps(value, indent=2))) == text


@BOUNDED
@given(JSON, JSON)
def test_fingerprints_are_equal_exactly_when_canonical_texts_are(a, b):
    assert (fingerprint(a) == fingerprint(b)) == (canonical_json(a) == canonical_json(b))


@BOUNDED
@given(JSON, JSON)
def test_canonical_texts_are_equal_exactly_when_the_values_are(a, b):
    # Integers past 2**53 stay exact and so differ from the float nearest them; the strategy's
    # floats and integers meet only where both are exact, as JSON numbers from a user do.
    if any(_big_integer(v) for v in (a, b)):
        return
    assert (canonical_json(a) == canonical_json(b)) == _same_json(a, b)


def _big_integer(value) -> bool:
    if isinstance(value, dict):
        return any(_big_integer(v) for v in value.values())
    if isinstance(value, list):
        return any(_big_integer(v) for v in value)
    if isinstance(value, float):
        return value.is_integer() and abs(value) >= 2**53
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53
