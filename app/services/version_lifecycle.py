"""Moving a schema version through its lifecycle (app.core.lifecycle, the event types' rule):
owner-checked, audited; and what a version's stage refuses (validating against a retired one)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import NotPermitted
from app.core.lifecycle import Lifecycle, Stage, moved, version_successor
from app.db.models import SchemaVersion
from app.services import audit, authz
from app.services.lifecycle import give_stage
from app.services.transaction import atomic
from app.services.versions import get_version, version_number, version_target
from app.services.views import stage_of, version_view


def set_version_lifecycle(
    session: Session, actor: Actor, domain: str, name: str, number: str, wanted: Stage
) -> SchemaVersion:
    """Move version ``number`` of ``domain.name`` to ``wanted`` (its state, and for a
    deprecation its ``since`` day, ``reason`` and ``successor``: another version number of the
    same event type; soft-deleted versions count). Audited as ``version.lifecycle``. Raises
    NotFound, VersionNotFound, InvalidVersion, Forbidden (not the domain's owner), Conflict (a move
    backwards; a version never goes back to draft) or InvalidInput (app.core.lifecycle.moved;
    a successor that is no version)."""
    with atomic(session):
        # A soft-deleted version keeps its lifecycle (an import restores both).
        version = get_version(session, domain, name, version_number(number), deleted=True)
        authz.domain_owner(actor, version.event_type.domain)
        ref = f"version {version.version} of {domain}.{name}"
        check = version_successor(version.version)
        stage = moved(stage_of(version), wanted, ref, date.today(), True, check)
        if stage.successor is not None and stage.successor != version.successor:
            get_version(session, domain, name, stage.successor, deleted=True)
        before = version_view(version)
        give_stage(version, stage)
        session.flush()
        after = version_view(version)
        target = version_target(version.event_type, version)
        audit.record(session, actor.name, "version.lifecycle", target, before, after)
    return version


def check_validates(ref: str, number: int, state: str, successor: int | None) -> None:
    """A retired version validates nothing: its events no longer flow, so a payload checked
    against it is a mistake to tell, not a verdict. A deprecated one still validates. Raises
    NotPermitted (422) naming the successor when there is one."""
    if Lifecycle(state) is Lifecycle.RETIRED:
        then = f"; validate against its successor, version {successor}" if successor else ""
        raise NotPermitted(f"version {number} of {ref} is retired: it validates nothing{then}")
