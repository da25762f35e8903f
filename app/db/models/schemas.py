"""Schemas (content, deduplicated), the versions that use them, and sample events."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.lifecycle import LIFECYCLES, Lifecycle
from app.core.schema import Dialect
from app.db.base import Base, UserJSON, utcnow
from app.db.models._checks import one_of

if TYPE_CHECKING:
    from app.db.models.catalog import EventType


def new_guid() -> str:
    """Return a new random GUID (RFC 9562 version 4), as Confluent gives each schema."""
    return str(uuid.uuid4())


class Schema(Base):
    """One schema content, stored once: its global id is reused wherever the content recurs."""

    __tablename__ = "schemas"
    __table_args__ = (one_of("dialect", [d.value for d in Dialect], "dialect_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    # Decided once, when the content was first stored: the $schema it names, else the default.
    dialect: Mapped[str] = mapped_column(String(16))
    # Confluent's stable GUID of the content, beside its global id.
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    # A data contract's extras, as Confluent clients send them: stored and returned exactly as
    # given, and part of the content's identity (the fingerprint covers them when present).
    contract_metadata: Mapped[dict[str, Any] | None] = mapped_column(UserJSON)
    rule_set: Mapped[dict[str, Any] | None] = mapped_column(UserJSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    references: Mapped[list[SchemaReference]] = relationship(
        order_by="SchemaReference.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="SchemaReference.schema_id",
    )


class SchemaReference(Base):
    """A schema's use of another registered version (Confluent's ``references``): ``name`` is
    the URI its ``$ref`` uses, ``subject`` and ``version`` as the client sent them, and the
    version row itself, which cannot be removed while referenced."""

    __tablename__ = "schema_references"
    __table_args__ = (UniqueConstraint("schema_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schema_id: Mapped[int] = mapped_column(ForeignKey("schemas.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    version: Mapped[int]
    version_id: Mapped[int] = mapped_column(
        ForeignKey("schema_versions.id", ondelete="RESTRICT"), index=True
    )

    target: Mapped[SchemaVersion] = relationship()


class SchemaVersion(Base):
    """The n-th schema of an event type; immutable once registered, soft-deletable."""

    __tablename__ = "schema_versions"
    __table_args__ = (
        UniqueConstraint("event_type_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        one_of("lifecycle", LIFECYCLES, "lifecycle"),
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
    # app.core.lifecycle: the state, and the deprecation's day, reason and successor version
    # (a number of the same event type). The content stays immutable; its lifecycle moves.
    lifecycle: Mapped[str] = mapped_column(String(16), default=Lifecycle.ACTIVE)
    deprecated_on: Mapped[date | None] = mapped_column()
    lifecycle_reason: Mapped[str | None] = mapped_column(Text)
    successor: Mapped[int | None] = mapped_column()

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


class FieldEntry(Base):
    """One field path of one version (the field index, app.core.analysis.consistency): its
    pointer into the event, its name (last segment), JSON type, declared types, format,
    description and whether its object requires it. Written with the version, never changed."""

    __tablename__ = "field_index"
    __table_args__ = (
        # Migration 0018: whether a name is declared another way is two seeks in these.
        Index("ix_field_index_name_type", "name", "json_type"),
        Index("ix_field_index_name_format", "name", "format"),
        # Migration 0019: a field's detail pages its event types by seeks in this.
        Index("ix_field_index_name_event_type", "name", "event_type_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("schema_versions.id", ondelete="CASCADE"), index=True
    )
    # The version's event type, kept here so the catalogue's fields group by event in one query.
    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text, index=True)
    pointer: Mapped[str] = mapped_column(Text)
    json_type: Mapped[str] = mapped_column(String(16))
    types: Mapped[str] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
