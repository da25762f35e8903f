"""idn-hostname per RFC 5890, 5891 and 5892 (IDNA2008) and RFC 5893 (the Bidi rule), via idna."""

from __future__ import annotations

import re
import unicodedata

import idna

from app.core.formats.rust import rust_check

# RFC 3490 section 3.1 lets these four full stops separate labels; RFC 5890 keeps that reading.
LABEL_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")
# RFC 1034 section 3.1: 255 octets on the wire, so 253 characters as dotted text.
MAX_NAME_OCTETS = 253
RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})


def is_hostname(text: str, dialect: str = "2020-12") -> bool:
    """Return whether the text is an ASCII host name (RFC 1123, and RFC 5891 A-labels where
    the dialect reads them). Host names are case-insensitive (RFC 4343), the "xn--" of an
    A-label too (RFC 5890 section 2.3.2.1), but jsonschema-rs refuses "XN--3E0B707E" (.한국
    in capitals) and takes an A-label without decoding it, so the name is checked in lower
    case and each A-label's U-label by IDNA2008 (RFC 5891 section 4.2.3.1)."""
    if not text.isascii():
        return False
    lower = text.lower()
    a_labels = [label for label in lower.split(".") if label.startswith("xn--")]
    return rust_check("hostname", dialect)(lower) and all(map(is_idn_hostname, a_labels))


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
