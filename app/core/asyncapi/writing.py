"""Eventry's catalogue written as an AsyncAPI 3.0 document.

One channel per bus (its slug and router kind kept in ``x-eventry-bus`` and
``x-eventry-router``, so a re-import lands on the same bus), one message per event type (its
latest live version as a Multi Format Schema Object in JSON Schema, its valid samples as
message examples), a ``send`` operation per producer and a ``receive`` operation per consumer
(the service in ``x-eventry-service``).
"""

from __future__ import annotations

import re
from typing import Any

from app.core.asyncapi.model import ApiCatalog, Message
from app.core.asyncapi.payloads import JSON_SCHEMA_FORMAT
from app.core.asyncapi.reading import BUS, ROUTER, SERVICE
from app.core.pointers import escape

ASYNCAPI_VERSION = "3.0.0"
_OPERATION_KEY = re.compile(r"[^A-Za-z0-9_-]")  # keys of "operations" (AsyncAPI 3.0 schema)


def write_document(catalog: ApiCatalog) -> dict[str, Any]:
    """The catalogue as an AsyncAPI 3.0 document (plain JSON values)."""
    channels: dict[str, Any] = {}
    for channel in catalog.channels:
        channels[channel.bus] = {
            "address": channel.bus,
            "messages": {},
            **({"description": channel.description} if channel.description else {}),
            BUS: channel.bus,
            ROUTER: channel.router.value,
        }
    messages = {}
    for message in catalog.messages:
        messages[message.event] = _message(message)
        if message.bus in channels:  # an event type on no bus is only a component
            reference = {"$ref": f"#/components/messages/{escape(message.event)}"}
            channels[message.bus]["messages"][message.event] = reference
    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": catalog.title, "version": catalog.version or "1.0.0"},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": _operations(catalog),
        "components": {"messages": messages},
    }
    return document


def _message(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"name": message.event, "title": message.event}
    if message.description:
        out["description"] = message.description
    out["contentType"] = "application/json"
    if message.payload is not None:
        out["payload"] = {"schemaFormat": JSON_SCHEMA_FORMAT, "schema": message.payload}
    examples = [{"name": name, "payload": payload} for name, payload in message.samples]
    if examples:
        out["examples"] = examples
    return out


def _operations(catalog: ApiCatalog) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for message in catalog.messages:
        if message.producer and message.bus:  # sent on no exported channel: no operation
            key = _key(f"{message.producer}_sends_{message.event}")
            operations[key] = _operation("send", message.producer, message.bus, message.event)
    for subscription in catalog.subscriptions:
        event = subscription.event
        key = _key(f"{subscription.service}_receives_{event or subscription.bus}")
        operations[key] = _operation("receive", subscription.service, subscription.bus, event)
    return operations


def _operation(action: str, service: str, bus: str, event: str | None) -> dict[str, Any]:
    channel = f"#/channels/{escape(bus)}"
    operation: dict[str, Any] = {"action": action, "channel": {"$ref": channel}}
    if event is not None:
        operation["messages"] = [{"$ref": f"{channel}/messages/{escape(event)}"}]
    operation[SERVICE] = service
    return operation


def _key(text: str) -> str:
    return _OPERATION_KEY.sub("_", text)
