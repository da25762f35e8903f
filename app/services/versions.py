"""Registering schema versions: meta-schema check, deduplication, compatibility, numbering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.schema import SchemaDocument
from app.core.schema.messages import show
from app.core.version_diff import diff_versions
from app.core.vocabulary import check_fields
from app.db.base import utcnow
from app.db.models import EventType, Schema, SchemaVersion
from app.db.queries import catalog as catalog_queries
from app.db.queries import schemas as schema_queries
from app.services import audit, authz, schemas
from app.services.catalog import get_event_type
from app.services.compatibility import Verdict, effective_config, judge
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
) -> Registration:
    """Register a schema (raw JSON) as the event type's next version, or return the identical
    live one. The schema is checked and parsed once.

    The compatibility check and the sample evidence run before the event type is locked, so no
    transaction waits on them; under the lock the live versions, samples and level are read
    again, and judged again only if a concurrent write changed them since: numbers stay
    gapless and no registration slips past the check.

    Raises NotFound (no such event type), Forbidden (not the domain's owner), InvalidInput (not
    a valid JSON Schema: every problem with its pointer; a note or author with control
    characters; a schema beyond the limits) and Conflict (incompatible under the event type's
    level and policy, or a stored sample breaks: the verdict in ``compatibility``).
    """
    check_fields({"note": note, "author": author})
    document = schemas.stored_meaning(session, schemas.checked(schema))
    event_type = get_event_type(session, domain, name)
    authz.domain_owner(actor, event_type.domain)
    judged = _judgement(session, event_type, document)
    with atomic(session):
        session.expire_all()  # what was read before the lock may have changed since
        event_type = catalog_queries.lock_event_type(
            session, get_event_type(session, domain, name).id
        )
        authz.domain_owner(actor, event_type.domain)
        live = schema_queries.live_versions(session, event_type.id)
        existing = _identical(live, document)
        if existing is not None:
            return Registration(existing, False, schemas.of_version(existing))
        if judged is None or judged[0] != _judged_state(session, event_type, live):
            # Rare: a concurrent registration, sample or setting changed what was judged.
            judged = _judgement(session, event_type, document, live)
        _refuse_if_incompatible(judged[1])
        version = _store(session, actor, event_type, document, note, author)
    return Registration(version, True, document)


def _judgement(
    session: Session,
    event_type: EventType,
    document: SchemaDocument,
    live: list[SchemaVersion] | None = None,
) -> tuple[tuple, Verdict] | None:
    """The verdict on the document against the live versions and samples, with the state it
    was judged on; None when an identical live version makes a verdict needless."""
    if live is None:
        live = schema_queries.live_versions(session, event_type.id)
    if _identical(live, document) is not None:
        return None
    state = _judged_state(session, event_type, live)
    return state, judge(session, event_type, document, live=live)


def _judged_state(session: Session, event_type: EventType, live: list[SchemaVersion]) -> tuple:
    # Everything a verdict depends on: the live versions' content, the samples (which are never
    # edited, only added and deleted) and the level and policy that apply.
    versions = tuple((v.version, v.schema.fingerprint) for v in live)
    samples = tuple(sorted(s.id for s in event_type.samples if s.expect_valid))
    return versions, samples, effective_config(session, event_type)


def _identical(live: list[SchemaVersion], document: SchemaDocument) -> SchemaVersion | None:
    return next((v for v in live if v.schema.fingerprint == document.fingerprint), None)


def _refuse_if_incompatible(verdict: Verdict) -> None:
    if not verdict.compatible:
        body = verdict.to_dict()
        raise Conflict(verdict.summary(), body["differences"], compatibility=body)


def _store(
    session: Session,
    actor: Actor,
    event_type: EventType,
    document: SchemaDocument,
    note: str,
    author: str,
) -> SchemaVersion:
    stored = schema_queries.stored_schema(
        session, document.canonical, document.fingerprint, document.dialect.value
    )
    event_type.last_version += 1
    version = SchemaVersion(
        event_type=event_type,
        version=event_type.last_version,
        schema=stored,
        note=note,
        author=author or actor.name,
    )
    session.add(version)
    session.flush()
    after = version_view(version)
    audit.record(session, actor.name, "version.register", _target(event_type, version), after=after)
    return version


def _target(event_type: EventType, version: SchemaVersion) -> str:
    return f"event:{event_type.domain.slug}.{event_type.name}/versions/{version.version}"


def get_version(session: Session, domain: str, name: str, number: str | int) -> SchemaVersion:
    """Return a live version by number, or the latest live one for 'latest'."""
    event_type = get_event_type(session, domain, name)
    live = schema_queries.live_versions(session, event_type.id)
    if number == "latest":
        if not live:
            raise NotFound(f"{domain}.{name} has no versions yet")
        return live[-1]
    wanted = _version_number(number)
    for version in live:
        if version.version == wanted:
            return version
    raise NotFound(f"{domain}.{name} has no live version {wanted}")


def delete_version(
    session: Session, actor: Actor, domain: str, name: str, number: str | int, permanent: bool
) -> SchemaVersion:
    """Soft-delete a version; a permanent delete (admin only) removes a soft-deleted one."""
    wanted = _version_number(number)
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        version = schema_queries.version(session, event_type.id, wanted)
        if version is None:
            raise NotFound(f"{domain}.{name} has no version {wanted}")
        target = _target(event_type, version)
        before = version_view(version)
        if permanent:
            authz.admin(actor, "delete versions permanently")
            if version.deleted_at is None:
                raise Conflict(
                    f"version {wanted} is live: soft-delete it before deleting it permanently"
                )
            session.delete(version)
            audit.record(session, actor.name, "version.purge", target, before, None)
            return version
        if version.deleted_at is not None:
            raise Conflict(f"version {wanted} of {domain}.{name} is deleted already")
        version.deleted_at = utcnow()
        session.flush()
        audit.record(session, actor.name, "version.delete", target, before, version_view(version))
    return version


def get_schema(session: Session, schema_id: int) -> Schema:
    """Return a stored schema by its global id."""
    stored = session.get(Schema, schema_id)
    if stored is None:
        raise NotFound(f"there is no schema with id {schema_id}")
    return stored


def _version_number(number: str | int) -> int:
    text = str(number)
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f'a version is a whole number from 1, or "latest" (got {show(text)})')
    return int(text)


def diff(session: Session, domain: str, name: str, old: str, new: str) -> dict[str, Any]:
    """Compare two versions of an event type under its policy."""
    before = get_version(session, domain, name, old)
    after = get_version(session, domain, name, new)
    _, policy = effective_config(session, before.event_type)
    report = diff_versions(schemas.of_version(before), schemas.of_version(after), policy)
    return {"event": f"{domain}.{name}", "from": before.version, "to": after.version, **report}
