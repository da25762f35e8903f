"""Fixed vocabularies: router kinds, compatibility levels, policies, name patterns."""

from __future__ import annotations

import re

ROUTER_KINDS = ("eventbridge", "sns", "sqs", "kinesis", "kafka", "mq", "other")
# Kinesis, Kafka and MQ keep order per key; EventBridge, SNS and SQS (standard) keep none.
ORDERED_ROUTERS = frozenset({"kinesis", "kafka", "mq"})
UNORDERED_ROUTERS = frozenset({"eventbridge", "sns", "sqs"})
COMPATIBILITY_LEVELS = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
POLICIES = ("strict", "lenient")
DEFAULT_COMPATIBILITY = "BACKWARD"
DEFAULT_POLICY = "strict"

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
