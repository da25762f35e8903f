"""Schema documents for the services: new input checked once, stored schemas parsed once.

Stored schemas never change (a schema id names one content forever), so their documents, and
the compiled validators they carry, are kept in a bounded cache keyed by id and fingerprint.
"""

from __future__ import annotations

from threading import Lock
from typing import Any

from cachetools import LRUCache
from sqlalchemy.orm import Session

from app.core import limits
from app.core.analysis.fields import flatten_schema
from app.core.errors import InvalidSchemaInput
from app.core.schema import Dialect, InvalidSchema, Reference, SchemaDocument
from app.core.words import counted
from app.db.models import Schema, SchemaVersion
from app.db.queries import schemas as schema_queries

CACHED_DOCUMENTS = 2048


def checked(
    raw: Any,
    which: str = "",
    default: Dialect | None = None,
    references: tuple[Reference, ...] = (),
) -> SchemaDocument:
    """Check a schema sent by a user and return its document.

    Raises InvalidInput (422) listing every problem with its JSON pointer; ``which`` ("old",
    "new") names the schema in the message and in each problem when a request carries two.
    ``default`` is the dialect of a schema without ``$schema`` when not the registry's own (an
    import keeps the one the exporting registry decided). ``references`` are the registered
    versions its ``$ref``s may name (Confluent's references, resolved by app.services.contents).
    """
    try:
        document = SchemaDocument.checked(raw, default, references)
    except InvalidSchema as error:
        label = f"the {which} schema" if which else "the schema"
        problems = [
            {**problem.to_dict(), **({"schema": which} if which else {})}
            for problem in error.problems
        ]
        raise InvalidSchemaInput(
            f"{label} is not a valid JSON Schema ({counted(len(problems), 'problem')}): "
            f"{error.problems[0].message}",
            problems,
        ) from None
    # Every page and analysis walks the schema's fields through its references: one walk now,
    # within the work budget, refuses a schema whose references fan out beyond it (422) before
    # it is stored, so whatever is stored can be shown.
    with limits.budget():
        flatten_schema(document, unwrap_envelope=False)
    return document


def stored_meaning(session: Session, document: SchemaDocument) -> SchemaDocument:
    """The document as the registry already stores its content, when it does: a schema without
    ``$schema`` keeps the dialect decided when its content was first stored, even if the default
    has changed since (one content, one schema id, one meaning)."""
    if document.declared:
        return document
    stored = schema_queries.schema_by_fingerprint(session, document.fingerprint)
    if stored is None or stored.dialect == document.dialect.value:
        return document
    return of_schema(stored)


def trusted(raw: Any) -> SchemaDocument:
    """Return the document of a schema Eventry ships itself (request bodies, file formats)."""
    return SchemaDocument.trusted(raw)


def from_registry(raw: Any, dialect: str | None) -> SchemaDocument:
    """Return the document of a schema a registry served with the dialect it was stored in
    (``None``: an older server that does not say; the default dialect is assumed)."""
    return SchemaDocument.trusted(raw, Dialect(dialect) if dialect else None)


def of_schema(schema: Schema) -> SchemaDocument:
    """Return the document of a stored schema, with the documents of the versions it
    references (cached: stored content never changes)."""
    found = cached(schema.id, schema.fingerprint)
    if found is not None:
        return found
    references = tuple(
        Reference(each.name, each.subject, each.version, of_version(each.target))
        for each in schema.references
    )
    return _stored(schema.id, schema.fingerprint, schema.canonical, schema.dialect, references)


def of_contents(session: Session, contents: list[tuple[int, str]]) -> dict[int, SchemaDocument]:
    """The documents of stored contents given as ``(schema id, fingerprint)``, by id: those this
    process holds from its cache, the others loaded in one statement (with their references)."""
    found = {schema_id: cached(schema_id, fingerprint) for schema_id, fingerprint in contents}
    missing = [schema_id for schema_id, document in found.items() if document is None]
    for schema in schema_queries.schemas_with_references(session, missing):
        found[schema.id] = of_schema(schema)
    return {schema_id: document for schema_id, document in found.items() if document is not None}


def keep_stored(schema: Schema, document: SchemaDocument) -> None:
    """Keep the document of content just stored from ``document`` (one without references), as
    reading it back would make it, when the content is stored in the document's dialect: the
    search index's row and the event type's next judgement then read it with no statement."""
    if document.references or schema.dialect != document.dialect.value:
        return
    _stored(schema.id, schema.fingerprint, document.canonical, schema.dialect)


def cached(schema_id: int, fingerprint: str) -> SchemaDocument | None:
    """The document of a stored content when this process holds it already, else None."""
    with _lock:
        return _cache.get((schema_id, fingerprint))


def of_version(version: SchemaVersion) -> SchemaDocument:
    """Return the document of a schema version."""
    return of_schema(version.schema)


# cachetools' LRU: a read moves an entry to the front, the least recently used goes first.
_cache: LRUCache[tuple[int, str], SchemaDocument] = LRUCache(maxsize=CACHED_DOCUMENTS)
_lock = Lock()


def _stored(
    schema_id: int,
    fingerprint: str,
    canonical: str,
    dialect: str,
    references: tuple[Reference, ...] = (),
) -> SchemaDocument:
    # Keyed by id and fingerprint, never by the (long) canonical text; the fingerprint keeps two
    # databases that reuse an id (tests, a restored backup) from sharing an entry.
    found = cached(schema_id, fingerprint)
    if found is not None:
        return found
    document = SchemaDocument.stored(canonical, Dialect(dialect), references)
    with _lock:
        _cache[(schema_id, fingerprint)] = document
    return document
