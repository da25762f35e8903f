"""The answers of the webhook endpoints (app/api/webhooks.py), as JSON Schemas; merged into
app.api.answers.ANSWERS, the one registry the OpenAPI document and the fuzzer read.

Imported by app.api.answers once its shapes are defined (at its end), never on its own first.
"""

from __future__ import annotations

from typing import Any

from app.api.answers import (
    _COUNT,
    _MAYBE_TEXT,
    _MAYBE_TIME,
    _NUMBER,
    _TEXT,
    _TIME,
    _object,
    _one_of,
)
from app.core.notifications import CHANGE_KINDS, DeliveryStatus, NotificationKind

_WEBHOOK = {
    "id": _NUMBER,
    "team": _TEXT,
    "domain": _MAYBE_TEXT,
    "url": _TEXT,
    "kinds": {"type": "array", "items": _one_of(CHANGE_KINDS)},
    "description": _TEXT,
    "active": {"type": "boolean"},
    "created_by": _TEXT,
    "created_at": _TIME,
}
_DELIVERY = {
    "id": _NUMBER,
    "webhook": _NUMBER,
    "notification": {**_TEXT, "description": "The idempotency id: the CloudEvent's id."},
    "kind": _one_of(NotificationKind),
    "subject": _TEXT,
    "status": _one_of(DeliveryStatus),
    "attempts": _COUNT,
    "next_attempt_at": _TIME,
    "last_status": {"type": ["integer", "null"]},
    "last_error": _MAYBE_TEXT,
    "delivered_at": _MAYBE_TIME,
    "created_at": _TIME,
}


WEBHOOK_ANSWERS: dict[str, dict[str, Any]] = {
    "Webhook": _object(_WEBHOOK),
    "NewWebhook": _object(
        {**_WEBHOOK, "secret": {**_TEXT, "description": "The HMAC key; shown this once."}}
    ),
    "WebhookDelivery": _object(_DELIVERY),
}
