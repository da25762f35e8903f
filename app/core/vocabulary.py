"""Fixed vocabularies: router kinds, compatibility levels, policies, event shapes, name patterns.

The vocabularies are StrEnums: each member is also its plain string, so comparisons with
strings, dictionary look-ups, JSON output and database values all see "BACKWARD", "strict"...
The tuple constants list the members in their documented order, for code that iterates them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from app.core.errors import InvalidInput


class RouterKind(StrEnum):
    """What carries a bus's events."""

    EVENTBRIDGE = "eventbridge"
    SNS = "sns"
    SQS = "sqs"
    KINESIS = "kinesis"
    KAFKA = "kafka"
    MQ = "mq"
    OTHER = "other"


class CompatibilityLevel(StrEnum):
    """Confluent's compatibility levels, with Confluent's meanings."""

    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"


class Policy(StrEnum):
    """How strictly differences are judged: Confluent's types only, or the lenient extras too."""

    STRICT = "strict"
    LENIENT = "lenient"


class Mode(StrEnum):
    """What writes a registry or an event type takes, as Confluent's modes: READWRITE (all),
    READONLY (none), IMPORT (registrations with explicit ids and versions, unchecked)."""

    READWRITE = "READWRITE"
    READONLY = "READONLY"
    IMPORT = "IMPORT"


class EventShape(StrEnum):
    """What an event carries: a notification, what changed, or the entity's whole state."""

    THIN = "thin"
    DELTA = "delta"
    FULL = "full"


class ShapeSignal(StrEnum):
    """The evidence the shape classifier reports (docs/event-design.md, "Signals")."""

    IDENTIFIER_SHARE = "identifier-share"
    CALLBACK_LINKS = "callback-links"
    STATUS_ONLY = "status-only"
    DELTA_MARKERS = "delta-markers"
    OLD_NEW_IDENTIFIERS = "old-new-identifiers"
    RENAME = "rename"
    PATCH_REQUEST = "patch-request"
    FULL_IMAGES = "full-images"
    ACTOR_REFERENCES = "actor-references"
    BUSINESS_ATTRIBUTES = "business-attributes"
    SCHEMA_COVERAGE = "schema-coverage"
    NULL_PADDING = "null-padding"
    VARYING_FIELDS = "varying-fields"
    SAMPLE_AGREEMENT = "sample-agreement"


ROUTER_KINDS: tuple[RouterKind, ...] = tuple(RouterKind)
# Kinesis, Kafka and MQ keep order per key; EventBridge, SNS and SQS (standard) keep none.
ORDERED_ROUTERS = frozenset({RouterKind.KINESIS, RouterKind.KAFKA, RouterKind.MQ})
UNORDERED_ROUTERS = frozenset({RouterKind.EVENTBRIDGE, RouterKind.SNS, RouterKind.SQS})
COMPATIBILITY_LEVELS: tuple[CompatibilityLevel, ...] = tuple(CompatibilityLevel)
POLICIES: tuple[Policy, ...] = tuple(Policy)
MODES: tuple[Mode, ...] = tuple(Mode)
SHAPES: tuple[EventShape, ...] = tuple(EventShape)
DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD
DEFAULT_POLICY = Policy.STRICT

SLUG_PATTERN = r"^[a-z][a-z0-9-]{0,62}$"
# Ids and version numbers are 32-bit integer columns on PostgreSQL (SQLite holds 64 bits): a
# number past this names nothing stored, and past 2**63 SQLite cannot even compare it.
MAX_NUMBER = 2**31 - 1
# A version in a URL: a number or "latest" (nine digits: every number below 10**9 fits).
VERSION_PATTERN = r"^(latest|[1-9][0-9]{0,8})$"
_WHOLE_NUMBER = re.compile(r"[1-9][0-9]*")
# Sample names become file names in a schemas-as-code tree: no slashes, no leading dot.
SAMPLE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
INVALID_SAMPLE_PREFIX = "invalid-"
EVENT_NAME_PATTERN = r"^[A-Z][A-Za-z0-9]{0,127}$"
_SLUG = re.compile(SLUG_PATTERN)
_EVENT_NAME = re.compile(EVENT_NAME_PATTERN)
_SAMPLE_NAME = re.compile(SAMPLE_NAME_PATTERN)


# Names are matched whole (fullmatch): with re.match, "$" also matches before a final line
# feed, and "nl\n" would pass as the slug "nl".
def is_slug(text: Any) -> bool:
    """Return whether text is a valid team, domain or bus slug."""
    return isinstance(text, str) and _SLUG.fullmatch(text) is not None


