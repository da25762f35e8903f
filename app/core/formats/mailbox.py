"""email per RFC 5321 section 4.1.2 (Mailbox) and idn-email per RFC 6531 section 3.3.

Own code: jsonschema-rs refuses a quoted pair of backslash and space ("a\\ b"@example.com, valid
per quoted-pairSMTP) and maps the domain of an idn-email through UTS 46, so "\\uff21.com"
(a fullwidth A) passes although RFC 5892 disallows those code points.
"""

from __future__ import annotations

import re
import unicodedata

from app.core.formats.idn import is_hostname, is_idn_hostname
from app.core.formats.rust import rust_check

# RFC 5321 section 4.5.3.1: a local part holds at most 64 octets, and a path at most 256
# including its angle brackets, which leaves 254 for the mailbox.
MAX_LOCAL_OCTETS = 64
MAX_MAILBOX_OCTETS = 254
_ATEXT = r"A-Za-z0-9!#$%&'*+\-/=?^_`{|}~"
_QTEXT = r"\x20\x21\x23-\x5b\x5d-\x7e"
# RFC 6531 section 3.3 adds UTF8-non-ascii to atext and qtextSMTP (not to quoted-pairSMTP).
_NON_ASCII = r"\x80-\U0010ffff"
_IDN_DOTS = frozenset("\u3002\uff0e\uff61")


def _local_part(extra: str) -> re.Pattern[str]:
    atom = f"[{_ATEXT}{extra}]+"
    quoted = f'"(?:[{_QTEXT}{extra}]|\\\\[\\x20-\\x7e])*"'
    return re.compile(f"{atom}(?:\\.{atom})*|{quoted}")


_ASCII_LOCAL_PART = _local_part("")
_IDN_LOCAL_PART = _local_part(_NON_ASCII)


def is_email(text: str) -> bool:
    """Return whether the text is an RFC 5321 mailbox: local part, "@", domain or IP literal."""
    return _is_mailbox(text, _ASCII_LOCAL_PART) and _domain_ok(text, is_hostname)


def is_idn_email(text: str) -> bool:
    """Return whether the text is an RFC 6531 mailbox: email with UTF-8 and U-labels allowed."""
    return _is_mailbox(text, _IDN_LOCAL_PART) and _domain_ok(text, _is_idn_domain)


def _is_mailbox(text: str, local_part: re.Pattern[str]) -> bool:
    # The domain holds no "@" (nor does an IPv4 or IPv6 literal), a quoted local part may.
    local, at, _domain = text.rpartition("@")
    if not at or not local_part.fullmatch(local):
        return False
    try:
        octets = len(text.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate is no character of any mailbox
        return False
    return len(local.encode("utf-8")) <= MAX_LOCAL_OCTETS and octets <= MAX_MAILBOX_OCTETS


def _domain_ok(text: str, is_domain) -> bool:
    domain = text.rpartition("@")[2]
    if domain.startswith("[") and domain.endswith("]"):
        return _is_address_literal(domain[1:-1])
    return is_domain(domain)


def _is_address_literal(inner: str) -> bool:
    tag, colon, address = inner.partition(":")
    if colon:
        # "IPv6" is the only Standardized-tag IANA registered (RFC 5321 section 4.1.3); ABNF
        # strings are case-insensitive, so "ipv6:" is the same tag.
        return tag.lower() == "ipv6" and rust_check("ipv6")(address)
    return rust_check("ipv4")(inner)


def _is_idn_domain(domain: str) -> bool:
    # RFC 6531's sub-domains are separated by "." alone; the other full stops are for host names.
    if _IDN_DOTS.intersection(domain):
        return False
    # A mail domain is looked up, and RFC 5891 section 5.2 lookups bring the name to NFC first.
    return is_idn_hostname(unicodedata.normalize("NFC", domain))
