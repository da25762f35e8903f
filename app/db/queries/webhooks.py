"""Queries of webhooks, the outbox and deliveries; claiming due deliveries for the worker."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from app.core.notifications import DeliveryStatus
from app.core.paging import Page
from app.db.models import OutboxEntry, Webhook, WebhookDelivery
from app.db.queries.paging import keyset_page


def subscribers(session: Session, team_id: int, domain_id: int) -> list[Webhook]:
    """The active webhooks of the team that owns a domain: team-wide ones and the domain's."""
    return list(session.scalars(_subscribers(), {"team_id": team_id, "domain_id": domain_id}))


@cache
def _subscribers() -> Select:
    # Built once, the ids bound per call: every registration asks.
    return (
        select(Webhook)
        .where(
            Webhook.active,
            Webhook.team_id == bindparam("team_id"),
            or_(Webhook.domain_id.is_(None), Webhook.domain_id == bindparam("domain_id")),
        )
        .order_by(Webhook.id)
    )


def of_team(session: Session, team_id: int) -> list[Webhook]:
    """A team's webhooks by id, with their domains."""
    statement = (
        select(Webhook).where(Webhook.team_id == team_id).options(selectinload(Webhook.domain))
    )
    return list(session.scalars(statement.order_by(Webhook.id)))


def webhooks(
    session: Session, team_id: int | None, after: Sequence[Any] | None, limit: int
) -> Page[Webhook]:
    """Webhooks by id, of one team or (None) of every team."""
    statement = select(Webhook).options(selectinload(Webhook.team), selectinload(Webhook.domain))
    if team_id is not None:
        statement = statement.where(Webhook.team_id == team_id)
    return keyset_page(session, statement, [Webhook.id], lambda w: [w.id], after, limit)


def deliveries(
    session: Session, webhook_id: int, after: Sequence[Any] | None, limit: int
) -> Page[WebhookDelivery]:
    """A webhook's deliveries, newest first, with their notifications."""
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .options(selectinload(WebhookDelivery.notification))
    )
    keys = [WebhookDelivery.id]
    return keyset_page(session, statement, keys, lambda d: [d.id], after, limit, descending=True)


def any_due(session: Session, now: datetime) -> bool:
    """Whether some pending delivery is due by ``now`` (a read; nothing locked)."""
    statement = select(WebhookDelivery.id).where(*_due_rules(now))
    return session.scalar(statement.limit(1)) is not None


def due(session: Session, now: datetime, limit: int) -> list[WebhookDelivery]:
    """Up to ``limit`` pending deliveries due by ``now``, locked for this transaction.

    On PostgreSQL, ``FOR UPDATE SKIP LOCKED``: several workers on several hosts each take other
    rows and never wait on one another. SQLite ignores the clause; there the caller's write
    transaction (BEGIN IMMEDIATE, app.db.engine.begin_write) holds the database's one write
    lock, so two processes never claim at the same moment either.
    """
    statement = (
        select(WebhookDelivery)
        .where(*_due_rules(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    return list(session.scalars(statement))


def _due_rules(now: datetime) -> list[Any]:
    # An inactive webhook is paused: its pending deliveries wait until it is active again.
    active = select(Webhook.id).where(Webhook.active)
    return [
        WebhookDelivery.status == DeliveryStatus.PENDING,
        WebhookDelivery.next_attempt_at <= now,
        WebhookDelivery.webhook_id.in_(active),
    ]


def delete_sent_before(session: Session, cutoff: datetime) -> int:
    """Delete the notifications written before ``cutoff`` that no delivery still waits to send,
    with their deliveries (delivered or failed); return how many notifications went."""
    waiting = exists().where(
        WebhookDelivery.outbox_id == OutboxEntry.id,
        WebhookDelivery.status == DeliveryStatus.PENDING,
    )
    old = select(OutboxEntry.id).where(OutboxEntry.created_at < cutoff, ~waiting)
    ids = list(session.scalars(old))
    if not ids:
        return 0
    # Deliveries first: SQLite's cascade depends on its foreign-key pragma, this does not.
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.outbox_id.in_(ids)))
    session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(ids)))
    return len(ids)
