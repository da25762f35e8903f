"""Registering schema versions: meta-schema check, deduplication, compatibility, numbering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.contract import Contract
from app.core.errors import (
    AlreadyDeleted,
    Conflict,
    InvalidVersion,
    NotFound,
    NotPermitted,
    NotSoftDeleted,
    VersionNotFound,
)
from app.core.schema import SchemaDocument
from app.core.schema.messages import show
from app.core.vocabulary import MAX_NUMBER, Mode, check_fields, whole_number
from app.db.base import utcnow
from app.db.engine import locks_rows
from app.db.models import EventType, Schema, SchemaVersion
from app.db.queries import dependents
from app.db.queries import schemas as schema_queries
from app.db.queries import subjects as subject_queries
from app.services import (
    audit,
    authz,
    catalog,
    contents,
    field_index,
    lifecycle,
    lookups,
    modes,
    notifications,
    schemas,
    subjects,
)
from app.services.catalog import get_event_type
from app.services.changes import unless_forced
from app.services.compatibility import (
    Verdict,
    compared,
    compatibility_group,
    effective_config,
    judge,
    with_impact,
)
from app.services.transaction import atomic
from app.services.views import version_view


@dataclass(frozen=True)
class Registration:
    """The outcome of a registration: the version, and whether it was created just now."""

    version: SchemaVersion
    created: bool
    document: SchemaDocument

    @property
    def warnings(self) -> list[dict[str, str]]:
        """Keywords the schema's dialect ignores, each ``{"pointer", "message"}``."""
        return [warning.to_dict() for warning in self.document.warnings]


def register_version(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    schema: Any,
    note: str = "",
    author: str = "",
    contract: Contract | None = None,
    wanted: Wanted | None = None,
    landing: str | None = None,
    subject: str | None = None,
) -> Registration:
    """Register a schema (raw JSON) as the event type's next version, or return the identical
    live one. The schema is checked and parsed once. ``contract`` carries Confluent's
    references, metadata and rule set; ``wanted`` an explicit schema id and version number
    (IMPORT mode only, which also skips the compatibility check); ``landing`` the landing
    domain of new Confluent subjects, where every team may register; ``subject`` the
    Confluent subject the client named, which mode errors name.

    On PostgreSQL most registrations meet no concurrent writer of their event type: its row
    lock is taken without waiting and the document judged once, under it. One that finds the
    lock held, and every one on SQLite (whose write transaction locks the whole database),
    judges the document (compatibility and the sample evidence) before waiting for the lock, so
    no transaction waits on a judgement; under the lock the live versions' numbers and content
    fingerprints, the samples and the level are read again, and the document judged again
    (against only the versions its level compares) if a concurrent write changed them since.
    Either way the verdict that counts is made on what is there under the lock: numbers stay
    gapless and no registration slips past the check.

    Raises NotFound (no such event type), Forbidden (not the domain's owner),
    InvalidSchemaInput (not a valid JSON Schema: every problem with its pointer; a reference
    that names nothing), InvalidInput (a note or author with control characters; a schema
    beyond the limits), NotPermitted (READONLY mode; a retired event type outside IMPORT;
    explicit ids outside IMPORT; an id that holds other content) and Conflict (incompatible
    under the event type's level and policy, or a stored sample breaks: the verdict in
    ``compatibility``).
    """
    check_fields({"note": note, "author": author})
    contract = contract or Contract()
    references = contents.referenced(session, contract)
    document = schemas.stored_meaning(session, schemas.checked(schema, references=references))
    asked = _Asked(actor, document, contract, wanted or Wanted(), note, author, landing, subject)
    if locks_rows(session):
        with atomic(session):
            event_type = catalog.event_type_if_free(session, domain, name)
            if event_type is not None:
                importing = _admitted(session, event_type, asked)
                return _under_lock(session, event_type, asked, importing)
    # Another registration holds the lock, or SQLite (or no such event type: NotFound here).
    event_type = get_event_type(session, domain, name)
    importing = _admitted(session, event_type, asked)
    judged = None if importing else _judgement(session, event_type, document, contract)
    with atomic(session):
        session.expire_all()  # what was read before the lock may have changed since
        event_type = get_event_type(session, domain, name, lock=True)
        authz.registrar(actor, event_type.domain, landing)
        return _under_lock(session, event_type, asked, importing, judged)


@dataclass(frozen=True)
class _Asked:
    """A registration as asked: who, the checked document and its contract, the explicit ids,
    the note and author, the landing domain and the subject named."""

    actor: Actor
    document: SchemaDocument
    contract: Contract
    wanted: Wanted
    note: str
    author: str
    landing: str | None
    subject: str | None


