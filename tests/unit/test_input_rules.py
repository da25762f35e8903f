"""Input rules that cannot be slipped: names match whole, and names, identifiers and
descriptions hold no control characters (app/core/vocabulary.py)."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidInput
from app.core.vocabulary import (
    check_fields,
    control_character,
    is_event_name,
    is_sample_name,
    is_slug,
    number_between,
    parse_event_ref,
)


@pytest.mark.parametrize("check", [is_slug, is_event_name, is_sample_name])
@pytest.mark.parametrize("tail", ["\n", "\r\n", "\x00", " ", "\t"])
def test_a_name_with_anything_after_it_is_no_name(check, tail):
    # re.match with "$" accepted "nl\n" as the slug "nl": names are matched whole now.
    name = {is_slug: "nl", is_event_name: "OrderPlaced", is_sample_name: "simple"}[check]
    assert check(name)
    assert not check(name + tail)
    assert not check(tail + name)


@pytest.mark.parametrize("value", [None, 7, b"nl", ["nl"]])
def test_a_name_that_is_not_text_is_no_name(value):
    assert not is_slug(value)
    assert not is_event_name(value)


def test_an_event_reference_is_matched_whole():
    assert parse_event_ref("orders.OrderPlaced") == ("orders", "OrderPlaced")
    with pytest.raises(ValueError):
        parse_event_ref("orders.OrderPlaced\n")


@pytest.mark.parametrize("character", [chr(code) for code in range(0x20)] + ["\x7f"])
def test_no_control_character_in_a_name(character):
    assert control_character(f"ab{character}c") == 2
    with pytest.raises(InvalidInput) as refused:
        check_fields({"name": f"ab{character}c"})
    assert refused.value.errors[0]["pointer"] == "/name"
    assert f"U+{ord(character):04X}" in refused.value.detail


@pytest.mark.parametrize("character", ["\t", "\n", "\r"])
def test_descriptions_and_notes_keep_tabs_and_line_breaks(character):
    check_fields({"description": f"one{character}two", "note": f"a{character}b"})
    with pytest.raises(InvalidInput):
        check_fields({"producer": f"one{character}two"})


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_descriptions_hold_no_other_control_character(character):
    with pytest.raises(InvalidInput) as refused:
        check_fields({"description": f"text{character}"})
    assert refused.value.errors[0]["pointer"] == "/description"


def test_values_that_are_not_text_are_left_to_their_own_checks():
    check_fields({"deprecated": True, "pattern": {"source": ["\x00"]}, "fields": ["/a"]})
    assert control_character("héllo wörld ✓ 🙂") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        ("100", 100),
        ("101", None),
        ("007", None),
        ("-1", None),
        ("+1", None),
        ("²", None),
        ("٣", None),
        ("", None),
        (" 1", None),
        ("1" * 40, None),
    ],
)
def test_number_between_takes_plain_digits_in_range(text, expected):
    assert number_between(text, 0, 100) == expected
