"""The field index and field consistency across the catalogue (issue 14, item 5).

Every registered or imported version's field paths are indexed in the transaction that stores
the version (``index_version``); versions stored before the index existed are indexed when the
registry upgrades or starts (``backfill``). The shared-fields lists and the consistency lints
read the latest live version of each event type (app.core.analysis.consistency).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core import limits
from app.core.analysis import LintFinding
from app.core.analysis.consistency import (
    FieldConflict,
    FieldUse,
    IndexedField,
    conflicts,
    index_fields,
)
from app.core.errors import InvalidCursor, NotFound
from app.core.paging import Page
from app.core.schema import SchemaDocument
from app.db.models import FieldEntry, SchemaVersion
from app.db.queries import fields as field_queries
from app.services import audit, catalogue_cache, schemas
from app.services.transaction import atomic

# Versions indexed per backfill transaction: a big catalogue upgrades in bounded steps.
BACKFILL_BATCH = 200


def index_version(session: Session, version: SchemaVersion, document: SchemaDocument) -> None:
    """Index a just-stored version's fields, in the caller's transaction."""
    field_queries.add(session, version, [_row(found) for found in _indexed(document)])


def backfill(session: Session) -> int:
    """Index every version that has no field in the index yet (stored before the index, or a
    schema with no fields, indexed again at no harm); returns how many were indexed with
    fields. Audited as one ``fields.backfill`` entry per batch."""
    done, seen = 0, 0
    while True:
        with atomic(session):
            versions = field_queries.unindexed_versions(session, BACKFILL_BATCH + seen)[seen:]
            indexed = 0
            for version in versions:
                rows = [_row(found) for found in _indexed(schemas.of_version(version))]
                field_queries.add(session, version, rows)
                indexed += bool(rows)
            if indexed:
                after = {"versions": indexed}
                audit.record(session, "eventry", "fields.backfill", "fields", after=after)
        # A version without fields stays unindexed: skip past it rather than loop on it.
        seen += len(versions) - indexed
        done += indexed
        if len(versions) < BACKFILL_BATCH:
            return done


def list_fields(
    session: Session,
    after: list[Any] | None,
    limit: int,
    prefix: str | None = None,
    conflicting: bool = False,
) -> Page[dict[str, Any]]:
    """Field names of the latest versions, by name: each {name, events (how many event types
    carry it), types (JSON types seen, sorted), conflicts (conflict kinds)}; ``prefix`` keeps
    names starting with it (case-sensitive, as JSON names are), ``conflicting`` only names with
    a conflict. ``after`` is the last name of the page before (keyset). Read from the field
    table, kept per process until the next write (app.services.catalogue_cache)."""
    table = _table(session)
    start = _start(after)
    names = [
        n
        for n in table.names
        if (start is None or n > start) and (not prefix or n.startswith(prefix))
    ]
    if conflicting:
        names = [n for n in names if table.summaries[n]["conflicts"]]
    page = [dict(table.summaries[n]) for n in names[:limit]]
    return Page(page, [names[limit - 1]] if len(names) > limit else None)


def field_detail(session: Session, name: str) -> dict[str, Any]:
    """One field name: {name, events (FieldUse.to_dict of each latest version carrying it),
    versions (every live version carrying it, same shape), types, conflicts
    (FieldConflict.to_dict each)}. Raises NotFound when no live version carries it."""
    latest = _uses(field_queries.latest_fields(session, name=name))
    every = _uses(field_queries.versions_of(session, name))
    if not every:
        raise NotFound(f"no event type carries a field named {name!r}")
    return {
        "name": name,
        "events": [use.to_dict() for use in latest],
        "versions": [use.to_dict() for use in every],
        "types": sorted({use.field.json_type for use in latest}),
        "conflicts": [conflict.to_dict() for conflict in conflicts(latest)],
    }


def catalogue_conflicts(session: Session) -> list[FieldConflict]:
    """Every field type and format conflict among the latest versions, by field name (kept
    per process until the next write: app.services.catalogue_cache)."""
    return list(_table(session).conflicts)


@dataclass(frozen=True)
class FieldTable:
    """The latest versions' fields across the catalogue: their conflicts, the field names
    sorted, and each name's summary (list_fields' row)."""

    conflicts: tuple[FieldConflict, ...]
    names: tuple[str, ...]
    summaries: dict[str, dict[str, Any]]


def _table(session: Session) -> FieldTable:
    # Every latest field of the catalogue (100,000 rows for 1,000 event types): read and
    # summarised once per committed state of the catalogue, not once per page.
    return catalogue_cache.cached(
        session, "fields", lambda: field_table(field_queries.latest_fields(session))
    )


def field_table(rows: list[tuple[FieldEntry, str, str, int]]) -> FieldTable:
    """The field table of latest_fields' rows (every name of the catalogue)."""
    uses = _uses(rows)
    found = conflicts(uses)
    kinds: dict[str, list[str]] = defaultdict(list)
    for conflict in found:
        kinds[conflict.name].append(str(conflict.kind))
    by_name: dict[str, list[FieldUse]] = defaultdict(list)
    for use in uses:
        by_name[use.field.name].append(use)
    names = tuple(sorted(by_name))
    summaries = {n: _summary(n, by_name[n], kinds.get(n, [])) for n in names}
    return FieldTable(tuple(found), names, summaries)


def event_findings(session: Session, event: str) -> list[LintFinding]:
    """The conflicts an event type (``domain.Name``) is part of, as warnings at its pointers."""
    return findings_among(catalogue_conflicts(session), event)


def findings_among(conflicts: list[FieldConflict], event: str) -> list[LintFinding]:
    """The warnings of the ``conflicts`` (already found) that event type ``event`` is part of."""
    return [conflict.finding(event) for conflict in conflicts if event in conflict.events]


def _start(after: list[Any] | None) -> str | None:
    if after is None:
        return None
    if not isinstance(after, list) or len(after) != 1 or not isinstance(after[0], str):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    return after[0]


def _indexed(document: SchemaDocument) -> list[IndexedField]:
    try:
        with limits.budget():
            return index_fields(document)
    except limits.LimitExceeded:  # stored under larger limits: indexed as having no fields
        return []


def _row(found: IndexedField) -> dict[str, Any]:
    # PostgreSQL's text refuses NUL, which JSON strings allow: dropped from the index's copy.
    def clean(text: str) -> str:
        return text.replace("\x00", "")

    return {
        "name": clean(found.name),
        "pointer": clean(found.pointer),
        "json_type": found.json_type,
        "types": clean(found.types),
        "format": clean(found.format) if found.format is not None else None,
        "description": clean(found.description),
        "required": found.required,
    }


def _uses(rows: list[tuple[FieldEntry, str, str, int]]) -> list[FieldUse]:
    return [
        FieldUse(
            f"{domain}.{event}",
            version,
            IndexedField(
                entry.pointer,
                entry.name,
                entry.json_type,
                entry.types,
                entry.format,
                entry.description,
                entry.required,
            ),
        )
        for entry, domain, event, version in rows
    ]


def _summary(name: str, uses: list[FieldUse], kinds: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "events": len({use.event for use in uses}),
        "types": sorted({use.field.json_type for use in uses}),
        "conflicts": kinds,
    }
