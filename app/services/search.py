"""Search the catalogue: names, descriptions, producers, domains, buses, schema field names and
consumers, through the full-text index (app.db.search_index)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.orm import Session

from app.core.analysis import field_pointers
from app.core.analysis.fields import flatten_schema
from app.core.errors import InvalidCursor, InvalidInput
from app.core.paging import Page
from app.core.schema import SchemaDocument
from app.core.search_words import query_words
from app.db import search_index
from app.db.models import EventType
from app.db.queries.latest import event_types_with_latest_content
from app.services import schemas

# Candidates read from the index per statement beyond the page's size.
CANDIDATES = 200
# Documents whose fields are kept: each entry holds its document alive, so a worker's memory
# stays bounded on a catalogue of 10,000 event types (issue #13: RSS under 250 MB).
FIELD_CACHE = 512


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
    """Find event types whose name, description, producer, domain, bus, latest schema's field
    pointers or declaring consumers contain the query (case-insensitive), ordered by (domain,
    name); ``after`` is the last [domain, name] of the page before.

    The full-text index (app.db.search_index) finds the event types holding a word that begins
    with each of the query's words (app.core.search_words); each is then checked to contain the
    query as written. Raises InvalidCursor for a foreign cursor, InvalidInput under 2 characters.
    """
    if after is not None and not (
        isinstance(after, list) and len(after) == 2 and all(isinstance(v, str) for v in after)
    ):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    needle = query.strip().lower()
    if len(needle) < 2:
        raise InvalidInput("search for at least 2 characters")
    words = query_words(needle)
    found: list[tuple[int, list[Match]]] = []
    since = (after[0], after[1]) if after is not None else None
    # A candidate holds the words but may not hold the query as written ("order id" in a
    # description saying "order, id"): read on until the page is full or the index is done.
    while words and len(found) <= limit:
        batch = search_index.candidates(session, words, since, CANDIDATES + limit)
        _check(session, batch, needle, found, limit)
        if len(batch) < CANDIDATES + limit:
            break
        since = (batch[-1].domain, batch[-1].name)
    more = len(found) > limit
    hits = _hits(session, found[:limit])
    last = [hits[-1].event_type.domain.slug, hits[-1].event_type.name] if more else None
    return Page(hits, last)


def _check(
    session: Session,
    batch: list[search_index.Candidate],
    needle: str,
    found: list[tuple[int, list[Match]]],
    limit: int,
) -> None:
    """Add to ``found`` the candidates of ``batch`` that hold the query as written, in order,
    until it holds one more than ``limit``; their indexed texts are read a page's worth at a
    time, so a page that fills from its first candidates reads only theirs."""
    for start in range(0, len(batch), limit + 1):
        chunk = batch[start : start + limit + 1]
        texts = search_index.texts(session, [c.event_type_id for c in chunk])
        for candidate in chunk:
            fields, consumers = texts.get(candidate.event_type_id, ([], []))
            matches = _matches(candidate, fields, consumers, needle)
            if matches:
                found.append((candidate.event_type_id, matches))
                if len(found) > limit:
                    return


def _matches(
    candidate: search_index.Candidate, fields: list[str], consumers: list[str], needle: str
) -> list[Match]:
    attributes = [
        ("name", candidate.name),
        ("description", candidate.description),
        ("producer", candidate.producer),
        ("domain", candidate.domain),
        ("bus", candidate.bus),
    ]
    found = [Match(where, text) for where, text in attributes if text and needle in text.lower()]
    found += [Match("field", p) for p in fields if needle in p.lower()]
    return found + [Match("consumer", c) for c in consumers if needle in c.lower()]


def _hits(session: Session, found: list[tuple[int, list[Match]]]) -> list[Hit]:
    """The page's hits with their event types loaded, each field match with its type and
    description from the latest schema (only the documents of hits matched by a field are
    asked for, most of them from the document cache)."""
    rows = event_types_with_latest_content(session, [i for i, _ in found])
    loaded = {row[0].id: row for row in rows}
    fielded = {i for i, matches in found if any(m.where == "field" for m in matches)}
    contents = [(row[2], row[3]) for i, row in loaded.items() if i in fielded and row[2]]
    documents = schemas.of_contents(session, contents)
    hits = []
    for event_type_id, matches in found:
        event_type, version, schema_id, _fingerprint = loaded[event_type_id]
        document = documents.get(schema_id) if schema_id is not None else None
        details = field_details(document) if document is not None else {}
        described = [
            Match(m.where, m.text, *details.get(m.text, ("", ""))) if m.where == "field" else m
            for m in matches
        ]
        hits.append(Hit(event_type, version, described))
    return hits


@lru_cache(maxsize=FIELD_CACHE)
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


@lru_cache(maxsize=FIELD_CACHE)
def schema_fields(document: SchemaDocument) -> tuple[str, ...]:
    """Return the field pointers of a stored schema's document (cached: a document never
    changes, and app.services.schemas hands out one per stored schema)."""
    pointers = field_pointers(document)
    return tuple(sorted(p for p in pointers if "/0" not in p.split("/")[-1:]))
