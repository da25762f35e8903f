"""Delivering the outbox: claim due deliveries, POST each signed notification, record the answer.

At-least-once: a delivery is claimed by moving its next attempt past the request's timeout (a
lease) in one short transaction, then POSTed outside any transaction, then its outcome recorded.
A worker that dies between claim and record leaves the lease to expire, and another worker (or
the next start of the service) sends it again; receivers drop repeats by the CloudEvent id,
also sent as the ``Eventry-Idempotency-Id`` header. Several workers in several processes on
several hosts share PostgreSQL safely: claims use ``FOR UPDATE SKIP LOCKED``
(app.db.queries.webhooks.due).
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from app.core.notifications import (
    ID_HEADER,
    SIGNATURE_HEADER,
    DeliveryStatus,
    backoff_ms,
    private_address,
    signature,
)
from app.db.base import utcnow
from app.db.models import WebhookDelivery
from app.db.queries import webhooks as queries
from app.services.transaction import atomic

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/cloudevents+json; charset=utf-8"  # CloudEvents structured mode
LEASE_MARGIN_MS = 30_000  # added to the timeout: a claim outlives its request by this much
MAX_ERROR = 500  # characters of a failure kept in the delivery log


@dataclass(frozen=True)
class Policy:
    """How deliveries are attempted (the EVENTRY_WEBHOOKS_* settings): milliseconds, counts."""

    timeout_ms: int = 5000
    max_attempts: int = 10
    retry_ms: int = 5000
    retry_max_ms: int = 3_600_000
    allow_private: bool = False
    batch: int = 20
    keep_days: int = 30


@dataclass(frozen=True)
class Claimed:
    """A delivery taken for one attempt: where, what (the exact bytes signed) and its secret."""

    delivery_id: int
    url: str
    secret: str
    event_id: str
    body: bytes
    attempt: int


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: the HTTP status (None: no answer) and the failure, if any."""

    status: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        """A 2xx answer delivers (as Stripe, Standard Webhooks and EventBridge API destinations)."""
        return self.status is not None and 200 <= self.status < 300


def run_once(sessions: sessionmaker[Session], policy: Policy) -> int:
    """Claim, send and record one batch of due deliveries; return how many were attempted."""
    claimed = claim(sessions, policy)
    for item in claimed:
        record(sessions, item, send(item, policy), policy)
    return len(claimed)


def prune(sessions: sessionmaker[Session], policy: Policy) -> int:
    """Delete the notifications older than ``policy.keep_days`` that are sent (delivered or
    given up) or had no webhook, with their delivery log; return how many went. Pending ones
    stay whatever their age. Housekeeping, not a change of the catalogue: logged, not audited.
    Several workers may prune at once; each deletes what is still there."""
    with sessions() as session, atomic(session):
        gone = queries.delete_sent_before(session, utcnow() - timedelta(days=policy.keep_days))
    if gone:
        log.info(
            "webhooks: %s sent notifications older than %s days deleted", gone, policy.keep_days
        )
    return gone


def claim(sessions: sessionmaker[Session], policy: Policy) -> list[Claimed]:
    """Lease up to ``policy.batch`` due deliveries for one attempt each."""
    with sessions() as session:
        # A plain read first: an idle worker must not take SQLite's write lock every poll.
        if not queries.any_due(session, utcnow()):
            return []
    with sessions() as session, atomic(session):
        now = utcnow()
        lease = now + timedelta(milliseconds=policy.timeout_ms + LEASE_MARGIN_MS)
        taken = []
        for delivery in queries.due(session, now, policy.batch):
            delivery.attempts += 1
            delivery.next_attempt_at = lease
            taken.append(_claimed(delivery))
        return taken


