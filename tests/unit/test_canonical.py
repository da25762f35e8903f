"""Canonical JSON and fingerprints: equal content, equal text; different content, different text."""

import pytest

from app.core.canonical import CanonicalJSONError, canonical_json, fingerprint, parse_json


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ('{"b": 1, "a": 2}', '{"a":2,"b":1}'),
        ('{\n  "a" : [1, 2]\n}', '{"a":[1,2]}'),
        ('{"a": 1.0}', '{"a": 1}'),
        ('{"a": 1e2}', '{"a": 100}'),
        ('{"a": 1.50}', '{"a": 1.5}'),
        ('{"a": -0.0}', '{"a": 0}'),
        ('{"name": "caf\\u00e9"}', '{"name": "café"}'),
        ('{"s": "\\/"}', '{"s": "/"}'),
        ('{"a": {"y": true, "x": null}}', '{"a": {"x": null, "y": true}}'),
    ],
)
def test_same_content_spelled_differently_has_one_fingerprint(left, right):
    assert canonical_json(parse_json(left)) == canonical_json(parse_json(right))
    assert fingerprint(parse_json(left)) == fingerprint(parse_json(right))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ('{"a": 1}', '{"a": "1"}'),
        ('{"a": [1, 2]}', '{"a": [2, 1]}'),
        ('{"a": 0.1}', '{"a": 0.10000000000000002}'),
        ('{"a": 9007199254740993}', '{"a": 9007199254740992}'),
        ('{"e": "\\u00e9"}', '{"e": "e\\u0301"}'),
        ('{"a": null}', "{}"),
    ],
)
def test_different_content_has_different_fingerprints(left, right):
    assert fingerprint(parse_json(left)) != fingerprint(parse_json(right))


def test_canonical_text_is_compact_sorted_and_utf8():
    text = canonical_json({"b": [1.0, 2.5e-7, 1e21], "a": "é", "A": None})
    assert text == '{"A":null,"a":"é","b":[1,2.5e-7,1e+21]}'


def test_keys_sort_by_utf16_code_units_like_rfc8785():
    # U+10000 is a surrogate pair in UTF-16 and so sorts before U+FB33 there.
    assert canonical_json({"\ufb33": 1, "\U00010000": 2}) == '{"\U00010000":2,"\ufb33":1}'


def test_fingerprint_is_sha256_hex_of_canonical_text():
    import hashlib

    assert fingerprint({"a": 1}) == hashlib.sha256(b'{"a":1}').hexdigest()


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), {"a": float("-inf")}, {1: "x"}, {"a"}]
)
def test_values_that_are_not_json_are_refused(value):
    with pytest.raises(CanonicalJSONError):
        canonical_json(value)


@pytest.mark.parametrize("text", ['{"a": 1, "a": 2}', '{"a": NaN}', "[Infinity]"])
def test_strict_parsing_refuses_duplicate_keys_and_non_numbers(text):
    with pytest.raises(CanonicalJSONError):
        parse_json(text)
