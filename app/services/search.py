"""Search the catalogue: names, descriptions, producers, domains, buses and schema field names."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from app.core.analysis import field_pointers
from app.core.analysis.fields import flatten_schema
from app.core.errors import InvalidCursor, InvalidInput
from app.core.paging import Page
from app.core.schema import SchemaDocument
from app.db.models import EventType, Schema
from app.db.queries.latest import event_types_with_latest_schema
from app.services import schemas


@dataclass(frozen=True)
class Match:
    """Where the query matched: the attribute and its text; for a field (``where`` is
    "field", ``text`` its JSON pointer) also its JSON Schema type(s) and description."""

    where: str
    text: str
    type: str = ""
    description: str = ""


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
    for event_type, version, schema in rows:
        if after is not None and [event_type.domain.slug, event_type.name] <= after:
            continue
        matches = _matches(event_type, schema, needle)
        if matches:
            hits.append(Hit(event_type, version, matches))
            if len(hits) > limit:
                break
    more = len(hits) > limit
    hits = hits[:limit]
    last = [hits[-1].event_type.domain.slug, hits[-1].event_type.name] if more else None
    return Page(hits, last)


def _matches(event_type: EventType, schema: Schema | None, needle: str) -> list[Match]:
    candidates = [
        ("name", event_type.name),
        ("description", event_type.description),
        ("producer", event_type.producer),
        ("domain", event_type.domain.slug),
        ("bus", event_type.bus.slug if event_type.bus else ""),
    ]
    found = [Match(where, text) for where, text in candidates if text and needle in text.lower()]
    if schema is not None:
        document = schemas.of_schema(schema)
        details = field_details(document)
        found += [
            Match("field", pointer, *details.get(pointer, ("", "")))
            for pointer in schema_fields(document)
            if needle in pointer.lower()
        ]
    return found


@lru_cache(maxsize=8192)
def field_details(document: SchemaDocument) -> dict[str, tuple[str, str]]:
    """Each field's type(s) ("string", "integer or null") and description, by JSON pointer
    (cached as schema_fields is: a stored document never changes)."""
    fields, _envelope = flatten_schema(document)
    details = {}
    for each in fields:
        kinds = each.node.get("type", "") if isinstance(each.node, dict) else ""
        kinds = " or ".join(kinds) if isinstance(kinds, list) else str(kinds)
        text = each.node.get("description", "") if isinstance(each.node, dict) else ""
        details[each.pointer] = (kinds, text if isinstance(text, str) else "")
    return details


@lru_cache(maxsize=8192)
def schema_fields(document: SchemaDocument) -> tuple[str, ...]:
    """Return the field pointers of a stored schema's document (cached: a document never
    changes, and app.services.schemas hands out one per stored schema)."""
    pointers = field_pointers(document)
    return tuple(sorted(p for p in pointers if "/0" not in p.split("/")[-1:]))