def _claimed(delivery: WebhookDelivery) -> Claimed:
    envelope = delivery.notification.envelope
    body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
    webhook = delivery.webhook
    return Claimed(
        delivery.id, webhook.url, webhook.secret, envelope["id"], body, delivery.attempts
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an order: following one could lead a notification to an
    address the SSRF check never saw (a 302 to the cloud metadata service)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


class PrivatePeer(OSError):
    """The connection reached a private or loopback address (see `connect_public`)."""


def connect_public(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
    """`socket.create_connection`, refusing a peer that is not a public address.

    The host was checked when the webhook was saved and before each attempt, but a name can
    resolve elsewhere a moment later (DNS rebinding: a short TTL, then 127.0.0.1). So the
    address actually connected to is checked too, before TLS and before a byte of the request.
    Raises PrivatePeer (closing the socket) for a private, loopback or link-local peer.
    """
    connection = socket.create_connection(address, *args, **kwargs)  # type: ignore[arg-type]
    peer = connection.getpeername()[0]
    if private_address([peer]) is not None:
        connection.close()
        raise PrivatePeer(f"{address[0]!r} connected to {peer}, a private or loopback address")
    return connection


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = connect_public


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = connect_public


class _PublicHTTP(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPS(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


_OPENER = urllib.request.build_opener(_NoRedirects)
# Where private addresses are not allowed, the connected peer is checked too.
PUBLIC_OPENER = urllib.request.build_opener(_NoRedirects, _PublicHTTP, _PublicHTTPS)


def send(item: Claimed, policy: Policy) -> Outcome:
    """POST the notification, signed, with the policy's timeout, following no redirect;
    never raises."""
    refused = None if policy.allow_private else address_refusal(item.url)
    if refused:  # checked at each attempt: the host may resolve elsewhere since registered
        return Outcome(None, refused)
    headers = {
        "Content-Type": MEDIA_TYPE,
        "User-Agent": "Eventry-Webhooks/1",
        ID_HEADER: item.event_id,
        SIGNATURE_HEADER: signature(item.secret, int(time.time()), item.body),
    }
    request = urllib.request.Request(item.url, data=item.body, headers=headers, method="POST")
    try:
        opener = _OPENER if policy.allow_private else PUBLIC_OPENER
        with opener.open(request, timeout=policy.timeout_ms / 1000) as answer:
            return Outcome(answer.status, None)
    except urllib.error.HTTPError as error:
        return Outcome(error.code, f"the receiver answered {error.code} {error.reason}")
    except (OSError, ValueError) as error:  # refused, timed out, unresolvable, TLS…
        return Outcome(None, f"no answer: {error}"[:MAX_ERROR])


def address_refusal(url: str) -> str | None:
    """Why a webhook must not be sent to ``url``'s host (None: it may): the host does not
    resolve, or resolves to a private, loopback or link-local address (SSRF; the operator's
    EVENTRY_WEBHOOKS_ALLOW_PRIVATE=1 skips this check)."""
    host = urlsplit(url).hostname or ""
    try:
        found = sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (OSError, ValueError):  # no such name, a label too long, a NUL…
        return f"the webhook's host {host!r} does not resolve"
    address = private_address(found)
    if address is None:
        return None
    return (
        f"the webhook's host {host!r} resolves to {address}, a private or loopback address; "
        "an operator may allow these with EVENTRY_WEBHOOKS_ALLOW_PRIVATE=1"
    )


def record(
    sessions: sessionmaker[Session], item: Claimed, outcome: Outcome, policy: Policy
) -> None:
    """Keep an attempt's outcome: delivered, failed for good after ``max_attempts``, or pending
    again after an exponential backoff (app.core.notifications.backoff_ms)."""
    with sessions() as session, atomic(session):
        delivery = session.get(WebhookDelivery, item.delivery_id)
        if delivery is None:  # its webhook was deleted meanwhile
            return
        now = utcnow()
        delivery.last_status = outcome.status
        delivery.last_error = outcome.error
        if outcome.delivered:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
        elif item.attempt >= policy.max_attempts:
            delivery.status = DeliveryStatus.FAILED
        else:
            wait = backoff_ms(item.attempt, policy.retry_ms, policy.retry_max_ms)
            delivery.next_attempt_at = now + timedelta(milliseconds=wait)
    if not outcome.delivered:
        failure = (item.delivery_id, item.attempt, outcome.error)
        log.warning("webhook delivery %s attempt %s failed: %s", *failure)
