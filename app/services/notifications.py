"""Change notifications, written to the transactional outbox by the use case that makes the
change (one place per kind of change), with one pending delivery per interested webhook.

Written inside the caller's transaction (app.services.transaction.atomic): a change that rolls
back leaves no notification, and a committed one always has its notification, whether or not
a delivery worker is running at the time (at-least-once; app.services.delivery sends them).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.core.notifications import NotificationKind, cloud_event
from app.core.times import format_time
from app.db.base import utcnow
from app.db.models import Consumer, Domain, EventType, OutboxEntry, SchemaVersion, WebhookDelivery
from app.db.queries import webhooks as queries


def emit(
    session: Session, kind: NotificationKind, domain: Domain, subject: str, data: dict[str, Any]
) -> OutboxEntry | None:
    """Queue a notification about a change in ``domain`` for the webhooks of its owner team
    (team-wide or of that domain) that want ``kind``; None when no webhook wants it, since an
    outbox entry nobody receives would only grow the table."""
    wanted = [
        webhook
        for webhook in queries.subscribers(session, domain.owner_team_id, domain.id)
        if not webhook.kinds or kind in webhook.kinds
    ]
    if not wanted:
        return None
    entry = outbox_entry(session, kind, subject, {"domain": domain.slug, **data})
    session.add_all(WebhookDelivery(webhook=webhook, notification=entry) for webhook in wanted)
    return entry


def outbox_entry(
    session: Session, kind: NotificationKind, subject: str, data: dict[str, Any]
) -> OutboxEntry:
    """Add a notification to the outbox with a fresh idempotency id (a UUID)."""
    now = utcnow()
    event_id = str(uuid.uuid4())
    envelope = cloud_event(kind, event_id, subject, format_time(now), data)
    entry = OutboxEntry(event_id=event_id, kind=kind, envelope=envelope, created_at=now)
    session.add(entry)
    return entry


def event_type_created(session: Session, event_type: EventType) -> None:
    """EventTypeCreated (schemas/notifications/EventTypeCreated.schema.json)."""
    data = {
        "event": _ref(event_type),
        "name": event_type.name,
        "bus": event_type.bus.slug if event_type.bus else None,
        "producer": event_type.producer,
        "lifecycle": event_type.lifecycle,
    }
    emit(session, NotificationKind.EVENT_TYPE_CREATED, event_type.domain, _ref(event_type), data)


def version_registered(session: Session, event_type: EventType, version: SchemaVersion) -> None:
    """SchemaVersionRegistered (schemas/notifications/SchemaVersionRegistered.schema.json)."""
    ref = _ref(event_type)
    data = {
        "event": ref,
        "version": version.version,
        "schema_id": version.schema_id,
        "author": version.author,
        "note": version.note,
    }
    kind = NotificationKind.SCHEMA_VERSION_REGISTERED
    emit(session, kind, event_type.domain, f"{ref}/versions/{version.version}", data)


def event_type_deprecated(session: Session, event_type: EventType) -> None:
    """EventTypeDeprecated (schemas/notifications/EventTypeDeprecated.schema.json)."""
    data = {
        "event": _ref(event_type),
        "since": event_type.deprecated_on.isoformat() if event_type.deprecated_on else None,
        "reason": event_type.lifecycle_reason,
        "successor": event_type.successor,
    }
    kind = NotificationKind.EVENT_TYPE_DEPRECATED
    emit(session, kind, event_type.domain, _ref(event_type), data)


def consumer_changed(session: Session, consumer: Consumer, kind: NotificationKind) -> None:
    """ConsumerAdded or ConsumerRemoved (schemas/notifications/Consumer*.schema.json), told to
    the producer's side: the domain of the consumer's event type, else of its bus."""
    event = consumer.event_type
    data = {
        "consumer": consumer.id,
        "name": consumer.name,
        "team": consumer.team.slug if consumer.team else None,
        "bus": consumer.bus.slug,
        "event": _ref(event) if event else None,
        "version": consumer.version,
    }
    domain = event.domain if event else consumer.bus.domain
    emit(session, kind, domain, f"consumer:{consumer.id}", data)


def _ref(event_type: EventType) -> str:
    return f"{event_type.domain.slug}.{event_type.name}"
