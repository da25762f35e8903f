"""How Confluent Schema Registry reads the words of its REST API: compatibility levels, modes
and version ids. Pure rules; the /ccompat adapter and its services read these words here only.

Sources (github.com/confluentinc/schema-registry):

- ``CompatibilityLevel.forName``: the name upper-cased, then one of the seven levels; so
  ``full``, ``Full`` and ``FULL`` are FULL, and anything else is no level (42203).
- ``ModeResource.updateMode`` and ``KafkaSchemaRegistry.setMode``:
  ``Mode.valueOf(mode.toUpperCase(Locale.ROOT))``; so ``readonly`` is READONLY. Confluent also
  has READONLY_OVERRIDE and FORWARD; Eventry serves READWRITE, READONLY and IMPORT (42204 for
  the others).
- ``rest.VersionId``: the text trimmed (Java's ``String.trim``: every character up to U+0020),
  ``latest`` in any case is the newest version, else ``Integer.parseInt``: an optional sign
  and decimal digits within 32 bits, from 1, or -1 (latest). So ``LATEST``, `` 2``, ``+2`` and
  ``002`` are read; ``0``, ``-2``, ``2.0`` and ``2147483648`` are not (42202). Leading zeros
  count for nothing, however many; a run of significant digits longer than 2^31-1's is refused
  before it is read as a number (Python's ``int`` refuses more than 4,300 digits with an error).
"""

from __future__ import annotations

import re
import unicodedata

from app.core.errors import InvalidVersion
from app.core.vocabulary import MAX_NUMBER, CompatibilityLevel, Mode

# Java's String.trim() strips every code point up to U+0020; Integer.parseInt takes an optional
# sign and decimal digits (Character.digit: any Unicode decimal digit, as Python's \d and int).
_JAVA_BLANKS = "".join(chr(code) for code in range(0x21))
_JAVA_INT = re.compile(r"[+-]?\d+")
SERVED_MODES = ", ".join(Mode)


def level_named(text: object) -> CompatibilityLevel | None:
    """The compatibility level ``text`` names, in any case; None for anything else."""
    if not isinstance(text, str):
        return None
    return CompatibilityLevel.__members__.get(text.upper())


def mode_named(text: object) -> Mode | None:
    """The mode ``text`` names, in any case; None for anything else (also Confluent's
    READONLY_OVERRIDE and FORWARD, which Eventry does not serve)."""
    if not isinstance(text, str):
        return None
    return Mode.__members__.get(text.upper())


def version_id(text: str) -> int | None:
    """The version a URL names: a whole number from 1, or None for the newest ("latest" in any
    case, or -1). Raises InvalidVersion (42202) for anything else."""
    trimmed = text.strip(_JAVA_BLANKS)
    if trimmed.lower() == "latest":
        return None
    number = _parse_int(trimmed)
    if number == -1:
        return None
    if number is None or number < 1 or number > MAX_NUMBER:
        raise InvalidVersion(
            f"The specified version '{text}' is not a valid version id. Allowed values are "
            'between [1, 2^31-1] and the string "latest"'
        )
    return number


def _parse_int(text: str) -> int | None:
    # Integer.parseInt within Eventry's numbers: None for no number, or for more significant
    # digits than MAX_NUMBER has (counted before int() reads them, as vocabulary.whole_number).
    if _JAVA_INT.fullmatch(text) is None:
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    start = 0
    while start < len(digits) - 1 and unicodedata.decimal(digits[start]) == 0:
        start += 1
    significant = digits[start:]
    if len(significant) > len(str(MAX_NUMBER)):
        return None
    return sign * int(significant)
