"""The event-storming catalogue: domains, buses, event types and consumers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.lifecycle import LEAVING, LIFECYCLES, Lifecycle
from app.core.routing.model import CONSUMER_SCOPES
from app.core.vocabulary import COMPATIBILITY_LEVELS, MODES, POLICIES, ROUTER_KINDS
from app.db.base import Base, UserJSON, utcnow
from app.db.models._checks import one_of

if TYPE_CHECKING:
    from app.db.models.schemas import Sample, SchemaVersion
    from app.db.models.teams import Team


class Domain(Base):
    """A bounded context, owned by one team."""

    __tablename__ = "domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Team] = relationship()
    buses: Mapped[list[Bus]] = relationship(back_populates="domain", order_by="Bus.slug")
    event_types: Mapped[list[EventType]] = relationship(
        back_populates="domain", order_by="EventType.name"
    )


class Bus(Base):
    """An event router a domain publishes on."""

    __tablename__ = "buses"
    __table_args__ = (one_of("router", ROUTER_KINDS, "router_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    domain_id: Mapped[int] = mapped_column(
        ForeignKey("domains.id", ondelete="RESTRICT"), index=True
    )
    router: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    # The owner's consent for other teams to publish: `team:<slug>` and `domain:<pattern>`
    # entries (app.core.access), sorted. Empty: only the owner's own domains and team may.
    publishers: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    domain: Mapped[Domain] = relationship(back_populates="buses")


class EventType(Base):
    """A domain event; its payload is described by versioned schemas."""

    __tablename__ = "event_types"
    __table_args__ = (
        UniqueConstraint("domain_id", "name"),
        one_of("compatibility", COMPATIBILITY_LEVELS, "compatibility_level", nullable=True),
        one_of("policy", POLICIES, "policy", nullable=True),
        one_of("mode", MODES, "mode", nullable=True),
        one_of("lifecycle", LIFECYCLES, "lifecycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(128))
    bus_id: Mapped[int | None] = mapped_column(
        ForeignKey("buses.id", ondelete="RESTRICT"), index=True
    )
    producer: Mapped[str] = mapped_column(String(200), default="")
    aggregate: Mapped[str] = mapped_column(String(200), default="")
    command: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # None means "inherit the registry-wide setting".
    compatibility: Mapped[str | None] = mapped_column(String(32))
    policy: Mapped[str | None] = mapped_column(String(16))
    # Confluent's per-subject settings: the mode (None: the registry's) and the compatibility
    # group (a metadata property; versions are judged only against those of the same value).
    mode: Mapped[str | None] = mapped_column(String(16))
    compatibility_group: Mapped[str | None] = mapped_column(String(200))
    # app.core.lifecycle: the state, and the deprecation's day, reason and successor.
    lifecycle: Mapped[str] = mapped_column(String(16), default=Lifecycle.ACTIVE)
    deprecated_on: Mapped[date | None] = mapped_column()
    lifecycle_reason: Mapped[str | None] = mapped_column(Text)
    successor: Mapped[str | None] = mapped_column(String(200))
    # The highest version number ever given, so a purged number is never handed out again.
    last_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    domain: Mapped[Domain] = relationship(back_populates="event_types")
    bus: Mapped[Bus | None] = relationship()
    versions: Mapped[list[SchemaVersion]] = relationship(
        back_populates="event_type", order_by="SchemaVersion.version", passive_deletes=True
    )
    samples: Mapped[list[Sample]] = relationship(
        back_populates="event_type", order_by="Sample.name", passive_deletes=True
    )

    @property
    def deprecated(self) -> bool:
        """The ``deprecated`` flag of the API and the tree: deprecated or retired."""
        return self.lifecycle in LEAVING

    @deprecated.setter
    def deprecated(self, value: bool) -> None:
        # The flag alone (no reason): a full deprecation goes through app.services.lifecycle.
        if bool(value) != self.deprecated:
            self.lifecycle = Lifecycle.DEPRECATED if value else Lifecycle.ACTIVE


class Consumer(Base):
    """A service subscribed to a bus with a rule, reading some fields of an event."""

    __tablename__ = "consumers"
    __table_args__ = (
        UniqueConstraint("name", "bus_id", "event_type_id"),
        one_of("scope", CONSUMER_SCOPES, "consumer_scope", nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), index=True
    )
    bus_id: Mapped[int] = mapped_column(ForeignKey("buses.id", ondelete="RESTRICT"), index=True)
    event_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_types.id", ondelete="RESTRICT"), index=True
    )
    pattern: Mapped[dict[str, Any] | None] = mapped_column(UserJSON)
    # What an SNS consumer's filter policy reads (app.core.routing.model.ConsumerScope);
    # None: the router's default (SNS: the message attributes; other routers have no scope).
    scope: Mapped[str | None] = mapped_column(String(24))
    fields: Mapped[list[str]] = mapped_column(UserJSON, default=list)
    # The version of its event type it was written against (None: it follows the latest).
    version: Mapped[int | None] = mapped_column()
    calls_back: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team | None] = relationship()
    bus: Mapped[Bus] = relationship()
    event_type: Mapped[EventType | None] = relationship()


class Subject(Base):
    """A Confluent subject name bound to an event type: a ``<topic>-value`` (TopicNameStrategy)
    or record-name subject, bound by the first registration under it. ``<domain>.<EventName>``
    subjects address their event type directly and need no binding."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event_type: Mapped[EventType] = relationship()


class SubjectSetting(Base):
    """Confluent settings of a subject no event type answers to yet (``PUT /config/{s}`` or
    ``PUT /mode/{s}`` before the first registration, as a migration sets IMPORT first). The
    registration that binds the subject makes them its event type's own and removes the row."""

    __tablename__ = "subject_settings"
    __table_args__ = (
        one_of("compatibility", COMPATIBILITY_LEVELS, "compatibility_level", nullable=True),
        one_of("mode", MODES, "mode", nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    compatibility: Mapped[str | None] = mapped_column(String(32))
    compatibility_group: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[str | None] = mapped_column(String(16))
    # The team whose token set them (None: an admin); they apply only to an event type of a
    # domain that team owns, as they could have been set on it afterwards.
    team: Mapped[str | None] = mapped_column(String(63))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
