"""The field index and field consistency across the catalogue (issue 14, item 5).

Every registered or imported version's field paths are indexed in the transaction that stores
the version (``index_version``); versions stored before the index existed are indexed when the
registry upgrades or starts (``backfill``). The shared-fields lists and the consistency lints
read the latest live version of each event type (app.core.analysis.consistency).

No answer loads every latest field (10,000 event types have about 300,000): the database groups
them by name into each name's facts (FieldNames, kept per process until the next write), the
conflict rule decides from those facts, and only a conflicting name's fields are read, for its
message; an event type's conflicts read its own names' only.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.core import limits
from app.core.analysis import LintFinding
from app.core.analysis.consistency import (
    VALUE_TYPES,
    FieldConflict,
    FieldUse,
    IndexedField,
    NameFacts,
    changed_names,
    conflict_kind,
    conflicts,
    index_fields,
    with_own,
)
from app.core.errors import InvalidCursor, NotFound
from app.core.paging import Page
from app.core.schema import SchemaDocument
from app.db.models import EventType, FieldEntry, SchemaVersion
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
    """Field names of the latest versions, by name (code-point order): each {name, events (how
    many event types carry it), types (JSON types seen, sorted), conflicts (conflict kinds)};
    ``prefix`` keeps names starting with it (case-sensitive, as JSON names are; no character
    is a wildcard), ``conflicting`` only names with a conflict. ``after`` is the last name of
    the page before (keyset); InvalidCursor (400) when it is not a name. Read from the names'
    table (FieldNames), kept per process until the next write."""
    start = _start(after)
    table = field_names(session)
    names = table.names
    first = bisect_right(names, start) if start is not None else 0
    if prefix:  # the names starting with it follow each other in this order
        first = max(first, bisect_left(names, prefix))
    found: list[str] = []
    for name in itertools.islice(names, first, None):
        if prefix and not name.startswith(prefix):
            break
        if not conflicting or table.summaries[name]["conflicts"]:
            found.append(name)
            if len(found) > limit:
                break
    page = [dict(table.summaries[name]) for name in found[:limit]]
    return Page(page, [found[limit - 1]] if len(found) > limit else None)


@dataclass(frozen=True)
class FieldNames:
    """The field names of the latest versions in code-point order, each one's list_fields
    row and its NameFacts: a few thousand names for 10,000 event types, where their fields
    are about 300,000."""

    names: tuple[str, ...]
    summaries: dict[str, dict[str, Any]]
    facts: dict[str, NameFacts]


def field_names(session: Session) -> FieldNames:
    """The names' table of the catalogue as ``session`` sees it: two statements grouping the
    latest fields by name in the database, kept per process until the next write
    (app.services.catalogue_cache); callers must not change it."""
    return catalogue_cache.cached(session, "field-names", lambda: _field_names(session))


# Event types per page of a field's detail when the caller names no limit.
DETAIL_PAGE = 50


@dataclass(frozen=True)
class FieldDetail:
    """One page of a field name's detail: ``body`` is {name, event_count (event types whose
    latest version carries it), types (JSON types there), conflicts (FieldConflict.to_dict
    each), events (FieldUse.to_dict of the latest version of each event type of the page
    carrying it), versions (every live version of those event types carrying it)};
    ``after`` the last address of the page when another follows (keyset), else None."""

    body: dict[str, Any]
    after: list[Any] | None


def field_detail(
    session: Session, name: str, after: list[Any] | None = None, limit: int = DETAIL_PAGE
) -> FieldDetail:
    """One field name, its event types paged by address (domain slug, name): a name every
    event type carries would otherwise answer every version of the catalogue at once. The
    name's counts, types and conflicts cover the whole catalogue. Raises NotFound (404) when
    no live version carries it, InvalidCursor (400) for a forged ``after``."""
    page = field_queries.carriers_page(session, name, after, limit)
    if not page.items and after is None:
        raise NotFound(f"no event type carries a field named {name!r}")
    ids = [each.id for each in page.items]
    latest = _uses(field_queries.latest_fields(session, names=[name], event_type_ids=ids))
    every = _uses(field_queries.versions_of(session, name, ids))
    summary = field_names(session).summaries.get(name)  # kept until the next write
    found = conflicts_of_names(session, [name]) if summary and summary["conflicts"] else []
    body = {
        "name": name,
        "event_count": summary["events"] if summary else 0,
        "types": summary["types"] if summary else [],
        "conflicts": [conflict.to_dict() for conflict in found],
        "events": [use.to_dict() for use in latest],
        "versions": [use.to_dict() for use in every],
    }
    return FieldDetail(body, page.after)


def catalogue_conflicts(session: Session) -> list[FieldConflict]:
    """Every field type and format conflict among the latest versions, by field name: the
    fields of the conflicting names only are read."""
    table = field_names(session)
    return conflicts_of_names(session, [name for name in table.names if _conflicts(table, name)])


def conflicts_of_event(session: Session, event_type_id: int) -> list[FieldConflict]:
    """The conflicts the latest live version of one event type (by id) is part of, by field
    name (none without a version or without such an event type): only the fields of its
    conflicting names are read. A name it carries without a format takes no part in that
    name's format conflict."""
    names = field_queries.latest_names(session, event_type_id)
    table = field_names(session) if names else None
    conflicting = [name for name in names if table and _conflicts(table, name)]
    event_type = session.get(EventType, event_type_id) if conflicting else None
    if event_type is None:
        return []
    ref = f"{event_type.domain.slug}.{event_type.name}"
    return [found for found in conflicts_of_names(session, conflicting) if ref in found.events]


