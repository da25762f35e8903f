"""Reading the registry by subject and by global schema id: the reads Confluent's clients
make (versions of a subject, where a schema id is used, which schemas reference a version).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.canonical import CanonicalJSONError, canonical_json
from app.core.confluent_words import version_id
from app.core.contract import Contract
from app.core.errors import (
    InvalidInput,
    InvalidSchemaInput,
    NotFound,
    SchemaNotFound,
    VersionNotFound,
)
from app.core.subjects import parse_subject
from app.db.models import EventType, Schema, SchemaVersion
from app.db.queries import catalog as catalog_queries
from app.db.queries import subjects as subject_queries
from app.services import contents, schemas, subjects


@dataclass(frozen=True)
class Use:
    """One version that uses a schema, under the subject name it answers to."""

    subject: str
    version: SchemaVersion


def versions_of(session: Session, subject: str, deleted: bool = False) -> list[SchemaVersion]:
    """The subject's versions, oldest first: live ones, or every one with ``deleted``.
    Raises NotFound (40401) when there are none."""
    event_type = subjects.find(session, subject)
    every = subject_queries.all_versions(session, event_type.id)
    found = every if deleted else [each for each in every if each.deleted_at is None]
    if not found:
        raise NotFound(f"Subject '{subject}' not found.")
    return found


def version_of(session: Session, subject: str, number: str, deleted: bool = False) -> SchemaVersion:
    """The subject's version ``number`` ("latest" and -1: the newest live one). Raises
    NotFound (40401), VersionNotFound (40402) and InvalidVersion (42202)."""
    wanted = version_id(number)
    found = versions_of(session, subject, deleted or wanted is not None)
    if wanted is None:
        live = [each for each in found if each.deleted_at is None]
        if not live:
            raise VersionNotFound(f"Version latest not found for subject '{subject}'.")
        return live[-1]
    for each in found:
        if each.version == wanted and (deleted or each.deleted_at is None):
            return each
    raise VersionNotFound(f"Version {wanted} not found.")


def find_content(
    session: Session, subject: str, schema: Any, contract: Contract, deleted: bool = False
) -> SchemaVersion:
    """The subject's version holding exactly this content (schema, references, metadata and
    rule set; compared by fingerprint, so key order and spacing do not matter): Confluent's
    ``POST /subjects/{subject}``. Raises NotFound (40401), SchemaNotFound (40403) and
    InvalidSchemaInput (42201).

    A lookup without references of a schema whose ``$ref``s need them (clients such as
    @kafkajs/confluent-schema-registry never send them) matches a version by its schema text
    alone, the metadata and rule set sent included."""
    candidates = list(reversed(versions_of(session, subject, deleted)))
    try:
        document = schemas.checked(schema, references=contents.referenced(session, contract))
    except InvalidSchemaInput:
        if contract.references:
            raise
        found = _same_text(candidates, schema, contract)
        if found is None:
            raise
        return found
    identity = contract.fingerprint(document)
    for version in candidates:
        if version.schema.fingerprint == identity:
            return version
    raise SchemaNotFound("Schema not found")


def _same_text(
    candidates: list[SchemaVersion], schema: Any, contract: Contract
) -> SchemaVersion | None:
    try:
        text = canonical_json(schema)
    except CanonicalJSONError:
        return None
    for version in candidates:
        stored = version.schema
        if stored.canonical == text and (stored.contract_metadata, stored.rule_set) == (
            contract.metadata,
            contract.rule_set,
        ):
            return version
    return None


def topic_subjects(session: Session, topic: str) -> list[str]:
    """The subject that the event type on the bus named ``topic`` answers to, when exactly
    one event type with versions travels on it (Confluent's associations of a topic: its
    one value subject); [] when several or none do. Raises NotFound when no bus has that
    name."""
    bus = catalog_queries.bus_by_slug(session, topic)
    if bus is None:
        raise NotFound(f"no bus or topic is named {topic!r}")
    on_bus = [row[0] for row in subject_queries.with_versions(session) if row[0].bus_id == bus.id]
    if len(on_bus) != 1:
        return []
    names = subjects.subject_names(session, on_bus)[on_bus[0].id]
    preferred = f"{topic}-value"
    return [preferred if preferred in names else names[0]]


def schema_by_id(session: Session, schema_id: int) -> Schema:
    """The stored content with this global id, while a version (live or soft-deleted) uses
    it. Raises SchemaNotFound (40403), also once every version using it was permanently
    deleted, as Confluent answers for a hard-deleted schema; the id stays taken."""
    stored = session.get(Schema, schema_id)
    if stored is None or not subject_queries.schema_in_use(session, stored.id):
        raise SchemaNotFound(f"Schema {schema_id} not found")
    return stored


def schema_for_subject(
    session: Session, schema_id: int, subject: str | None
) -> tuple[Schema, Use | None]:
    """The stored content with this global id, and with ``subject`` the version it is read
    as (Confluent's ``GET /schemas/ids/{id}?subject=``, as its deserializers ask): the newest
    version of that subject's event type using it; else, for a subject in a context
    (``:.orders:…``), SchemaNotFound (40403: Confluent looks ids up in the subject's context
    only); else any use of the id, as Confluent falls back to its default context. Source:
    AbstractSchemaRegistry.getSchemaKeyUsingContexts, InMemoryCache.schemaKeyById.
    Raises SchemaNotFound."""
    stored = schema_by_id(session, schema_id)
    if subject is None:
        return stored, None
    uses = uses_of(session, schema_id, None, deleted=True)
    try:
        name = parse_subject(subject)
    except InvalidInput:
        return stored, uses[0] if uses else None  # no subject a client could use: any use
    event_type = subject_queries.named_event_type(session, name.key, name.direct)
    own = [
        use for use in uses if event_type is not None and use.version.event_type_id == event_type.id
    ]
    if own:
        return stored, Use(subject, max(own, key=lambda use: use.version.version).version)
    if name is not None and name.context is not None:
        raise SchemaNotFound(f"Schema {schema_id} not found in subject '{subject}'")
    return stored, uses[0] if uses else None


def schema_by_guid(session: Session, guid: str) -> Schema:
    """The stored content with this GUID, as ``schema_by_id``. Raises SchemaNotFound."""
    stored = subject_queries.schema_by_guid(session, guid)
    if stored is None or not subject_queries.schema_in_use(session, stored.id):
        raise SchemaNotFound(f"Schema {guid} not found")
    return stored


def uses_of(
    session: Session, schema_id: int, subject: str | None = None, deleted: bool = False
) -> list[Use]:
    """Every (subject, version) that uses the schema, live ones unless ``deleted``, limited to
    one subject when given. Raises SchemaNotFound (40403) for an unknown id."""
    schema_by_id(session, schema_id)
    versions = subject_queries.versions_of_schema(session, schema_id)
    versions = [each for each in versions if deleted or each.deleted_at is None]
    names = subjects.subject_names(session, _event_types(versions))
    uses = [Use(name, each) for each in versions for name in names[each.event_type_id]]
    if subject is not None:
        uses = [use for use in uses if use.subject == subject]
    return uses


def latest_uses(
    session: Session, prefix: str = "", latest_only: bool = False, deleted: bool = False
) -> list[Use]:
    """Every subject's versions (or its latest live one, ``latest_only``) whose subject starts
    with ``prefix``, by subject and version: Confluent's ``GET /schemas``."""
    rows = subject_queries.with_versions(session)
    names = subjects.subject_names(session, [event_type for event_type, _, _ in rows])
    found = []
    for event_type, _, _ in rows:
        wanted = [name for name in names[event_type.id] if name.startswith(prefix)]
        if not wanted:
            continue
        every = subject_queries.all_versions(session, event_type.id)
        kept = [each for each in every if deleted or each.deleted_at is None]
        if latest_only:
            kept = [each for each in kept if each.deleted_at is None][-1:]
        found += [Use(name, each) for name in wanted for each in kept]
    return sorted(found, key=lambda use: (use.subject, use.version.version))


def referenced_by(session: Session, subject: str, number: str) -> list[int]:
    """The global ids of the schemas that reference the subject's version, ascending."""
    version = version_of(session, subject, number, deleted=True)
    users = subject_queries.referencing_versions(session, version.id)
    return sorted({each.schema_id for each in users})


def _event_types(versions: list[SchemaVersion]) -> list[EventType]:
    unique = {each.event_type_id: each.event_type for each in versions}
    return list(unique.values())


def latest_with_metadata(
    session: Session, subject: str, wanted: dict[str, str], deleted: bool = False
) -> SchemaVersion:
    """The subject's newest version whose metadata ``properties`` hold every wanted key with
    its value (Confluent's ``GET /subjects/{s}/metadata``). Raises NotFound (40401) and
    VersionNotFound (40402)."""
    for version in reversed(versions_of(session, subject, deleted)):
        metadata = version.schema.contract_metadata or {}
        properties = metadata.get("properties") if isinstance(metadata, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        if all(properties.get(key) == value for key, value in wanted.items()):
            return version
    raise VersionNotFound(f"No version of subject '{subject}' has that metadata")
