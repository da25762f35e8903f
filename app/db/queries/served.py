"""The one-statement look-ups of the hot reads: what tells a cached answer it is still the
answer. A stored content never changes, so its id and fingerprint name its answer for good;
what can change is whether it is still served (a purge, a soft delete, a newer version), and
these statements ask exactly that, through the indexes, on every request.

They are Core statements built once, with bound parameters: SQLAlchemy keeps their compiled
form, and each runs on its own outside a transaction (app.db.engine.read_alone: no BEGIN, no
ROLLBACK), so a request pays for one round trip and little else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from app.db.engine import read_alone
from app.db.models import Domain, EventType, Schema, SchemaVersion

_SCHEMAS = Schema.__table__
_VERSIONS = SchemaVersion.__table__
_EVENT_TYPES = EventType.__table__
_DOMAINS = Domain.__table__

_SERVED = select(_SCHEMAS.c.fingerprint, _SCHEMAS.c.guid).where(
    _SCHEMAS.c.id == bindparam("schema_id"),
    exists().where(_VERSIONS.c.schema_id == _SCHEMAS.c.id),
)
_LIVE = (
    select(
        _VERSIONS.c.id,
        _VERSIONS.c.version,
        _VERSIONS.c.created_at,
        _VERSIONS.c.schema_id,
        _SCHEMAS.c.fingerprint,
        _SCHEMAS.c.guid,
        _VERSIONS.c.lifecycle,
        _VERSIONS.c.deprecated_on,
        _VERSIONS.c.lifecycle_reason,
        _VERSIONS.c.successor,
    )
    .join(_EVENT_TYPES, _EVENT_TYPES.c.id == _VERSIONS.c.event_type_id)
    .join(_DOMAINS, _DOMAINS.c.id == _EVENT_TYPES.c.domain_id)
    .join(_SCHEMAS, _SCHEMAS.c.id == _VERSIONS.c.schema_id)
    .where(
        _DOMAINS.c.slug == bindparam("domain"),
        _EVENT_TYPES.c.name == bindparam("name"),
        _VERSIONS.c.deleted_at.is_(None),
    )
)
_LATEST = _LIVE.order_by(_VERSIONS.c.version.desc()).limit(1)
_NUMBERED = _LIVE.where(_VERSIONS.c.version == bindparam("number"))


@dataclass(frozen=True)
class Content:
    """Who a stored content is: its fingerprint and GUID (its id is the one asked for)."""

    fingerprint: str
    guid: str


def served_content(session: Session, schema_id: int) -> Content | None:
    """The stored content with this id while a version (live or soft-deleted) uses it; None
    for an unknown id and for content no version uses any more."""
    row = read_alone(session, _SERVED, {"schema_id": schema_id})
    return None if row is None else Content(*row)


class LiveVersion(NamedTuple):
    """Who a live version is: its row id, number and creation time, its content's id,
    fingerprint and GUID, and its lifecycle (state, day, reason, successor: the one part of a
    version that moves). Together they name one answer: a row id SQLite gives again after a
    purge comes with another number and time. A tuple, so it is a cache key as it is
    (``dataclasses.astuple`` deep-copies each field, tens of µs a request)."""

    id: int
    version: int
    created_at: datetime
    schema_id: int
    fingerprint: str
    guid: str
    lifecycle: str
    deprecated_on: date | None
    lifecycle_reason: str | None
    successor: int | None


def live_version(
    session: Session, domain: str, name: str, number: int | None
) -> LiveVersion | None:
    """The live (not soft-deleted) version ``number`` of the event type ``domain.name``, or
    its newest live one for None; None when there is none (or no such event type)."""
    if number is None:
        row = read_alone(session, _LATEST, {"domain": domain, "name": name})
    else:
        row = read_alone(session, _NUMBERED, {"domain": domain, "name": name, "number": number})
    return None if row is None else LiveVersion(*row)
