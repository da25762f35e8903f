"""Each event type's stored analysis (migration 0018): derived rows, rewritten by
app.services.analysis_store whenever an event type's inputs change, never written by a user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    cast,
    literal_column,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, UserJSON

# The findings' sort key compares by code point on PostgreSQL too (Python's and SQLite's order).
# JSON, not jsonb: a message may quote a user's text, NUL included (as UserJSON, migration 0006).
SortKey = Text().with_variant(Text(collation="C"), "postgresql")


class EventAnalysis(Base):
    """Whether an event type's stored findings and receptions are up to date: ``stale`` once a
    write changed what they depend on (no row at all counts as stale too), ``skipped`` when the
    event type was too costly to analyse within app.core.limits' budget."""

    __tablename__ = "event_analyses"

    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), primary_key=True
    )
    stale: Mapped[bool] = mapped_column(Boolean, index=True)
    skipped: Mapped[bool] = mapped_column(Boolean)
    # One more at every mark: a refresh stores "fresh" only if no mark came since it read.
    generation: Mapped[int] = mapped_column()
    analysed_at: Mapped[datetime | None] = mapped_column()
    # Migration 0019: its shape (app.core.analysis: thin, delta, full; None when unknown).
    shape: Mapped[str | None] = mapped_column(String(16))


class StoredFinding(Base):
    """One finding (app.core.findings.Finding) of an event type: its sort key and filters as
    columns, the whole finding (``Finding.to_dict``) as ``body``."""

    __tablename__ = "findings"
    __table_args__ = (
        Index("ix_findings_order", "domain", "event", "consumer", "kind", "finding_id", "pointer"),
        # The counts' GROUP BY reads this index alone.
        Index("ix_findings_counts", "domain", "kind", "severity", "team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(SortKey)
    event: Mapped[str] = mapped_column(SortKey)
    consumer: Mapped[str] = mapped_column(SortKey)  # "" for the event's own findings
    kind: Mapped[str] = mapped_column(SortKey, index=True)
    finding_id: Mapped[str] = mapped_column(SortKey)
    pointer: Mapped[str] = mapped_column(SortKey)
    severity: Mapped[str] = mapped_column(String(16), index=True)
    team: Mapped[str | None] = mapped_column(Text, index=True)
    body: Mapped[dict[str, Any]] = mapped_column(UserJSON)


class StoredReception(Base):
    """One consumer's answer for one event type on its bus or that it declares
    (app.services.reception.receivers_among): ``findings`` are its ConsumerFinding.to_dict."""

    __tablename__ = "receptions"

    event_type_id: Mapped[int] = mapped_column(
        ForeignKey("event_types.id", ondelete="CASCADE"), primary_key=True
    )
    consumer_id: Mapped[int] = mapped_column(
        ForeignKey("consumers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    receives: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(UserJSON)


def says_something() -> ColumnElement[bool]:
    """Whether a stored answer receives or has findings (its findings as stored: JSON text,
    "[]" when there are none): the answers a consumer table shows. Most of a consumer's answers
    on a busy bus say nothing; the partial index ``ix_receptions_said`` (migration 0020) holds
    the others, and a query is read through it when its condition is this very expression."""
    # A literal, not a parameter: PostgreSQL's generic plan of a prepared statement (psycopg
    # prepares one on its 5th run) cannot prove a parameter equal to the index's literal.
    empty = literal_column("'[]'")
    return or_(StoredReception.receives, cast(StoredReception.findings, Text) != empty)


Index(
    "ix_receptions_said",
    StoredReception.consumer_id,
    sqlite_where=says_something(),
    postgresql_where=says_something(),
)
