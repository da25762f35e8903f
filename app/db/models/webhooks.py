"""Webhooks, the transactional outbox of change notifications, and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.notifications import DeliveryStatus, NotificationKind
from app.db.base import Base, utcnow
from app.db.models._checks import one_of
from app.db.models.catalog import Domain
from app.db.models.teams import Team


class Webhook(Base):
    """An address that receives a team's (or one of its domains') change notifications."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    # None: every domain of the team; else only this one.
    domain_id: Mapped[int | None] = mapped_column(
        ForeignKey("domains.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    # Shared with the receiver to check the HMAC signature; shown once, when created.
    secret: Mapped[str] = mapped_column(String(100))
    # The notification kinds wanted; empty means every kind.
    kinds: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()
    domain: Mapped[Domain | None] = relationship()


class OutboxEntry(Base):
    """A notification, written in the transaction of the change it tells of (the transactional
    outbox): it exists exactly when the change was committed."""

    __tablename__ = "outbox"
    __table_args__ = (one_of("kind", NotificationKind, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The idempotency id: the CloudEvent's id and the Eventry-Idempotency-Id header.
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    envelope: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One notification on its way to one webhook: attempts, the last answer, and when next."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "outbox_id"),
        one_of("status", DeliveryStatus, "status"),
        # What the worker claims: pending deliveries that are due.
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    webhook: Mapped[Webhook] = relationship()
    notification: Mapped[OutboxEntry] = relationship()
