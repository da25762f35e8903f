"""What changed between two AsyncAPI documents, each change breaking or not (docs/interop.md,
AsyncAPI diff).

Both documents are read as catalogues (``read_catalog``, one domain for both, so a channel is
the same bus on either side). The rules, seen from the applications that receive the messages:

- a channel added, a message added: not breaking;
- a channel removed: breaking (what was published there has nowhere to go);
- a message removed: breaking when a service received it (an operation with ``receive``, or
  ``publish`` in 2.6), else not;
- an operation's direction changed (a service that sent a message now receives it, or the
  reverse): breaking;
- an operation added (a service now sends or receives a message): not breaking; an operation
  removed: breaking when it was a send of a message that services still receive (their source
  is gone), not when it was a receive (only that service stops listening);
- a payload changed: Eventry's compatibility engine compares the old and the new payload at
  the level asked (BACKWARD by default); breaking when the engine finds them incompatible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.asyncapi.model import ApiCatalog, Message
from app.core.compatibility import check
from app.core.errors import InvalidInput
from app.core.pointers import to_pointer
from app.core.schema import SchemaDocument
from app.core.schema.problems import InvalidSchema
from app.core.vocabulary import CompatibilityLevel


class ChangeKind(StrEnum):
    """The kinds of change an AsyncAPI diff reports."""

    CHANNEL_ADDED = "CHANNEL_ADDED"
    CHANNEL_REMOVED = "CHANNEL_REMOVED"
    MESSAGE_ADDED = "MESSAGE_ADDED"
    MESSAGE_REMOVED = "MESSAGE_REMOVED"
    OPERATION_DIRECTION_CHANGED = "OPERATION_DIRECTION_CHANGED"
    OPERATION_ADDED = "OPERATION_ADDED"
    OPERATION_REMOVED = "OPERATION_REMOVED"
    PAYLOAD_CHANGED = "PAYLOAD_CHANGED"


@dataclass(frozen=True)
class Change:
    """One change: its ``kind``, whether it is ``breaking``, the ``channel`` (bus slug) and
    ``message`` (event name) it is about, a sentence, and for a payload the engine's
    differences (dicts with type, path, message… as app.core.compatibility.Difference)."""

    kind: ChangeKind
    breaking: bool
    channel: str
    message: str | None
    detail: str
    differences: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON values."""
        return {
            "kind": str(self.kind),
            "breaking": self.breaking,
            "channel": self.channel,
            "message": self.message,
            "detail": self.detail,
            "differences": self.differences,
        }


