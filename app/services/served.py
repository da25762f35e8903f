"""The hot reads (a schema by its global id, a version by number or the latest one): one
indexed statement per request says which immutable content answers it, and whether it is
still served; the rest is read from the database only when no cache holds it.

A stored content never changes (an id names one content for good), so the ``key`` of what is
served names its answer in every process and on every host sharing the database: an adapter
may keep the bytes it rendered under it. What can change, a purge, a soft delete, a newer
version, changes what the statement finds, so no cache needs telling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from app.core.errors import SchemaNotFound, VersionNotFound
from app.core.schema import SchemaDocument
from app.db.models import Schema, SchemaVersion
from app.db.queries import served as queries
from app.services import lookups, schemas, versions
from app.services.version_lifecycle import check_validates

Found = TypeVar("Found")


@dataclass(frozen=True)
class Served(Generic[Found]):
    """What a read serves: ``key`` names its immutable content (the same key, the same
    answer), ``fingerprint`` is its schema's, and ``load()`` reads the whole object, for an
    answer no cache holds."""

    key: tuple
    fingerprint: str
    load: Callable[[], Found]
    # Whether the same request is answered under this key for good (else it may come to be
    # answered otherwise, and a client revalidates).
    lasting: bool = True


def schema(session: Session, schema_id: int) -> Served[Schema]:
    """The stored content with this global id while a version uses it; key
    ``("schema", id, fingerprint, guid)``. Raises SchemaNotFound (40403), also for a purged
    one."""
    found = queries.served_content(session, schema_id)
    if found is None:
        raise SchemaNotFound(f"Schema {schema_id} not found")
    key = ("schema", schema_id, found.fingerprint, found.guid)
    return Served(key, found.fingerprint, lambda: lookups.schema_by_id(session, schema_id))


def schema_as(
    session: Session, schema_id: int, subject: str | None = None
) -> Served[tuple[Schema, lookups.Use | None]]:
    """The stored content with this global id and, with ``subject``, the version of that
    subject it is read as (Confluent's ``GET /schemas/ids/{id}?subject=``, as its deserializers
    ask: ``lookups.schema_for_subject``), else None. Without a subject it is ``schema``'s one
    statement; with one the use is looked up at once, and the key names it too: the subject's
    newest version using the id may change, so the answer is not lasting. Raises
    SchemaNotFound (40403)."""
    if subject is None:
        found = schema(session, schema_id)
        return Served(found.key, found.fingerprint, lambda: (found.load(), None))
    stored, use = lookups.schema_for_subject(session, schema_id, subject)
    named = (use.subject, use.version.id, use.version.version) if use is not None else ()
    key = ("schema", stored.id, stored.fingerprint, stored.guid, *named)
    return Served(key, stored.fingerprint, lambda: (stored, use), lasting=False)


def version(session: Session, domain: str, name: str, number: str | int) -> Served[SchemaVersion]:
    """A live version by number, or the newest live one for "latest"; its key holds everything
    that names the answer (the version's row id, number and creation time, its content's id,
    fingerprint and GUID, the event type's address). Raises what ``versions.get_version``
    raises (NotFound, VersionNotFound, InvalidVersion)."""
    found = _live(session, domain, name, number)
    if found is None:  # the precise error; or a version registered since, served as it is
        loaded = versions.get_version(session, domain, name, number)
        stored = loaded.schema
        found = queries.LiveVersion(
            loaded.id,
            loaded.version,
            loaded.created_at,
            stored.id,
            stored.fingerprint,
            stored.guid,
            loaded.lifecycle,
            loaded.deprecated_on,
            loaded.lifecycle_reason,
            loaded.successor,
        )
    key = ("version", *found, domain, name)
    return Served(key, found.fingerprint, lambda: _still_live(session, found.id, domain, name))


def version_document(
    session: Session, domain: str, name: str, number: str | int, validating: bool = False
) -> tuple[int, SchemaDocument]:
    """A live version's number and the document of its schema (cached with its compiled
    validator; read from the database only when this process has not built it yet). Raises
    what ``version`` raises; ``validating``, NotPermitted for a retired version
    (app.services.version_lifecycle.check_validates)."""
    found = _live(session, domain, name, number)
    if found is not None:
        if validating:
            check_validates(f"{domain}.{name}", found.version, found.lifecycle, found.successor)
        document = schemas.cached(found.schema_id, found.fingerprint)
        if document is not None:
            return found.version, document
    loaded = versions.get_version(session, domain, name, number)
    if validating:
        check_validates(f"{domain}.{name}", loaded.version, loaded.lifecycle, loaded.successor)
    return loaded.version, schemas.of_version(loaded)


def _live(
    session: Session, domain: str, name: str, number: str | int
) -> queries.LiveVersion | None:
    wanted = None if number == "latest" else versions.version_number(number)
    return queries.live_version(session, domain, name, wanted)


def _still_live(session: Session, row: int, domain: str, name: str) -> SchemaVersion:
    # Soft-deleted between the two statements (rare): not what the key names, so not served.
    loaded = session.get(SchemaVersion, row)
    if loaded is None or loaded.deleted_at is not None:
        raise VersionNotFound(f"{domain}.{name}: that version was deleted just now")
    return loaded
