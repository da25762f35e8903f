"""Per-event-type compatibility settings, which override the registry-wide ones."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.db.models import EventType
from app.services import audit, authz
from app.services.catalog import get_event_type
from app.services.settings import check_level_and_policy
from app.services.transaction import atomic


def set_event_config(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    compatibility: str | None,
    policy: str | None,
    group: str | None = None,
) -> EventType:
    """Override the level, the policy and/or the compatibility group (a metadata property,
    Confluent's ``compatibilityGroup``; "" clears it) for one event type; None leaves one as
    it is. Raises NotFound, Forbidden, InvalidLevel."""
    check_level_and_policy(compatibility, policy, group)
    return _change(session, actor, domain, name, (compatibility, policy, group), clear=False)


def clear_event_config(session: Session, actor: Actor, domain: str, name: str) -> EventType:
    """Make the event type inherit the registry-wide level and policy again."""
    return _change(session, actor, domain, name, (None, None, None), clear=True)


def _change(session, actor, domain, name, changes, clear) -> EventType:
    compatibility, policy, group = changes
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        before = _config(event_type)
        if clear or compatibility is not None:
            event_type.compatibility = compatibility
        if clear or policy is not None:
            event_type.policy = policy
        if clear or group is not None:
            event_type.compatibility_group = group or None
        session.flush()
        after = _config(event_type)
        target = f"event:{domain}.{name}/config"
        audit.record(session, actor.name, "event.config", target, before, after)
    return event_type


def _config(event_type: EventType) -> dict[str, str | None]:
    return {
        "compatibility": event_type.compatibility,
        "policy": event_type.policy,
        "compatibility_group": event_type.compatibility_group,
    }
