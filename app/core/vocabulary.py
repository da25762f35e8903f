"""Fixed vocabularies: router kinds, compatibility levels, policies, event shapes, name patterns.

The vocabularies are StrEnums: each member is also its plain string, so comparisons with
strings, dictionary look-ups, JSON output and database values all see "BACKWARD", "strict"...
The tuple constants list the members in their documented order, for code that iterates them.
"""

from __future__ import annotations

import re
from enum import StrEnum


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


class EventShape(StrEnum):
    """What an event carries: a notification, what changed, or the entity's whole state."""

    THIN = "thin"
    DELTA = "delta"
    FULL = "full"


ROUTER_KINDS: tuple[RouterKind, ...] = tuple(RouterKind)
# Kinesis, Kafka and MQ keep order per key; EventBridge, SNS and SQS (standard) keep none.
ORDERED_ROUTERS = frozenset({RouterKind.KINESIS, RouterKind.KAFKA, RouterKind.MQ})
UNORDERED_ROUTERS = frozenset({RouterKind.EVENTBRIDGE, RouterKind.SNS, RouterKind.SQS})
COMPATIBILITY_LEVELS: tuple[CompatibilityLevel, ...] = tuple(CompatibilityLevel)
POLICIES: tuple[Policy, ...] = tuple(Policy)
SHAPES: tuple[EventShape, ...] = tuple(EventShape)
DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD
DEFAULT_POLICY = Policy.STRICT

SLUG_PATTERN = r"^[a-z][a-z0-9-]{0,62}$"
# Sample names become file names in a schemas-as-code tree: no slashes, no leading dot.
SAMPLE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
INVALID_SAMPLE_PREFIX = "invalid-"
EVENT_NAME_PATTERN = r"^[A-Z][A-Za-z0-9]{0,127}$"
_SLUG = re.compile(SLUG_PATTERN)
_EVENT_NAME = re.compile(EVENT_NAME_PATTERN)
_SAMPLE_NAME = re.compile(SAMPLE_NAME_PATTERN)


def is_slug(text: str) -> bool:
    """Return whether text is a valid team, domain or bus slug."""
    return bool(_SLUG.match(text))


def is_event_name(text: str) -> bool:
    """Return whether text is a valid PascalCase event name."""
    return bool(_EVENT_NAME.match(text))


def is_sample_name(text: str) -> bool:
    """Return whether text is a valid sample name (it doubles as a file name)."""
    return bool(_SAMPLE_NAME.match(text))


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
