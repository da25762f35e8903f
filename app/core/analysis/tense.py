"""Event names: PascalCase words and past-tense (participle) checks."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[0-9]+")
PASCAL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


IRREGULAR_PARTICIPLES = _word_set(
    """
    Sent Paid Built Shipped Written Sold Bought Held Made Taken Given Found Lost Kept Left Set
    Put Cut Read Run Won Begun Done Drawn Chosen Frozen Withdrawn Rebuilt Overridden Undone
    Spent Lent Bound Brought Caught Dealt Fed Felt Fought Forgotten Forgiven Got Gotten Grown
    Heard Hidden Hit Hurt Known Laid Led Meant Met Quit Rung Risen Said Seen Sought Shaken
    Shown Shut Slid Spoken Split Spread Stolen Stood Struck Sworn Swept Taught Thrown Told
    Thought Understood Upheld Woken Worn Wound Withheld Reset Rewritten Resent Resold Reread
    Rerun Redone Remade Retaken Broken Become Come Gone Been Born Borne Eaten Fallen Flown
    Driven Ridden Sung Sunk Bitten Blown Dug Drunk Forbidden Hung Lit Overtaken Overseen
    Undertaken Sped Spun Stuck Stung Swum Torn Trodden Wed Wept Wrung Unfrozen Unset Unbound
    Offset Upset Misread Mislaid Outgrown Overdrawn Overpaid Prepaid Repaid Underpaid Outbid
    Bid Cast Broadcast Forecast Recast Shed Sat Slept Beaten Bent Bet Bled Bred Burnt Dreamt
    Fled Flung Forgone Ground Knelt Leapt Learnt Mown Proven Rid Sewn Shone Shot Shrunk Sown
    Spelt Spilt Sprung Strewn Striven Strung Swollen Swung Thrust Woven Wrought Rewound
    Reheard Rebound Remet Resewn Retold Rethought Rewoven Unwound Upheld Withstood Mistaken
    Misunderstood Oversold Undersold Overthrown Outrun Overrun Overheard Overcome Overdone
    """
)
# Words ending in -ed that are not participles.
_NOT_PARTICIPLES = _word_set(
    "Feed Need Seed Speed Bed Red Breed Creed Greed Weed Deed Steed Shred Embed Hundred Sled"
)
_PARTICLES = _word_set("In Out Up Down Off On Over Back Away Through")
# Verbs that, first in a name, read as a command ("PlaceOrder").
_IMPERATIVE_STARTS = _word_set(
    """
    Place Create Update Delete Remove Add Send Pay Ship Cancel Approve Reject Submit Register
    Change Set Start Stop Book Reserve Confirm Assign Publish Close Open Make Do Get Put Issue
    Refund Charge Process Request Complete Activate Deactivate Enable Disable Archive Import
    """
)


def words(name: str) -> list[str]:
    """Split a PascalCase name into words; acronyms stay together (`SMSSent` -> SMS, Sent)."""
    return _WORD.findall(name)


def is_pascal_case(name: str) -> bool:
    """True for names like `OrderPlaced`: a capital first, letters and digits only."""
    return bool(PASCAL_CASE.match(name)) and any(c.islower() for c in name)


def is_participle(word: str) -> bool:
    """True for past participles: regular -ed forms and the irregular list."""
    if word in IRREGULAR_PARTICIPLES:
        return True
    return word.endswith("ed") and len(word) > 3 and word not in _NOT_PARTICIPLES


def past_tense_word(name: str) -> str | None:
    """The word that carries the tense: the last one, or the one before a particle (LoggedIn)."""
    parts = words(name)
    if not parts:
        return None
    if len(parts) > 1 and parts[-1] in _PARTICLES:
        return parts[-2]
    return parts[-1]


def is_past_tense(name: str) -> bool:
    """True for `OrderPlaced` or `UserLoggedIn`; false for `PlaceOrder` or `OrderPlace`."""
    word = past_tense_word(name)
    return word is not None and is_participle(word)


def looks_like_command(name: str) -> bool:
    """True when the name starts with an imperative verb, like `PlaceOrder`."""
    parts = words(name)
    return len(parts) > 1 and parts[0] in _IMPERATIVE_STARTS
