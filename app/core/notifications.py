"""Change notifications as CloudEvents, their HMAC signature, retry backoff and the SSRF rule
for webhook addresses: plain rules over plain values (the services write and deliver them).

Sources of the rules:
- CloudEvents 1.0, structured content mode in JSON (https://github.com/cloudevents/spec):
  ``specversion``, ``id``, ``source``, ``type``, ``time``, ``subject``, ``datacontenttype``,
  ``data``; ``id`` + ``source`` identify an event, so a receiver drops a repeated delivery by it.
- The signature follows Stripe's and Standard Webhooks' habit: ``Eventry-Signature:
  t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>``, the time
  inside the signed text so a captured request cannot be replayed later (docs/interop.md).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

SPEC_VERSION = "1.0"
TYPE_PREFIX = "dev.eventry."
SIGNATURE_HEADER = "Eventry-Signature"
ID_HEADER = "Eventry-Idempotency-Id"
SIGNATURE_SCHEME = "v1"
# A receiver refuses a signature older than this (seconds): verify()'s default tolerance.
TOLERANCE_S = 300


class NotificationKind(StrEnum):
    """What changed; the CloudEvent ``type`` is ``dev.eventry.`` followed by it."""

    EVENT_TYPE_CREATED = "EventTypeCreated"
    SCHEMA_VERSION_REGISTERED = "SchemaVersionRegistered"
    EVENT_TYPE_DEPRECATED = "EventTypeDeprecated"
    CONSUMER_ADDED = "ConsumerAdded"
    CONSUMER_REMOVED = "ConsumerRemoved"
    # Sent to one webhook when its owner asks for a test (POST /api/v1/webhooks/{id}/test).
    WEBHOOK_PINGED = "WebhookPinged"


# The kinds a webhook may filter on (a ping goes to the webhook asked, whatever its filter).
CHANGE_KINDS: tuple[NotificationKind, ...] = tuple(
    kind for kind in NotificationKind if kind is not NotificationKind.WEBHOOK_PINGED
)


class DeliveryStatus(StrEnum):
    """Where one notification's delivery to one webhook is."""

    PENDING = "pending"  # waiting for its next attempt (or being attempted)
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # every attempt failed: given up


def cloud_event(
    kind: NotificationKind, event_id: str, subject: str, time: str, data: dict[str, Any]
) -> dict[str, Any]:
    """A notification as a CloudEvents 1.0 structured JSON object.

    ``event_id`` is the idempotency id (a UUID), ``subject`` what changed (``orders.OrderPlaced``,
    ``orders.OrderPlaced/versions/2``, ``consumer:12``), ``time`` RFC 3339 in UTC; ``source`` is
    ``/eventry/`` plus the domain of the subject or ``webhooks`` for a ping.
    """
    domain = data.get("domain") or "webhooks"
    return {
        "specversion": SPEC_VERSION,
        "id": event_id,
        "source": f"/eventry/{domain}",
        "type": TYPE_PREFIX + kind,
        "time": time,
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data,
    }


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Eventry-Signature`` value of a body sent at ``timestamp`` (unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},{SIGNATURE_SCHEME}={digest}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_S) -> bool:
    """Whether ``header`` is a valid signature of ``body`` made within ``tolerance`` seconds of
    ``now`` (unix seconds): what a receiver does, in constant time."""
    parts = dict(part.partition("=")[::2] for part in header.split(","))
    timestamp = parts.get("t", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, int(timestamp), body)
    return hmac.compare_digest(expected, f"t={timestamp},{SIGNATURE_SCHEME}={parts.get('v1')}")


def backoff_ms(attempts: int, retry_ms: int, retry_max_ms: int) -> int:
    """The wait before the next attempt after ``attempts`` failed ones (1 or more): exponential,
    ``retry_ms * 2 ** (attempts - 1)``, capped at ``retry_max_ms``."""
    return min(retry_max_ms, retry_ms * 2 ** min(attempts - 1, 30))


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook's address (None when it can): http or https, a host, no
    user info (the secret signs; credentials in a URL leak into logs)."""
    if any(char.isspace() or not char.isprintable() for char in url):
        return "a webhook URL must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as error:  # e.g. an unclosed IPv6 bracket
        return f"a webhook URL must be a valid URL ({error})"
    if parts.scheme not in {"http", "https"}:
        return "a webhook URL must start with https:// (or http://)"
    if not host:
        return "a webhook URL must name a host"
    if parts.username or parts.password:
        return "a webhook URL must not carry a user name or password; the signature authenticates"
    return None


def shown_address(url: str) -> str:
    """A webhook's URL as pages and the audit log (readable by anyone) show it: without its
    query and fragment, where receivers often take a token of their own."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def private_address(addresses: Iterable[str]) -> str | None:
    """The first of the resolved ``addresses`` that is not a public internet address (loopback,
    private, link-local such as cloud metadata at 169.254.169.254, reserved…), None if all are
    public: a webhook there would let a caller reach inside the network (SSRF)."""
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return text
    return None
