"""English for counts and names in messages: plurals and indefinite articles, so no text says
"1 call-back(s)", "nested 0 level(s)" or "a OrderPlaced"."""

from __future__ import annotations

import re

# Nouns whose plural adds "es" (bus, box, match, wish, quiz) and those ending in a consonant
# and "y" (policy → policies), the two regular English patterns beyond adding "s".
_SIBILANT = re.compile(r"(s|x|z|ch|sh)$")
_CONSONANT_Y = re.compile(r"[^aeiou]y$")
# Words written with a vowel letter but said with a consonant sound take "a" (a unique id,
# a user, a one-off), and a silent "h" takes "an" (an hour).
_CONSONANT_SOUND = re.compile(r"^(uni|use|usu|uti|eu|one\b|once)", re.IGNORECASE)
_SILENT_H = re.compile(r"^(hour|honest|honou?r|heir)", re.IGNORECASE)


def plural(noun: str, count: int = 2) -> str:
    """The noun in the singular for a count of 1 and the plural otherwise: plural("bus") is
    "buses", plural("policy") "policies", plural("call-back", 1) "call-back". Only the last
    word of a compound changes ("event type" → "event types")."""
    if count == 1 or not noun:
        return noun
    if _SIBILANT.search(noun):
        return noun + "es"
    if _CONSONANT_Y.search(noun):
        return noun[:-1] + "ies"
    return noun + "s"


def counted(count: int, noun: str) -> str:
    """A count (with thousands separators) and its noun: "1 version", "2,000 buses",
    "0 levels"."""
    return f"{count:,} {plural(noun, count)}"


def verb(count: int, singular: str, plural: str) -> str:
    """The verb that agrees with a count: verb(1, "calls", "call") is "calls"."""
    return singular if count == 1 else plural


def article(word: str) -> str:
    """The indefinite article before a word, as said aloud: "an" before a vowel sound
    ("an OrderPlaced", "an hour"), "a" otherwise ("a PaymentFailed", "a user")."""
    if _SILENT_H.match(word):
        return "an"
    if word[:1] and word[0].lower() in "aeiou" and not _CONSONANT_SOUND.match(word):
        return "an"
    return "a"


def with_article(word: str) -> str:
    """The word after its indefinite article: "an OrderPlaced", "a ShipmentSent"."""
    return f"{article(word)} {word}"
