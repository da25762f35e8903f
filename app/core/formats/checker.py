"""One jsonschema.FormatChecker per dialect, every format checked per its RFC, never online."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import regress

from app.core.formats.idn import is_hostname, is_idn_hostname
from app.core.formats.mailbox import is_email, is_idn_email
from app.core.formats.rust import rust_check

# The formats each draft's validation specification defines (draft-04 section 7.3, draft-06
# section 8.3, draft-07 section 7.3, 2019-09 and 2020-12 section 7.3). Any other format name is
# an annotation only. "regex" is absent before draft-07 although older meta-schemas use it.
_DRAFT_04 = frozenset({"date-time", "email", "hostname", "ipv4", "ipv6", "uri"})
_DRAFT_06 = _DRAFT_04 | {"uri-reference", "uri-template", "json-pointer"}
_DRAFT_07 = _DRAFT_06 | {
    "date",
    "time",
    "idn-email",
    "idn-hostname",
    "iri",
    "iri-reference",
    "relative-json-pointer",
    "regex",
}
_2019_09 = _DRAFT_07 | {"duration", "uuid"}
DIALECT_FORMATS: dict[str, frozenset[str]] = {
    "draft-04": _DRAFT_04,
    "draft-06": _DRAFT_06,
    "draft-07": _DRAFT_07,
    "2019-09": _2019_09,
    "2020-12": _2019_09,
}

# RFC 3987 section 4.1: IRIs MUST NOT contain LRM, RLM, LRE, RLE, PDF, LRO or RLO, although
# the ucschar production admits them; jsonschema-rs goes by the production alone.
_BIDI_FORMATTING = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e")


def format_checker(dialect: str) -> jsonschema.FormatChecker:
    """Return a FormatChecker asserting every format the dialect defines, and no other.

    Each format follows its RFC; strings only (other JSON types pass, as the specs say):

    - date-time, date, time: RFC 3339 section 5.6 (leap second 60 only at 23:59:60 UTC; "t"/"z"
      in either case; time needs its offset).
    - duration: RFC 3339 appendix A (ISO 8601 durations; weeks stand alone).
    - email: RFC 5321 section 4.1.2 Mailbox (dot-atom or quoted local part, domain or IPv4 /
      IPv6 address literal); idn-email: RFC 6531 section 3.3 (UTF-8 local part, U-labels).
    - hostname: RFC 1123 section 2.1 with RFC 5891 A-labels (labels of 1-63, names up to 253).
    - idn-hostname: RFC 5890, 5891 and 5892 (IDNA2008), RFC 5893 Bidi rule, via idna.
    - ipv4: RFC 2673 section 3.2 dotted-quad (no leading zeros); ipv6: RFC 4291 section 2.2.
    - uri, uri-reference: RFC 3986; iri, iri-reference: RFC 3987.
    - uri-template: RFC 6570 (any level).
    - uuid: RFC 4122 (now RFC 9562) hyphenated 8-4-4-4-12 hex form.
    - json-pointer: RFC 6901; relative-json-pointer: no RFC, the Internet-Drafts
      draft-handrews-relative-json-pointer-01 and draft-bhutton-relative-json-pointer-00.
    - regex: ECMA-262 RegExp pattern with the "u" flag, checked by jsonschema-rs and regress.

    Raises KeyError for a dialect outside "draft-04", "draft-06", "draft-07", "2019-09",
    "2020-12".
    """
    checker = jsonschema.FormatChecker(formats=())
    for name in sorted(DIALECT_FORMATS[dialect]):
        checker.checks(name)(_strings_only(check_for(name, dialect)))
    return checker


def is_ecma_regex(pattern: str) -> bool:
    """Return whether the pattern compiles as an ECMA-262 RegExp with the "u" flag."""
    # The JSON-Schema-Test-Suite rejects "\\a", which only Annex B's non-Unicode mode allows,
    # and 2019-09 onwards ask for the "u" flag. Both engines must accept: regress alone lets a
    # quantified assertion ("\\b+") through, jsonschema-rs alone lets unknown Unicode property
    # names ("\\p{Nope}") and identity escapes the "u" flag forbids ("\\-", "\\_") through.
    if not rust_check("regex")(pattern):
        return False
    try:
        regress.Regex(pattern, "u")
    except regress.RegressError:
        return False
    return True


def check_for(name: str, dialect: str) -> Callable[[str], bool]:
    """Return the predicate for one of the dialect's formats (strings only): jsonschema-rs's
    own check (``rust_check``, the very function) where it follows the RFC, else Eventry's."""
    own: dict[str, Callable[[str], bool]] = {
        "email": is_email,
        "hostname": lambda text: is_hostname(text, dialect),
        "idn-email": is_idn_email,
        "idn-hostname": is_idn_hostname,
        "regex": is_ecma_regex,
    }
    if name in own:
        return own[name]
    rust = rust_check(name, dialect)
    if name in ("iri", "iri-reference"):
        return lambda text: rust(text) and not _BIDI_FORMATTING.intersection(text)
    return rust


def _strings_only(check: Callable[[str], bool]) -> Callable[[Any], bool]:
    # Every format applies to strings alone: a number, object or null is valid whatever it is.
    return lambda instance: not isinstance(instance, str) or check(instance)
