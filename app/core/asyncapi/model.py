"""The part of an AsyncAPI document that Eventry keeps, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.vocabulary import RouterKind


@dataclass(frozen=True)
class Channel:
    """A channel (a topic, a queue, an exchange): one bus of the target domain."""

    bus: str  # the bus's slug
    router: RouterKind
    description: str = ""


@dataclass(frozen=True)
class Message:
    """A message: one event type; ``payload`` is a standalone JSON Schema, or None when the
    document's payload is in a format Eventry does not store (Avro, RAML…)."""

    event: str  # PascalCase event name
    bus: str
    producer: str = ""  # the service that sends it, "" when the document sends it nowhere
    description: str = ""
    payload: dict[str, Any] | None = None
    pointer: str = ""  # where the payload is in the document, for error messages
    samples: tuple[tuple[str, Any], ...] = ()  # (sample name, payload)


@dataclass(frozen=True)
class Subscription:
    """A service that receives messages of a channel: one consumer; ``event`` None for every
    message of the channel."""

    service: str
    bus: str
    event: str | None = None


@dataclass
class ApiCatalog:
    """What a document describes: channels, messages and who receives them."""

    title: str
    version: str
    channels: list[Channel] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    # {"pointer", "message"}: what was read but cannot be kept (a payload in Avro…)
    warnings: list[dict[str, str]] = field(default_factory=list)
