"""Moving an event type through its lifecycle (app.core.lifecycle): owner-checked, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import InvalidInput, NotPermitted
from app.core.lifecycle import LIFECYCLES, Lifecycle, Stage, moved, takes_versions
from app.db.models import EventType, SchemaVersion
from app.services import audit, authz, notifications
from app.services.catalog import get_event_type
from app.services.transaction import atomic
from app.services.views import event_type_view, stage_of


def set_lifecycle(
    session: Session, actor: Actor, domain: str, name: str, wanted: Stage
) -> EventType:
    """Move the event type to ``wanted`` (its state, and for a deprecation its ``since`` day,
    ``reason`` and ``successor``, an existing event type). Raises NotFound, Forbidden (not the
    domain's owner), Conflict (a move backwards) or InvalidInput (app.core.lifecycle.moved; a
    successor that does not exist)."""
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        ref = f"{domain}.{name}"
        registered = event_type.last_version > 0
        stage = moved(stage_of(event_type), wanted, ref, date.today(), registered)
        if stage.successor is not None and stage.successor != event_type.successor:
            get_event_type(session, *stage.successor.split(".", 1))
        before = event_type_view(event_type)
        give_stage(event_type, stage)
        session.flush()
        after = event_type_view(event_type)
        audit.record(session, actor.name, "event.lifecycle", f"event:{ref}", before, after)
        if stage.state == Lifecycle.DEPRECATED and before["lifecycle"]["state"] != stage.state:
            notifications.event_type_deprecated(session, event_type)
    return event_type


def give_stage(entity: EventType | SchemaVersion, stage: Stage) -> None:
    """Write ``stage`` into an event type's or a version's lifecycle columns."""
    entity.lifecycle = stage.state
    entity.deprecated_on = date.fromisoformat(stage.since) if stage.since else None
    entity.lifecycle_reason = stage.reason
    entity.successor = stage.successor  # type: ignore[assignment]  # a name, or a number


def check_takes_versions(event_type: EventType, subject: str | None = None) -> None:
    """A retired event type takes no new versions. Raises NotPermitted (422; Confluent's
    42205, naming ``subject`` as the client sent it)."""
    if not takes_versions(Lifecycle(event_type.lifecycle)):
        where = subject or f"{event_type.domain.slug}.{event_type.name}"
        successor = f"; its successor is {event_type.successor}" if event_type.successor else ""
        raise NotPermitted(f"{where} is retired: it takes no new versions{successor}")


def stage_from(block: dict[str, Any]) -> Stage:
    """A Stage from a {state, since, reason, successor} block (a tree's, an answer's). Raises
    InvalidInput for an unknown state."""
    try:
        state = Lifecycle(block["state"])
    except ValueError:
        raise InvalidInput(
            f"a lifecycle state is one of {', '.join(LIFECYCLES)} (got {block['state']!r})",
            [{"message": "unknown state", "pointer": "/lifecycle/state"}],
        ) from None
    details = (block.get(key) for key in ("since", "reason", "successor"))
    return Stage(state, *details)


def restore_stage(
    session: Session, actor: Actor, event_type: EventType, block: dict[str, Any], early: bool
) -> None:
    """Give an event type loaded from a tree the stage its lifecycle block names: ``early``
    (just created, no versions yet) only a draft, else any other stage than active (a retired
    one after its versions, which it would refuse)."""
    stage = stage_from(block)
    if (stage.state is Lifecycle.DRAFT) != early or stage.state is Lifecycle.ACTIVE:
        return
    if stage.state is Lifecycle.DEPRECATED and not stage.reason:  # the flag, set on creation
        return
    if stage_of(event_type) != stage:
        set_lifecycle(session, actor, event_type.domain.slug, event_type.name, stage)
