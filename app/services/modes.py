"""Confluent's modes: what writes the registry, or one event type, takes.

READWRITE takes every write; READONLY refuses registrations and deletes; IMPORT takes
registrations with explicit ids and versions (a migration keeping a Confluent registry's ids)
and skips their compatibility check. An event type without a mode of its own follows the
registry's. Source: Confluent Schema Registry's API reference, "Mode".
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.confluent_words import SERVED_MODES, mode_named
from app.core.errors import InvalidMode, NotConfigured, NotPermitted
from app.core.vocabulary import Mode
from app.db.models import EventType, Setting
from app.db.queries import subjects as subject_queries
from app.services import audit, authz
from app.services.settings import get_settings
from app.services.transaction import atomic


def registry_mode(session: Session) -> Mode:
    """The registry-wide mode."""
    return Mode(get_settings(session).mode)


def event_mode(
    session: Session,
    event_type: EventType,
    default_to_global: bool = True,
    subject: str | None = None,
) -> Mode:
    """The event type's mode: its own, else (``default_to_global``) the registry's. Raises
    NotConfigured (Confluent's 40409, naming ``subject``, else the event type) when it has none
    and the registry's is not wanted."""
    if event_type.mode is not None:
        return Mode(event_type.mode)
    if not default_to_global:
        raise no_mode(subject or _ref(event_type))
    return registry_mode(session)


def no_mode(subject: str) -> NotConfigured:
    """The error (40409) for a subject without a mode of its own, in Confluent's words."""
    return NotConfigured(f"Subject '{subject}' does not have subject-level mode configured", "mode")


def _ref(event_type: EventType) -> str:
    return f"{event_type.domain.slug}.{event_type.name}"


def parse_mode(text: object) -> Mode:
    """Return the mode named by text, in any case as Confluent reads it
    (app.core.confluent_words). Raises InvalidMode (Confluent's 42204) for others."""
    found = mode_named(text)
    if found is None:
        raise InvalidMode(f"Invalid mode {text!r}: use one of {SERVED_MODES}")
    return found


def set_registry_mode(session: Session, actor: Actor, mode: Mode, force: bool = False) -> Mode:
    """Set the registry-wide mode (admin only). IMPORT needs an empty registry unless
    ``force``, as Confluent's. Raises Forbidden, NotPermitted (42205)."""
    authz.admin(actor, "change the registry's mode")
    with atomic(session):
        if mode is Mode.IMPORT and not force and subject_queries.with_versions(session):
            raise NotPermitted(
                "Cannot import since found existing subjects: empty the registry, or set "
                "IMPORT per subject, or pass force=true"
            )
        setting = session.get(Setting, 1) or Setting(id=1)
        session.add(setting)
        before = {"mode": setting.mode}
        setting.mode = mode
        session.flush()
        audit.record(session, actor.name, "config.mode", "config", before, {"mode": mode.value})
    return mode


def set_event_mode(
    session: Session,
    actor: Actor,
    event_type: EventType,
    mode: Mode | None,
    force: bool = False,
    subject: str | None = None,
) -> Mode | None:
    """Set (or, with None, clear) the event type's own mode; its owners may. IMPORT needs an
    event type without versions unless ``force``. Raises Forbidden, NotPermitted (42205, naming
    ``subject``, else the event type)."""
    authz.domain_owner(actor, event_type.domain)
    with atomic(session):
        if mode is Mode.IMPORT and not force and event_type.last_version > 0:
            raise NotPermitted(
                f"Cannot import into subject {subject or _ref(event_type)} since it has "
                "versions already: pass force=true"
            )
        before = {"mode": event_type.mode}
        event_type.mode = mode.value if mode is not None else None
        session.flush()
        target = f"event:{_ref(event_type)}/mode"
        audit.record(session, actor.name, "event.mode", target, before, {"mode": event_type.mode})
    return mode


def check_write(
    session: Session, event_type: EventType, explicit_ids: bool = False, subject: str | None = None
) -> Mode:
    """Return the mode a write to the event type runs under. Raises NotPermitted (42205, naming
    ``subject`` as the client sent it, else the event type) in READONLY, and for explicit ids
    or versions outside IMPORT."""
    mode = event_mode(session, event_type)
    where = subject or _ref(event_type)
    if mode is Mode.READONLY:
        raise NotPermitted(f"Subject {where} is in read-only mode")
    if explicit_ids and mode is not Mode.IMPORT:
        raise NotPermitted(
            f"Subject {where} is not in import mode: explicit ids and versions are taken in "
            "IMPORT mode only"
        )
    return mode
