"""The audit log and the registry-wide settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.vocabulary import (
    COMPATIBILITY_LEVELS,
    DEFAULT_COMPATIBILITY,
    DEFAULT_POLICY,
    MODES,
    POLICIES,
    Mode,
)
from app.db.base import Base, UserJSON, utcnow
from app.db.models._checks import one_of


class AuditEntry(Base):
    """One write: who did what to which target, with the state before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(300), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(UserJSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(UserJSON)


class Setting(Base):
    """The registry-wide settings: a single row with id 1."""

    __tablename__ = "settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        one_of("compatibility", COMPATIBILITY_LEVELS, "compatibility_level"),
        one_of("policy", POLICIES, "policy"),
        one_of("mode", MODES, "mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    compatibility: Mapped[str] = mapped_column(String(32), default=DEFAULT_COMPATIBILITY)
    policy: Mapped[str] = mapped_column(String(16), default=DEFAULT_POLICY)
    # Confluent's registry-wide mode and compatibility group (see EventType).
    mode: Mapped[str] = mapped_column(String(16), default=Mode.READWRITE)
    compatibility_group: Mapped[str | None] = mapped_column(String(200))
    # Governance rules (see app.core.analysis.rules), applied to every event type's latest schema.
    rules: Mapped[list[str]] = mapped_column(UserJSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Signs the web UI's session cookies when EVENTRY_SECRET_KEY is unset: one value per
    # database, so every process and host agrees (app.services.sign_in). Never shown.
    session_secret: Mapped[str | None] = mapped_column(String(64))
