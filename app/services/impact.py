"""Consumer impact of a schema change: for each difference of a compatibility answer or a
version diff, the consumers of the event whose declared fields it touches, with their teams
(app.core.impact). One place, used by the API, the UI and the CLI through their services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.impact import Impact, Reader, impact
from app.db.models import EventType
from app.services import reception


def readers(session: Session, event_type: EventType) -> list[Reader]:
    """The consumers that receive the event type or declare it, with the fields they read."""
    return [
        Reader(
            r.consumer.name,
            r.consumer.team.slug if r.consumer.team else None,
            tuple(r.consumer.fields),
        )
        for r in reception.receivers(session, event_type)
        if r.reception.receives or r.consumer.event_type_id == event_type.id
    ]


def of_differences(
    session: Session, event_type: EventType, differences: list[dict[str, Any]]
) -> list[Impact]:
    """For each difference ({type, path, …}), in order, the consumers it touches."""
    pairs = [(str(d["type"]), str(d.get("path") or "")) for d in differences]
    return impact(pairs, readers(session, event_type))