@dataclass(frozen=True)
class AsyncApiDiff:
    """Every change from the old document to the new one, and the level payloads were
    compared at; ``breaking`` when any change is."""

    level: CompatibilityLevel
    changes: list[Change]

    @property
    def breaking(self) -> bool:
        """Whether any change breaks a receiver."""
        return any(change.breaking for change in self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON values: ``{"level", "breaking", "changes": [...]}``."""
        return {
            "level": str(self.level),
            "breaking": self.breaking,
            "changes": [change.to_dict() for change in self.changes],
        }


def diff_catalogs(
    old: ApiCatalog, new: ApiCatalog, level: CompatibilityLevel = CompatibilityLevel.BACKWARD
) -> AsyncApiDiff:
    """Compare two catalogues read from AsyncAPI documents (the rules above).

    Raises InvalidInput (422) when a payload on either side is not a valid JSON Schema, each
    problem with its pointer in its document (``side`` "old" or "new")."""
    changes = _channels(old, new)
    old_messages = {message.event: message for message in old.messages}
    new_messages = {message.event: message for message in new.messages}
    received = _received(old)
    for name, message in old_messages.items():
        if name not in new_messages:
            readers = received.get(name, [])
            detail = f"{name} is no longer in the document"
            if readers:
                detail += f"; received by {', '.join(readers)}"
            changes.append(
                Change(ChangeKind.MESSAGE_REMOVED, bool(readers), message.bus, name, detail)
            )
    for name, message in new_messages.items():
        if name not in old_messages:
            changes.append(
                Change(ChangeKind.MESSAGE_ADDED, False, message.bus, name, f"{name} is new")
            )
    changes += _directions(old, new) + _operations(old, new)
    for name in old_messages.keys() & new_messages.keys():
        payload = _payload(old_messages[name], new_messages[name], level)
        if payload is not None:
            changes.append(payload)
    order = list(ChangeKind)
    changes.sort(
        key=lambda change: (order.index(change.kind), change.channel, change.message or "")
    )
    return AsyncApiDiff(level, changes)


def _channels(old: ApiCatalog, new: ApiCatalog) -> list[Change]:
    before = {channel.bus for channel in old.channels}
    after = {channel.bus for channel in new.channels}
    return [
        Change(ChangeKind.CHANNEL_REMOVED, True, bus, None, f"channel {bus} is removed")
        for bus in sorted(before - after)
    ] + [
        Change(ChangeKind.CHANNEL_ADDED, False, bus, None, f"channel {bus} is new")
        for bus in sorted(after - before)
    ]


def _received(catalog: ApiCatalog) -> dict[str, list[str]]:
    # A subscription naming no message receives every message of its channel.
    found: dict[str, list[str]] = {}
    for message in catalog.messages:
        for subscription in catalog.subscriptions:
            if subscription.bus == message.bus and subscription.event in (None, message.event):
                found.setdefault(message.event, []).append(subscription.service)
    return {name: sorted(set(services)) for name, services in found.items()}


def _actions(catalog: ApiCatalog) -> dict[tuple[str, str], set[str]]:
    # (service, message) → {"send", "receive"}
    found: dict[tuple[str, str], set[str]] = {}
    for message in catalog.messages:
        if message.producer:
            found.setdefault((message.producer, message.event), set()).add("send")
    for name, services in _received(catalog).items():
        for service in services:
            found.setdefault((service, name), set()).add("receive")
    return found


def _directions(old: ApiCatalog, new: ApiCatalog) -> list[Change]:
    before, after = _actions(old), _actions(new)
    buses = {message.event: message.bus for message in new.messages}
    changes = []
    for (service, name), was in sorted(before.items()):
        now = after.get((service, name))
        if now and now != was:
            detail = (
                f"{service} used to {' and '.join(sorted(was))} {name}; "
                f"now it does {' and '.join(sorted(now))}"
            )
            changes.append(
                Change(ChangeKind.OPERATION_DIRECTION_CHANGED, True, buses[name], name, detail)
            )
    return changes


def _operations(old: ApiCatalog, new: ApiCatalog) -> list[Change]:
    """Sends and receives that appear or disappear (a direction change is ``_directions``')."""
    before, after = _actions(old), _actions(new)
    buses = {m.event: m.bus for m in old.messages} | {m.event: m.bus for m in new.messages}
    still_received = _received(new)
    kept = {message.event for message in new.messages}
    changes = []
    for (service, name), now in sorted(after.items()):
        if (service, name) not in before:
            detail = f"{service} now {_does(now)} {name}"
            changes.append(Change(ChangeKind.OPERATION_ADDED, False, buses[name], name, detail))
    for (service, name), was in sorted(before.items()):
        if (service, name) in after or name not in kept:
            continue  # a removed message is MESSAGE_REMOVED's
        readers = [r for r in still_received.get(name, []) if r != service]
        breaking = "send" in was and bool(readers)
        detail = f"{service} no longer {_does(was)} {name}"
        if breaking:
            detail += f"; still received by {', '.join(readers)}"
        changes.append(Change(ChangeKind.OPERATION_REMOVED, breaking, buses[name], name, detail))
    return changes


def _does(actions: set[str]) -> str:
    """'sends', 'receives' or 'receives and sends'."""
    return " and ".join(f"{action}s" for action in sorted(actions))


def _payload(old: Message, new: Message, level: CompatibilityLevel) -> Change | None:
    if old.payload is None or new.payload is None or old.payload == new.payload:
        return None  # a payload Eventry does not read (Avro…) is not compared (docs say so)
    before, after = _document(old, "old"), _document(new, "new")
    result = check([(1, before)], after, level)
    differences = result.to_dict()["differences"]
    verdict = "compatible" if result.compatible else "incompatible"
    detail = f"the payload of {new.event} changed: {verdict} at {level}"
    return Change(
        ChangeKind.PAYLOAD_CHANGED, not result.compatible, new.bus, new.event, detail, differences
    )


def _document(message: Message, side: str) -> SchemaDocument:
    try:
        return SchemaDocument.checked(message.payload)
    except InvalidSchema as error:
        problems = [
            {
                "pointer": to_pointer([side]) + message.pointer + problem.pointer,
                "message": problem.message,
            }
            for problem in error.problems
        ]
        raise InvalidInput(
            f"the {side} document's payload of {message.event} is not a valid JSON Schema: "
            f"{problems[0]['message']}",
            problems,
        ) from None