def _admitted(session: Session, event_type: EventType, asked: _Asked) -> bool:
    """Check that the actor may register here now; whether it is an import (IMPORT mode).
    Raises Forbidden, NotPermitted."""
    authz.registrar(asked.actor, event_type.domain, asked.landing)
    mode = modes.check_write(session, event_type, asked.wanted.given, asked.subject)
    importing = mode is Mode.IMPORT
    if not importing:  # an import restores history, a retired event's included
        lifecycle.check_takes_versions(event_type, asked.subject)
    return importing


def _under_lock(
    session: Session,
    event_type: EventType,
    asked: _Asked,
    importing: bool,
    judged: tuple[tuple, Verdict] | None = None,
) -> Registration:
    """The registration's part under the event type's lock: the identical live version if
    there is one, else the document judged (unless ``judged`` before the lock on what is
    still there) and stored as the next version. Raises NotPermitted, Conflict."""
    document, contract = asked.document, asked.contract
    rows = schema_queries.live_rows(session, event_type.id)
    existing = _identical(session, rows, contract.fingerprint(document))
    if existing is not None and asked.wanted.version in (None, existing.version):
        return Registration(existing, False, schemas.of_version(existing))
    if not importing:
        lifecycle.check_takes_versions(event_type, asked.subject)
        if judged is None or judged[0] != _judged_state(session, event_type, rows, contract):
            # Judged under the lock only, or a concurrent registration, sample or setting
            # changed what was judged before it.
            judged = _judgement(session, event_type, document, contract, rows)
        _refuse_if_incompatible(session, event_type, judged[1])
    version = _store(session, event_type, asked)
    return Registration(version, True, document)


def register_under_subject(
    session: Session,
    actor: Actor,
    subject: str,
    schema: Any,
    contract: Contract,
    wanted: Wanted | None = None,
    placement: subjects.Placement | None = None,
) -> Registration:
    """Register a schema under a Confluent subject: the subject's event type found, or bound
    and created (app.services.subjects) in the same transaction as the registration, then
    registered as ``register_version`` does. Raises what those raise."""
    placement = placement or subjects.Placement()
    landing = placement.domain
    try:
        known = subjects.find(session, subject)
    except NotFound:
        known = None
    if known is not None:
        domain, name = known.domain.slug, known.name
        return register_version(
            session, actor, domain, name, schema, "", "", contract, wanted, landing, subject
        )
    # A new subject: binding it, creating its event type and registering the first version
    # are one transaction, so a refused registration (schema, ownership, mode) binds nothing.
    with atomic(session):
        event_type = subjects.for_registration(session, actor, subject, schema, placement)
        domain, name = event_type.domain.slug, event_type.name
        return register_version(
            session, actor, domain, name, schema, "", "", contract, wanted, landing, subject
        )


@dataclass(frozen=True)
class Wanted:
    """An explicit schema id and version number, as an import from another registry gives
    them (Confluent's IMPORT mode); None lets the registry choose."""

    schema_id: int | None = None
    version: int | None = None

    @property
    def given(self) -> bool:
        """Whether either is explicit."""
        return self.schema_id is not None or self.version is not None


def _judgement(
    session: Session,
    event_type: EventType,
    document: SchemaDocument,
    contract: Contract,
    rows: list[Any] | None = None,
) -> tuple[tuple, Verdict] | None:
    """The verdict on the document against the live versions the level compares and the
    samples, with the state it was judged on; None when an identical live version makes a
    verdict needless. ``rows``: the live versions as ``schema_queries.live_rows`` gives them."""
    if rows is None:
        rows = schema_queries.live_rows(session, event_type.id)
    if any(row[3] == contract.fingerprint(document) for row in rows):
        return None
    state = _judged_state(session, event_type, rows, contract)
    previous = compared(session, event_type, rows, contract)
    return state, judge(session, event_type, document, previous=previous)


def _judged_state(
    session: Session, event_type: EventType, rows: list[Any], contract: Contract
) -> tuple:
    # Everything a verdict depends on: the live versions' content, the samples (which are never
    # edited, only added and deleted), the level and policy and the group that apply.
    versions = tuple((row[1], row[3]) for row in rows)
    samples = tuple(sorted(s.id for s in event_type.samples if s.expect_valid))
    group = compatibility_group(session, event_type)
    config = (effective_config(session, event_type), group, contract.group_value(group))
    return versions, samples, config


def _identical(session: Session, rows: list[Any], identity: str) -> SchemaVersion | None:
    """The oldest live version with this content identity, loaded with its schema; or None."""
    row = next((row for row in rows if row[3] == identity), None)
    if row is None:
        return None
    return schema_queries.versions_with_schema(session, [row[0]])[0]


