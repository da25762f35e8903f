"""English for counts and names: plurals and indefinite articles."""

from __future__ import annotations

import pytest

from app.core.words import article, counted, plural, with_article


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "call-back", "1 call-back"),
        (2, "call-back", "2 call-backs"),
        (0, "level", "0 levels"),
        (1, "bus", "1 bus"),
        (3, "bus", "3 buses"),
        (2, "policy", "2 policies"),
        (2, "day", "2 days"),
        (2, "match", "2 matches"),
        (2_000, "event type", "2,000 event types"),
    ],
)
def test_counts_take_the_singular_only_for_one(count, noun, expected):
    assert counted(count, noun) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("OrderPlaced", "an"),
        ("InvoiceIssued", "an"),
        ("PaymentFailed", "a"),
        ("UserRegistered", "a"),
        ("UnderpaymentDetected", "an"),
        ("hour", "an"),
        ("EuropeanOrder", "a"),
        ("", "a"),
    ],
)
def test_the_article_follows_the_sound(word, expected):
    assert article(word) == expected


def test_with_article_and_plural_compose():
    assert with_article("OrderPlaced") == "an OrderPlaced"
    assert plural("field") == "fields" and plural("field", 1) == "field"
