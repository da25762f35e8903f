"""Messages read as event types: name, payload (as a standalone JSON Schema) and examples."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.core.asyncapi.model import Message
from app.core.asyncapi.naming import event_name, sample_name
from app.core.asyncapi.payloads import is_kept_format, standalone
from app.core.asyncapi.refs import follow
from app.core.pointers import split_pointer

EVENT = "x-eventry-event"


class MessageReader:
    """Collects the messages of a document once each, by event name: a message met again
    (on another channel, in another operation) is the same event type."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.by_event: dict[str, Message] = {}
        self.at: dict[str, str] = {}  # message pointer → event name
        self.warnings: list[dict[str, str]] = []

    def add(
        self, message: dict, where: str, bus: str, key: str | None, fallback: str = ""
    ) -> str | None:
        """Read one message of a channel; return its event name, None when it has none."""
        if where in self.at:
            return self.at[where]
        own = _component_key(where)
        name = event_name(
            message.get(EVENT),
            message.get("name"),
            key,
            own,
            message.get("messageId"),
            message.get("title"),
            fallback and f"{fallback} message",
        )
        if name is None:
            self._warn(where, "the message has no name that makes an event name: left out")
            return None
        self.at[where] = name
        if name not in self.by_event:
            self.by_event[name] = self._message(name, message, where, bus)
        return name

    def event_at(self, pointer: str) -> str | None:
        """The event name of the message at a pointer, None when none was read there."""
        return self.at.get(pointer)

    def on_bus(self, bus: str) -> list[str]:
        """The events read on a bus's channel."""
        return [name for name, message in self.by_event.items() if message.bus == bus]

    def produced_by(self, event: str, service: str) -> None:
        """Record the service that sends an event (the first one named keeps it)."""
        message = self.by_event[event]
        if not message.producer:
            self.by_event[event] = replace(message, producer=service)

    def finished(self) -> list[Message]:
        """The messages read, in the order they were met."""
        return list(self.by_event.values())

    def _message(self, name: str, message: dict, where: str, bus: str) -> Message:
        payload, place, schema_format = message.get("payload"), f"{where}/payload", None
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            schema_format, payload, place = (
                payload["schemaFormat"],
                payload["schema"],
                f"{place}/schema",
            )
        else:
            schema_format = message.get("schemaFormat")
        schema = None
        if payload is not None and is_kept_format(str(schema_format) if schema_format else None):
            schema = standalone(self.document, payload, place)
        elif payload is not None:
            self._warn(place, f"a payload in {schema_format!s:.80} is not JSON Schema: not stored")
        text = message.get("description") or message.get("summary") or ""
        return Message(
            event=name,
            bus=bus,
            description=str(text)[:2000],
            payload=schema if isinstance(schema, dict) else None,
            pointer=place,
            samples=self._samples(message, where),
        )

    def _samples(self, message: dict, where: str) -> tuple[tuple[str, Any], ...]:
        examples, _ = follow(self.document, message.get("examples"), f"{where}/examples")
        found: dict[str, Any] = {}
        for index, example in enumerate(examples if isinstance(examples, list) else []):
            if isinstance(example, dict) and "payload" in example:
                found.setdefault(sample_name(example.get("name"), index), example["payload"])
        return tuple(found.items())

    def _warn(self, pointer: str, message: str) -> None:
        self.warnings.append({"pointer": pointer, "message": message})


def _component_key(pointer: str) -> str | None:
    tokens = split_pointer(pointer)
    if len(tokens) == 3 and tokens[:2] == ["components", "messages"]:
        return tokens[2]
    return None
