"""Teams and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, utcnow


class Team(Base):
    """A group of people that owns domains and holds API tokens."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="team", passive_deletes=True)


class ApiToken(Base):
    """An API token; only the sha-256 of its secret is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("is_admin OR team_id IS NOT NULL", name="admin_or_team"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    is_admin: Mapped[bool] = mapped_column(default=False)
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    team: Mapped[Team | None] = relationship(back_populates="tokens")


class EndedSession(Base):
    """A web UI session signed out before its cookie expired (app.services.sign_in.sign_out).

    The cookie cannot be taken back from a browser, so a copy of it stays signed and fresh;
    every request of a signed-in session looks its key up here, so the copy is refused on every
    process and host sharing the database (OWASP Session Management: invalidate on logout).
    """

    __tablename__ = "ended_sessions"

    # sha-256 hex of the session's random key (its CSRF token): never the key itself.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    ended_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