def is_event_name(text: Any) -> bool:
    """Return whether text is a valid PascalCase event name."""
    return isinstance(text, str) and _EVENT_NAME.fullmatch(text) is not None


def is_digits(text: str) -> bool:
    """Whether text is one or more ASCII digits. str.isdigit() alone also takes "²" (which
    int() refuses: a 500) and "٣" (which int() reads as 3), so every number a request, a header
    or a file writes is checked with this before int()."""
    return text.isascii() and text.isdigit()


def whole_number(text: str) -> int | None:
    """The number a URL segment writes in ASCII digits, from 1 to MAX_NUMBER; None for anything
    else (a sign, a leading zero, other scripts' digits such as "²" or "٣", or a number past
    what any id or version column holds)."""
    if len(text) > len(str(MAX_NUMBER)) or not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_NUMBER else None


def number_between(text: str, lowest: int, highest: int) -> int | None:
    """The number text writes in ASCII digits (no sign, no leading zero but "0" itself) when it
    lies from lowest to highest; None for anything else. For query parameters such as a seed."""
    if text == "0":
        return 0 if lowest <= 0 <= highest else None
    if len(text) > len(str(highest)) or not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None


def is_sample_name(text: Any) -> bool:
    """Return whether text is a valid sample name (it doubles as a file name)."""
    return isinstance(text, str) and _SAMPLE_NAME.fullmatch(text) is not None


# C0 control characters (U+0000 to U+001F) and DEL: no name or identifier holds one, they
# make look-alikes ("nl" and "nl\n") and PostgreSQL cannot store NUL in text at all. Free text
# (descriptions, notes) keeps tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_free_pattern(multiline: bool = False) -> str:
    """The same rule as control_character, as a JSON Schema ``pattern`` (ECMA-262) that a
    string without a refused control character matches, for the OpenAPI document."""
    refused = _CONTROL_IN_TEXT if multiline else _CONTROL
    return f"^{refused.pattern.replace('[', '[^', 1)}*$"


def control_character(text: str, multiline: bool = False) -> int | None:
    """The index of the first control character that text may not hold, None without one
    (``multiline``: tab, line feed and carriage return are allowed)."""
    found = (_CONTROL_IN_TEXT if multiline else _CONTROL).search(text)
    return found.start() if found else None


def check_text(field: str, value: Any, multiline: bool = False) -> None:
    """Raise InvalidInput (422) naming the field when a name, identifier or (``multiline``)
    description holds a control character; other values pass (their type is checked
    elsewhere)."""
    if not isinstance(value, str):
        return
    at = control_character(value, multiline)
    if at is not None:
        message = (
            f"{field} holds the control character U+{ord(value[at]):04X} at position {at}: "
            + (
                "descriptions and notes may hold tabs and line breaks, no other control characters"
                if multiline
                else "names and identifiers hold no control characters"
            )
        )
        raise InvalidInput(message, [{"pointer": f"/{field}", "message": message}])


# Free-text fields: a description or a note may run over several lines, and so does a document's
# text sent in a body (an AsyncAPI diff's "old" and "new").
MULTILINE_FIELDS = frozenset({"description", "note", "old", "new"})


def check_fields(values: Mapping[str, Any]) -> None:
    """check_text for each field of a catalogue item by name (``description`` and ``note`` as
    free text, every other string as a name or identifier)."""
    for field, value in values.items():
        check_text(field, value, multiline=field in MULTILINE_FIELDS)


def sample_expects_valid(name: str) -> bool:
    """A sample is expected to validate unless its name starts with 'invalid-'."""
    return not name.startswith(INVALID_SAMPLE_PREFIX)


def parse_event_ref(text: str) -> tuple[str, str]:
    """Split 'domain.EventName' (or 'domain/EventName') into its parts, or raise ValueError."""
    for separator in (".", "/"):
        domain, found, name = text.partition(separator)
        if found and is_slug(domain) and is_event_name(name):
            return domain, name
    raise ValueError(f"{text!r} is not an event reference of the form domain.EventName")


Word = TypeVar("Word", bound=StrEnum)


def member_of(vocabulary: type[Word], value: str, field: str) -> Word:
    """The member of a vocabulary that ``value`` names; InvalidInput (422) naming the field and
    every allowed value otherwise."""
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(vocabulary)
        raise InvalidInput(f"{field} must be one of {allowed} (got {value!r})") from None


def listed(values: Iterable[str]) -> list[str]:
    """The words of a query-string filter given repeated or as comma lists, in order, blanks
    dropped: ["orders,payments", " carts "] is ["orders", "payments", "carts"]."""
    return [word.strip() for value in values for word in value.split(",") if word.strip()]
