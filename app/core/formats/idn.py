"""idn-hostname per RFC 5890, 5891 and 5892 (IDNA2008) and RFC 5893 (the Bidi rule), via idna."""

from __future__ import annotations

import re
import unicodedata

import idna

# RFC 3490 section 3.1 lets these four full stops separate labels; RFC 5890 keeps that reading.
LABEL_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")
# RFC 1034 section 3.1: 255 octets on the wire, so 253 characters as dotted text.
MAX_NAME_OCTETS = 253
RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})


def is_idn_hostname(text: str) -> bool:
    """Return whether the text is a host name of A-labels, U-labels and NR-LDH labels."""
    labels = LABEL_SEPARATORS.split(text)
    # An empty label is an empty name, a leading, trailing or doubled dot: none is a host name.
    if not all(labels):
        return False
    try:
        # alabel checks a U-label (RFC 5892 code points, CONTEXTJ/CONTEXTO, hyphens, NFC) and
        # an xn-- label's Punycode; ulabel then yields the Unicode text the Bidi rule reads.
        a_labels = [idna.alabel(label) for label in labels]
        u_labels = [idna.ulabel(label) for label in a_labels]
    except (idna.IDNAError, UnicodeError):
        return False
    if len(b".".join(a_labels)) > MAX_NAME_OCTETS:
        return False
    return satisfies_bidi_rule(u_labels)


def satisfies_bidi_rule(u_labels: list[str]) -> bool:
    """Return whether a name's labels satisfy RFC 5893's Bidi rule."""
    # idna checks one label at a time; RFC 5893 section 2 applies the rule to every label of a
    # name as soon as one label holds a right-to-left character (so "0a.<Hebrew>" is invalid).
    if not any(_is_right_to_left(label) for label in u_labels):
        return True
    try:
        return all(idna.check_bidi(label, check_ltr=True) for label in u_labels)
    except idna.IDNAError:
        return False


def _is_right_to_left(label: str) -> bool:
    return any(unicodedata.bidirectional(char) in RIGHT_TO_LEFT for char in label)
