"""Search the catalogue: names, descriptions, producers, domains, buses and schema field names."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from app.core.analysis import field_pointers
from app.core.canonical import parse_json
from app.core.errors import InvalidCursor, InvalidInput
from app.core.paging import Page
from app.db.models import EventType
from app.db.queries.latest import event_types_with_latest_schema


@dataclass(frozen=True)
class Match:
    """Where the query matched: the attribute and its text."""

    where: str
    text: str


@dataclass(frozen=True)
class Hit:
    """An event type that matched, with every place it matched."""

    event_type: EventType
    version: int | None
    matches: list[Match] = field(default_factory=list)


def search(session: Session, query: str, after: list[str] | None, limit: int) -> Page[Hit]:
    """Find event types whose metadata or latest schema mention the query (case-insensitive)."""
    if after is not None and not (
        isinstance(after, list) and len(after) == 2 and all(isinstance(v, str) for v in after)
    ):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    needle = query.strip().lower()
    if len(needle) < 2:
        raise InvalidInput("search for at least 2 characters")
    hits = []
    rows = event_types_with_latest_schema(session)
    # The cursor compares in Python's order, so the rows are walked in that order too.
    rows.sort(key=lambda row: (row[0].domain.slug, row[0].name))
    for event_type, version, schema_id, canonical in rows:
        if after is not None and [event_type.domain.slug, event_type.name] <= after:
            continue
        matches = _matches(event_type, schema_id, canonical, needle)
        if matches:
            hits.append(Hit(event_type, version, matches))
            if len(hits) > limit:
                break
    more = len(hits) > limit
    hits = hits[:limit]
    last = [hits[-1].event_type.domain.slug, hits[-1].event_type.name] if more else None
    return Page(hits, last)


def _matches(event_type: EventType, schema_id, canonical, needle: str) -> list[Match]:
    candidates = [
        ("name", event_type.name),
        ("description", event_type.description),
        ("producer", event_type.producer),
        ("domain", event_type.domain.slug),
        ("bus", event_type.bus.slug if event_type.bus else ""),
    ]
    if schema_id is not None:
        candidates += [("field", pointer) for pointer in schema_fields(schema_id, canonical)]
    return [Match(where, text) for where, text in candidates if text and needle in text.lower()]


@lru_cache(maxsize=8192)
def schema_fields(schema_id: int, canonical: str) -> tuple[str, ...]:
    """Return the field pointers of a stored schema (cached: stored content never changes)."""
    pointers = field_pointers(schema=parse_json(canonical))
    return tuple(sorted(p for p in pointers if "/0" not in p.split("/")[-1:]))
