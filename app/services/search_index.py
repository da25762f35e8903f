"""Keeping the full-text search index (app.db.search_index) in step with the catalogue.

Every use case rewrites, before it commits (app.services.transaction.atomic), the index rows of
the event types its writes touched, so a search in any process on any host sees a write as soon
as it is committed, and a rolled-back write leaves the index as it was. Event types stored before
the index existed are indexed when the registry upgrades or starts (``backfill``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.schema import SchemaDocument
from app.core.search_words import index_words
from app.db import search_index
from app.services import audit, schemas, transaction
from app.services.search import schema_fields

# Event types rewritten per statement, and per backfill transaction.
BATCH = 500


def refresh(session: Session) -> int:
    """Rewrite the index rows of the event types touched since the last rewrite, in the
    caller's transaction; returns how many event types were looked at."""
    session.flush()
    ids = search_index.take_touched(session)
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        rewrite(session, ordered[start : start + BATCH])
    return len(ids)


def rewrite(session: Session, ids: list[int]) -> None:
    """Rewrite (or drop, for those deleted) the index rows of these event types."""
    consumers = search_index.consumer_names(session, ids)
    found = search_index.indexed(session, ids)
    contents = [(each.schema_id, each.fingerprint) for each in found if each.schema_id]
    documents = schemas.of_contents(session, contents)
    rows = [
        row(each, documents.get(each.schema_id), consumers.get(each.event_type_id, []))
        for each in found
    ]
    search_index.replace(session, ids, rows)


def row(
    indexed: search_index.Indexed, document: SchemaDocument | None, consumers: list[str]
) -> search_index.Row:
    """An event type's index row: its words (app.core.search_words) over its name,
    description, producer, domain, bus, latest live version's field pointers and consumers."""
    fields = list(schema_fields(document)) if document is not None else []
    texts = [
        indexed.name,
        indexed.description,
        indexed.producer,
        indexed.domain,
        indexed.bus,
        *fields,
        *consumers,
    ]
    return search_index.Row(indexed.event_type_id, index_words(texts), fields, consumers)


def backfill(session: Session) -> int:
    """Index every event type with no index row (stored before the index existed), in
    transactions of BATCH; returns how many. Audited as one ``search.backfill`` per batch."""
    done = 0
    while True:
        with transaction.atomic(session):
            ids = search_index.unindexed(session, BATCH)
            if ids:
                rewrite(session, ids)
                after = {"events": len(ids)}
                audit.record(session, "eventry", "search.backfill", "search", after=after)
        done += len(ids)
        if len(ids) < BATCH:
            return done


def forget(session: Session) -> None:
    """Forget what a rolled-back transaction touched (its writes never happened)."""
    search_index.forget(session)
