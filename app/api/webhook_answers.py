"""The answers of the webhook endpoints (app/api/webhooks.py), as JSON Schemas; merged into
app.api.answers.ANSWERS, the one registry the OpenAPI document and the fuzzer read."""

from __future__ import annotations

from typing import Any

from app.api.answer_parts import (
    COUNT,
    MAYBE_TEXT,
    MAYBE_TIME,
    NUMBER,
    TEXT,
    TIME,
    object_of,
    one_of,
)
from app.core.notifications import CHANGE_KINDS, DeliveryStatus, NotificationKind

_WEBHOOK = {
    "id": NUMBER,
    "team": TEXT,
    "domain": MAYBE_TEXT,
    "url": TEXT,
    "kinds": {"type": "array", "items": one_of(CHANGE_KINDS)},
    "description": TEXT,
    "active": {"type": "boolean"},
    "created_by": TEXT,
    "created_at": TIME,
}
_DELIVERY = {
    "id": NUMBER,
    "webhook": NUMBER,
    "notification": {**TEXT, "description": "The idempotency id: the CloudEvent's id."},
    "kind": one_of(NotificationKind),
    "subject": TEXT,
    "status": one_of(DeliveryStatus),
    "attempts": COUNT,
    "next_attempt_at": TIME,
    "last_status": {"type": ["integer", "null"]},
    "last_error": MAYBE_TEXT,
    "delivered_at": MAYBE_TIME,
    "created_at": TIME,
}


WEBHOOK_ANSWERS: dict[str, dict[str, Any]] = {
    "Webhook": object_of(_WEBHOOK),
    "NewWebhook": object_of(
        {**_WEBHOOK, "secret": {**TEXT, "description": "The HMAC key; shown this once."}}
    ),
    "WebhookDelivery": object_of(_DELIVERY),
}
