"""AsyncAPI names as Eventry's: router kinds from protocols and bindings, event names, slugs."""

from __future__ import annotations

import re
from typing import Any

from app.core.vocabulary import SAMPLE_NAME_PATTERN, RouterKind, is_event_name, is_slug

# Protocols (AsyncAPI "Server Object", protocol) and binding names (the asyncapi/bindings
# repository) → router kinds. Brokers that keep order per queue or partition are "mq".
_ROUTERS = {
    "kafka": RouterKind.KAFKA,
    "kafka-secure": RouterKind.KAFKA,
    "sns": RouterKind.SNS,
    "sqs": RouterKind.SQS,
    "eventbridge": RouterKind.EVENTBRIDGE,
    "kinesis": RouterKind.KINESIS,
    "amqp": RouterKind.MQ,
    "amqps": RouterKind.MQ,
    "amqp1": RouterKind.MQ,
    "mqtt": RouterKind.MQ,
    "secure-mqtt": RouterKind.MQ,
    "mqtt5": RouterKind.MQ,
    "jms": RouterKind.MQ,
    "ibmmq": RouterKind.MQ,
    "anypointmq": RouterKind.MQ,
    "solace": RouterKind.MQ,
    "nats": RouterKind.MQ,
    "pulsar": RouterKind.MQ,
    "stomp": RouterKind.MQ,
    "stomps": RouterKind.MQ,
    "googlepubsub": RouterKind.MQ,
}
_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SAMPLE = re.compile(SAMPLE_NAME_PATTERN)


def router_of(bindings: Any, protocols: list[str]) -> RouterKind:
    """The router kind of a channel: its bindings first (a kafka binding is Kafka whatever the
    server), then its servers' protocols; OTHER when neither says (HTTP, WebSocket…)."""
    names = (
        [key for key in bindings if not key.startswith("x-")] if isinstance(bindings, dict) else []
    )
    for name in [*names, *protocols]:
        kind = _ROUTERS.get(str(name).lower())
        if kind is not None:
            return kind
    return RouterKind.OTHER


def event_name(*candidates: Any) -> str | None:
    """The first candidate (a message's name, key, title) turned into a PascalCase event
    name ('lightMeasured' → 'LightMeasured', 'user.signed-up' → 'UserSignedUp'), or None."""
    for candidate in candidates:
        if not isinstance(candidate, str):
            continue
        words = [part for word in _WORD.findall(candidate) for part in _split(word)]
        name = "".join(word[:1].upper() + word[1:] for word in words)[:128]
        if name and not name[0].isalpha():
            name = ("Event" + name)[:128]
        if is_event_name(name):
            return name
    return None


def slug(text: str, prefix: str = "") -> str:
    """A slug made of the text ('Streetlights Kafka API' → 'streetlights-kafka-api'), after a
    prefix; at most 63 characters."""
    words = [word.lower() for word in _WORD.findall(text) for word in _split(word)]
    made = "-".join([prefix, *words] if prefix else words)[:63].strip("-") or "asyncapi"
    return made if is_slug(made) else f"a-{made}"[:63].strip("-")


def sample_name(candidate: Any, index: int) -> str:
    """A sample name for a message example: its name when it is one, else example-N."""
    if isinstance(candidate, str) and _SAMPLE.fullmatch(candidate):
        return candidate
    return f"example-{index + 1}"


def _split(word: str) -> list[str]:
    return _CAMEL.findall(word) or [word]
