"""Schemas (content, deduplicated), the versions that use them, and sample events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.schema import Dialect
from app.db.base import Base, UserJSON, utcnow
from app.db.models._checks import one_of

if TYPE_CHECKING:
    from app.db.models.catalog import EventType


class Schema(Base):
    """One schema content, stored once: its global id is reused wherever the content recurs."""

    __tablename__ = "schemas"
    __table_args__ = (one_of("dialect", [d.value for d in Dialect], "dialect_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    # Decided once, when the content was first stored: the $schema it names, else the default.
    dialect: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SchemaVersion(Base):
    """The n-th schema of an event type; immutable once registered, soft-deletable."""

    __tablename__ = "schema_versions"
    __table_args__ = (
        UniqueConstraint("event_type_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"))
    version: Mapped[int]
    schema_id: Mapped[int] = mapped_column(
        ForeignKey("schemas.id", ondelete="RESTRICT"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    event_type: Mapped[EventType] = relationship(back_populates="versions")
    schema: Mapped[Schema] = relationship()


class Sample(Base):
    """An example payload of an event type, expected to validate or expected to fail."""

    __tablename__ = "samples"
    __table_args__ = (UniqueConstraint("event_type_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type_id: Mapped[int] = mapped_column(ForeignKey("event_types.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(UserJSON)
    expect_valid: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event_type: Mapped[EventType] = relationship(back_populates="samples")