def _refuse_if_incompatible(session: Session, event_type: EventType, verdict: Verdict) -> None:
    """Raise Conflict for an incompatible verdict; its ``compatibility`` names the consumers
    each difference touches, as every compatibility answer does."""
    if not verdict.compatible:
        body = with_impact(session, event_type, verdict).to_dict()
        raise Conflict(verdict.summary(), body["differences"], compatibility=body)


def _store(session: Session, event_type: EventType, asked: _Asked) -> SchemaVersion:
    actor, document, contract, wanted = asked.actor, asked.document, asked.contract, asked.wanted
    note, author = asked.note, asked.author
    stored = contents.store(session, document, contract, wanted.schema_id)
    number = wanted.version or event_type.last_version + 1
    # A number the registry chooses is above every number given (every stored version raises
    # last_version, an import's and a restore's too; migration 0003 set it): only an explicit
    # one can be taken already.
    taken = schema_queries.version(session, event_type.id, number) if wanted.version else None
    if taken is not None:
        if taken.schema_id == stored.id:
            return taken
        raise NotPermitted(
            f"version {number} of {event_type.domain.slug}.{event_type.name} exists with other "
            "content"
        )
    event_type.last_version = max(event_type.last_version, number)
    version = SchemaVersion(
        event_type=event_type,
        version=number,
        schema=stored,
        note=note,
        author=author or actor.name,
    )
    session.add(version)
    session.flush()
    field_index.index_version(session, version, document)
    after = version_view(version)
    target = version_target(event_type, version)
    audit.record(session, actor.name, "version.register", target, after=after)
    notifications.version_registered(session, event_type, version)
    return version


def version_target(event_type: EventType, version: SchemaVersion) -> str:
    """A version's audit target: event:domain.Name/versions/n."""
    return f"event:{event_type.domain.slug}.{event_type.name}/versions/{version.version}"


def get_version(
    session: Session, domain: str, name: str, number: str | int, deleted: bool = False
) -> SchemaVersion:
    """Return a live version by number, or the latest live one for 'latest'; with
    ``deleted`` soft-deleted versions count too. Raises VersionNotFound, InvalidVersion."""
    event_type = get_event_type(session, domain, name)
    if deleted:
        live = subject_queries.all_versions(session, event_type.id)
    else:
        live = schema_queries.live_versions(session, event_type.id)
    if number == "latest":
        if not live:
            raise VersionNotFound(f"{domain}.{name} has no versions yet")
        return live[-1]
    wanted = version_number(number)
    for version in live:
        if version.version == wanted:
            return version
    raise VersionNotFound(f"{domain}.{name} has no live version {wanted}")


def delete_version(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    number: str | int,
    permanent: bool,
    subject: str | None = None,
    force: bool = False,
) -> SchemaVersion:
    """Soft-delete a version; a permanent delete (admin only) removes a soft-deleted one.
    ``subject``: the Confluent subject the client named, which mode errors name. A version
    consumers use (they declare it, or it is the latest live one and they follow the latest) is
    refused (Conflict naming them) unless ``force``d by an admin (Forbidden otherwise)."""
    wanted = version_number(number)
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        modes.check_write(session, event_type, subject=subject)
        version = schema_queries.version(session, event_type.id, wanted)
        if version is None:
            raise VersionNotFound(f"{domain}.{name} has no version {wanted}")
        target = version_target(event_type, version)
        live = schema_queries.live_versions(session, event_type.id)
        latest = bool(live) and live[-1].version == wanted
        pinned = dependents.of_version(session, event_type.id, wanted, latest)
        what = f"version {wanted} of {domain}.{name}"
        before = {**version_view(version), **unless_forced(actor, what, pinned, force)}
        if permanent:
            authz.admin(actor, "delete versions permanently")
            if version.deleted_at is None:
                raise NotSoftDeleted(
                    f"version {wanted} is live: soft-delete it before deleting it permanently",
                    "version",
                )
            subjects.refuse_if_referenced(session, actor, version)
            session.delete(version)
            audit.record(session, actor.name, "version.purge", target, before, None)
            return version
        if version.deleted_at is not None:
            raise AlreadyDeleted(
                f"version {wanted} of {domain}.{name} is deleted already", "version"
            )
        version.deleted_at = utcnow()
        session.flush()
        audit.record(session, actor.name, "version.delete", target, before, version_view(version))
    return version


def get_schema(session: Session, schema_id: int) -> Schema:
    """Return a stored schema by its global id. Raises SchemaNotFound."""
    return lookups.schema_by_id(session, schema_id)


def version_number(number: str | int) -> int:
    """A version number as a URL or a body gives it. Raises InvalidVersion (422)."""
    text = str(number)
    wanted = whole_number(text)
    if wanted is None:
        raise InvalidVersion(
            f'a version is a whole number from 1 to {MAX_NUMBER}, or "latest" (got {show(text)})'
        )
    return wanted
