"""Stored contents: one row per content identity (schema, references, metadata, rule set),
with its GUID, its references to other versions, and explicit ids when importing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.contract import Contract
from app.core.errors import InvalidSchemaInput, NotFound, NotPermitted
from app.core.schema import Reference, SchemaDocument
from app.db.models import Schema, SchemaReference, SchemaVersion
from app.db.queries import schemas as schema_queries
from app.db.queries import subjects as subject_queries
from app.services import schemas, subjects


def referenced(session: Session, contract: Contract) -> tuple[Reference, ...]:
    """Resolve a contract's references to the registered versions they name (version -1: the
    latest live one), each with its document.

    Raises InvalidSchemaInput (Confluent's 42201) naming a reference whose subject or version
    does not exist. References cannot loop: each names a version registered before."""
    found = []
    for at, reference in enumerate(contract.references):
        version = _version_named(session, reference, at)
        document = schemas.of_version(version)
        found.append(Reference(reference["name"], reference["subject"], version.version, document))
    return tuple(found)


def referenced_versions(session: Session, contract: Contract) -> list[SchemaVersion]:
    """The version rows a contract's references name, in order (see ``referenced``)."""
    return [_version_named(session, each, at) for at, each in enumerate(contract.references)]


def _version_named(session: Session, reference: dict, at: int) -> SchemaVersion:
    subject, number = reference["subject"], reference["version"]
    try:
        event_type = subjects.find(session, subject)
    except NotFound:
        raise InvalidSchemaInput(
            f"references/{at}: no subject {subject!r} to resolve {reference['name']!r}"
        ) from None
    every = subject_queries.all_versions(session, event_type.id)
    if number == -1:
        live = [each for each in every if each.deleted_at is None]
        if live:
            return live[-1]
    else:
        for each in every:
            if each.version == number:
                return each
    raise InvalidSchemaInput(
        f"references/{at}: subject {subject!r} has no version {number} to resolve "
        f"{reference['name']!r}"
    )


def store(
    session: Session,
    document: SchemaDocument,
    contract: Contract,
    wanted_id: int | None = None,
) -> Schema:
    """Return the stored content of this identity, inserting it (with its references) if
    absent; ``wanted_id`` (IMPORT mode) gives a new content that global id.

    Raises NotPermitted (42205) when ``wanted_id`` holds other content, or the content has
    another id already."""
    identity = contract.fingerprint(document)
    if wanted_id is not None:
        _check_wanted_id(session, identity, wanted_id)
    stored = schema_queries.stored_schema(
        session,
        document.canonical,
        identity,
        document.dialect.value,
        metadata=contract.metadata,
        rule_set=contract.rule_set,
        schema_id=wanted_id,
    )
    if wanted_id is not None:
        schema_queries.advance_schema_ids(session)
    schemas.keep_stored(stored, document)
    if contract.references and not stored.references:
        for position, version in enumerate(referenced_versions(session, contract)):
            reference = contract.references[position]
            stored.references.append(
                SchemaReference(
                    position=position,
                    name=reference["name"],
                    subject=reference["subject"],
                    version=version.version,
                    version_id=version.id,
                )
            )
        session.flush()
    return stored


def _check_wanted_id(session: Session, identity: str, wanted_id: int) -> None:
    if wanted_id < 1:
        raise NotPermitted(f"a schema id is a whole number from 1 (got {wanted_id})")
    holder = session.get(Schema, wanted_id)
    if holder is not None and holder.fingerprint != identity:
        raise NotPermitted(f"Overwrite new schema with id {wanted_id} is not permitted.")
    same = schema_queries.schema_by_fingerprint(session, identity)
    if same is not None and same.id != wanted_id:
        raise NotPermitted(
            f"the same schema is stored with id {same.id} already; it cannot take id {wanted_id}"
        )
