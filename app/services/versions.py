"""Registering schema versions: meta-schema check, deduplication, compatibility, numbering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.canonical import CanonicalJSONError, canonical_json, fingerprint
from app.core.validation import check_schema
from app.db.models import EventType, Schema, SchemaVersion
from app.db.queries import catalog as catalog_queries
from app.db.queries import schemas as schema_queries
from app.services import audit, authz
from app.services.catalog import get_event_type
from app.services.compatibility import judge
from app.services.errors import Conflict, InvalidInput
from app.services.transaction import atomic
from app.services.views import version_view


@dataclass(frozen=True)
class Registration:
    """The outcome of a registration: the version, and whether it was created just now."""

    version: SchemaVersion
    created: bool


def register_version(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    schema: Any,
    note: str = "",
    author: str = "",
) -> Registration:
    """Register a schema as the event type's next version, or return the identical live one."""
    problems = check_schema(schema)
    if problems:
        raise InvalidInput(
            f"the schema is not a valid JSON Schema ({len(problems)} problem(s))",
            [problem.to_dict() for problem in problems],
        )
    try:
        text, digest = canonical_json(schema), fingerprint(schema)
    except CanonicalJSONError as error:
        raise InvalidInput(f"the schema cannot be stored: {error}") from None
    with atomic(session):
        event_type = catalog_queries.lock_event_type(
            session, get_event_type(session, domain, name).id
        )
        authz.domain_owner(actor, event_type.domain)
        live = schema_queries.live_versions(session, event_type.id)
        for existing in live:
            if existing.schema.fingerprint == digest:
                return Registration(existing, created=False)
        verdict = judge(session, event_type, schema)
        if not verdict.compatible:
            body = verdict.to_dict()
            raise Conflict(
                verdict.summary(),
                body["differences"],
                compatibility=body,
            )
        stored = _stored_schema(session, text, digest)
        version = SchemaVersion(
            event_type=event_type,
            version=schema_queries.highest_version_number(session, event_type.id) + 1,
            schema=stored,
            note=note,
            author=author or actor.name,
        )
        session.add(version)
        session.flush()
        audit.record(
            session,
            actor.name,
            "version.register",
            _target(event_type, version),
            after=version_view(version),
        )
    return Registration(version, created=True)


def _stored_schema(session: Session, text: str, digest: str) -> Schema:
    # The same content anywhere in the registry keeps its one global id.
    stored = schema_queries.schema_by_fingerprint(session, digest)
    if stored is None:
        stored = Schema(canonical=text, fingerprint=digest)
        session.add(stored)
        session.flush()
    return stored


def _target(event_type: EventType, version: SchemaVersion) -> str:
    return f"event:{event_type.domain.slug}.{event_type.name}/versions/{version.version}"
