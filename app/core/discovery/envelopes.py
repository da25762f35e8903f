"""The envelope of a raw event: its type and its payload.

- EventBridge (AWS, "Amazon EventBridge events" reference): an object with ``source``,
  ``detail-type`` (the type) and ``detail`` (the payload, an object).
- CloudEvents 1.0, structured JSON mode (cloudevents/spec, json-format.md): an object with
  ``specversion`` and ``type``; the payload is ``data``. ``data_base64`` (binary data) has no
  JSON shape to infer and is refused.
- Plain JSON: an object whose ``type_field`` member (default ``type``; or a JSON pointer such
  as ``/meta/type`` for a nested one) names the type; the payload is the whole event.

An object with ``detail-type`` is read as EventBridge, one with ``specversion`` as CloudEvents,
anything else as plain JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core.pointers import split_pointer
from app.core.vocabulary import is_event_name

MAX_TYPE_LENGTH = 256  # characters of a type name (EventBridge's detail-type allows 128)


class Envelope(StrEnum):
    """How a raw event carries its type and payload."""

    EVENTBRIDGE = "eventbridge"
    CLOUDEVENTS = "cloudevents"
    PLAIN = "plain"


@dataclass(frozen=True)
class Raw:
    """A raw event read: its envelope, its type name and its payload."""

    envelope: Envelope
    type: str
    payload: Any


# The longest type_field (a member name or a JSON pointer) a discovery call takes: a bound on
# input, far past any real envelope's naming.
MAX_TYPE_FIELD = 200


class NotAnEvent(ValueError):
    """The value carries no type (or no payload) in any envelope; the message says why."""


def unwrap(event: Any, type_field: str = "type") -> Raw:
    """The envelope, type and payload of a raw event (a parsed JSON value).

    Raises NotAnEvent for a value that is not an object, has no string type, an EventBridge
    ``detail`` that is not an object, or a CloudEvent without JSON ``data``."""
    if not isinstance(event, dict):
        raise NotAnEvent(f"an event is a JSON object (got {_kind(event)})")
    if "detail-type" in event:
        kind, name, payload = Envelope.EVENTBRIDGE, event["detail-type"], event.get("detail")
        if not isinstance(payload, dict):
            raise NotAnEvent(f"an EventBridge event's detail is an object (got {_kind(payload)})")
    elif "specversion" in event:
        kind, name, payload = Envelope.CLOUDEVENTS, event.get("type"), event.get("data")
        if "data" not in event:
            why = "binary data_base64" if "data_base64" in event else "no data"
            raise NotAnEvent(f"the CloudEvent has {why}: there is no JSON payload to infer")
    else:
        kind, name, payload = Envelope.PLAIN, _member(event, type_field), event
    where = {
        Envelope.EVENTBRIDGE: "detail-type",
        Envelope.CLOUDEVENTS: "type",
        Envelope.PLAIN: type_field,
    }[kind]
    if not isinstance(name, str) or not name.strip():
        raise NotAnEvent(f"the {kind.value} event has no {where!r} string naming its type")
    if len(name) > MAX_TYPE_LENGTH:
        raise NotAnEvent(f"the type name is longer than {MAX_TYPE_LENGTH} characters")
    return Raw(kind, name, payload)


_WORD = re.compile(r"[A-Za-z0-9]+")


def event_name(type_name: str) -> str | None:
    """The event type name a discovered type maps to: the last dot-separated segment of the
    type (CloudEvents' reverse-DNS ``com.example.orders.OrderPlaced``), its words (split on
    anything but letters and digits) each with a capital first letter (``Order Placed``,
    ``order_placed`` → ``OrderPlaced``). None when that is no valid PascalCase event name."""
    segment = type_name.rsplit(".", 1)[-1]
    name = "".join(word[0].upper() + word[1:] for word in _WORD.findall(segment))
    return name if is_event_name(name) else None


def _member(event: dict[str, Any], type_field: str) -> Any:
    # A member name, or a JSON pointer (RFC 6901) for a type nested in the event: /meta/type.
    if not type_field.startswith("/"):
        return event.get(type_field)
    value: Any = event
    for token in split_pointer(type_field):
        if not isinstance(value, dict):
            return None
        value = value.get(token)
    return value


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