def event_findings(session: Session, event_type: EventType) -> list[LintFinding]:
    """The conflicts an event type is part of, as warnings at its pointers."""
    ref = f"{event_type.domain.slug}.{event_type.name}"
    return [found.finding(ref) for found in conflicts_of_event(session, event_type.id)]


def findings_among(conflicts: list[FieldConflict], event: str) -> list[LintFinding]:
    """The warnings of the ``conflicts`` (already found) that event type ``event`` is part of."""
    return [conflict.finding(event) for conflict in conflicts if event in conflict.events]


def names_whose_conflicts_change(
    session: Session,
    event_type_id: int,
    before: list[IndexedField],
    after: list[IndexedField],
) -> set[str]:
    """The field names whose conflicts change when an event type's latest live version's
    fields go from ``before`` to ``after`` (a registration, an import, a version deleted or
    restored; [] for no version): the names whose fields differ (consistency.changed_names)
    and that conflict before or after, so every event type carrying one of them has findings
    to compute again. Reads the other event types' facts of those names only."""
    changed = changed_names(before, after)
    if not changed:
        return set()
    others = _field_names(session, changed, event_type_id).facts
    empty = NameFacts(frozenset(), 0, frozenset(), 0)
    return {
        name
        for name in changed
        if any(
            conflict_kind(with_own(others.get(name, empty), [f for f in own if f.name == name]))
            for own in (before, after)
        )
    }


def event_types_carrying(session: Session, names: Collection[str]) -> list[int]:
    """The ids of the event types whose latest live version carries one of these field names
    (those whose findings names_whose_conflicts_change makes stale), sorted."""
    return field_queries.carrying(session, names) if names else []


def version_fields(session: Session, version_id: int) -> list[IndexedField]:
    """A stored version's indexed fields (for names_whose_conflicts_change), by pointer."""
    return [_field(entry) for entry in field_queries.version_fields(session, version_id)]


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


def _uses(rows: list[Row[Any]]) -> list[FieldUse]:
    """FieldUses of rows of field_queries.FIELD_COLUMNS."""
    return [FieldUse(f"{row[7]}.{row[8]}", row[9], IndexedField(*row[:7])) for row in rows]


def _field(entry: FieldEntry) -> IndexedField:
    return IndexedField(
        entry.pointer,
        entry.name,
        entry.json_type,
        entry.types,
        entry.format,
        entry.description,
        entry.required,
    )


def _field_names(
    session: Session, names: Collection[str] | None = None, without: int | None = None
) -> FieldNames:
    """The names' table of these names (or every name), leaving the event type ``without``
    out: one statement counting event types by name, one listing each name's distinct types
    and formats."""
    said: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for name, json_type, fmt in field_queries.name_values(session, names, without):
        types, valued, formats = said.setdefault(name, (set(), set(), set()))
        types.add(json_type)
        if json_type in VALUE_TYPES:
            valued.add(json_type)
            if fmt:
                formats.add(fmt)
    summaries, facts = {}, {}
    for name, events, value_events, format_events in field_queries.name_counts(
        session, VALUE_TYPES, names, without
    ):
        types, valued, formats = said.get(name, (set(), set(), set()))
        named = NameFacts(frozenset(valued), value_events, frozenset(formats), format_events)
        kind = conflict_kind(named)
        summaries[name] = {
            "name": name,
            "events": events,
            "types": sorted(types),
            "conflicts": [str(kind)] if kind else [],
        }
        facts[name] = named
    return FieldNames(tuple(sorted(summaries)), summaries, facts)


def _conflicts(table: FieldNames, name: str) -> bool:
    # A name another statement of the request found may be newer than the kept table.
    return bool(table.summaries.get(name, {}).get("conflicts"))


def conflicts_of_names(session: Session, names: list[str]) -> list[FieldConflict]:
    """The conflicts of these field names among the latest versions, from their fields."""
    if not names:
        return []
    return conflicts(_uses(field_queries.latest_fields(session, names=names)))
