"""Consumer impact of a schema change: for each difference of a compatibility answer or a
version diff, the consumers of the event whose declared fields it touches, with their teams;
and for each consumer pinned to another version than the compared one, what changes for it from
its version to the new one (app.core.impact). One place, used by the API, the UI and the CLI
through their services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.impact import Impact, Pinned, Reader, concerned, impact, pinned, pinned_elsewhere
from app.core.schema import SchemaDocument
from app.core.version_diff import diff_versions
from app.db.models import EventType
from app.db.queries import schemas as schema_queries
from app.services import reception, schemas


def readers(session: Session, event_type: EventType) -> list[Reader]:
    """The consumers that receive the event type or declare it (app.services.reception
    .readers_of: from its stored analysis when up to date), with the fields they read and the
    version they consume (only a consumer declaring this event type consumes a version of
    it)."""
    return [
        Reader(
            consumer.name,
            consumer.team.slug if consumer.team else None,
            tuple(consumer.fields),
            consumer.version if consumer.event_type_id == event_type.id else None,
        )
        for consumer in reception.readers_of(session, event_type)
    ]


def of_change(
    session: Session,
    event_type: EventType,
    differences: list[dict[str, Any]],
    change: tuple[int | None, SchemaDocument, int | None],
    policy: str,
) -> tuple[list[Impact], list[Pinned]]:
    """The impact of a change ``(old, new document, new)`` of the event type, from version
    ``old`` (None: there is none) to version ``new`` (None: a candidate): for each difference
    ({type, path, …}), in order, the consumers it touches, and an entry for each consumer
    pinned to another version, from the differences (under ``policy``) between its version
    and the new document."""
    old, document, new = change
    everyone = readers(session, event_type)
    compared = [r for r in everyone if concerned(r, new) and not pinned_elsewhere(r, old, new)]
    pairs = [(str(d["type"]), str(d.get("path") or "")) for d in differences]
    entries = [
        pinned(reader, _since(session, event_type, reader, document, policy), new)
        for reader in everyone
        if pinned_elsewhere(reader, old, new)
    ]
    return impact(pairs, compared), entries


def _since(
    session: Session, event_type: EventType, reader: Reader, document: SchemaDocument, policy: str
) -> list[tuple[str, str]] | None:
    stored = schema_queries.version(session, event_type.id, reader.version or 0)
    if stored is None:  # purged
        return None
    report = diff_versions(schemas.of_version(stored), document, policy)
    return [(str(d["type"]), str(d.get("path") or "")) for d in report["differences"]]
