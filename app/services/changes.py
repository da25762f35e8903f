"""Changing and deleting catalogue entities; a delete that would orphan something is refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.notifications import NotificationKind
from app.core.routing.delivery import consumer_scope, refused_under
from app.core.vocabulary import ROUTER_KINDS, check_fields
from app.db.models import Bus, Consumer, EventType
from app.db.queries import dependents, pages
from app.services import audit, authz, notifications, publishing
from app.services.catalog import (
    check_consumed_version,
    check_consumer,
    check_pointer,
    get_bus,
    get_domain,
    get_event_type,
    get_team,
)
from app.services.transaction import atomic
from app.services.views import bus_view, consumer_view, domain_view, event_type_view


def update_domain(session: Session, actor: Actor, slug: str, changes: dict[str, Any]):
    """Change a domain's name, description or owner team."""
    with atomic(session):
        domain = get_domain(session, slug)
        authz.domain_owner(actor, domain)
        before = domain_view(domain)
        if "owner" in changes:
            authz.admin(actor, "hand a domain to another team")
            domain.owner = get_team(session, changes.pop("owner"))
        _assign(domain, changes, {"name", "description"})
        session.flush()
        audit.record(
            session, actor.name, "domain.update", f"domain:{slug}", before, domain_view(domain)
        )
    return domain


def delete_domain(session: Session, actor: Actor, slug: str) -> None:
    """Delete a domain that has no buses and no event types."""
    with atomic(session):
        domain = get_domain(session, slug)
        authz.domain_owner(actor, domain)
        _refuse_if_used(f"domain {slug!r}", dependents.of_domain(session, domain.id))
        before = domain_view(domain)
        session.delete(domain)
        audit.record(session, actor.name, "domain.delete", f"domain:{slug}", before, None)


def update_bus(
    session: Session, actor: Actor, slug: str, changes: dict[str, Any], force: bool = False
):
    """Change a bus's router kind, description or allow-list of publishers (its owner only).
    A new router re-checks its consumers' rules against its grammar: Conflict (409) naming
    each consumer whose rule it refuses, with the pointer, unless ``force``d by an admin
    (else Forbidden; the audit notes them as ``forced_over``). Raises NotFound, Forbidden,
    InvalidInput (an unknown router)."""
    if "router" in changes and changes["router"] not in ROUTER_KINDS:
        raise InvalidInput(
            f"unknown router {changes['router']!r}; use one of {', '.join(ROUTER_KINDS)}"
        )
    with atomic(session):
        bus = get_bus(session, slug)
        authz.domain_owner(actor, bus.domain)
        before = bus_view(bus)
        if changes.get("router", bus.router) != bus.router:
            before |= _rules_kept(session, actor, bus, changes["router"], force)
        if "publishers" in changes:
            changes["publishers"] = publishing.checked_publishers(session, changes["publishers"])
        _assign(bus, changes, {"router", "description", "publishers"})
        session.flush()
        audit.record(session, actor.name, "bus.update", f"bus:{slug}", before, bus_view(bus))
    return bus


def _rules_kept(
    session: Session, actor: Actor, bus: Bus, router: str, force: bool
) -> dict[str, Any]:
    """Refuse moving ``bus`` to ``router`` while its grammar refuses consumers' rules
    (app.core.routing.delivery.refused_under), unless an admin forces it; the audit's note of
    a forced move, {forced_over: [...]}, or {}."""
    listening = pages.consumers_where(session, bus_id=bus.id)
    refused = refused_under(router, [(each.name, each.pattern) for each in listening])
    if not refused:
        return {}
    if not force:
        listed = "; ".join(f"{r['consumer']} at {r['pointer']}: {r['message']}" for r in refused)
        raise Conflict(
            f"bus {bus.slug!r} cannot move to {router}: its grammar refuses the rules of "
            f"{listed} (change those rules first; an admin can force it: ?force=true)",
            refused,
        )
    authz.admin(actor, f"force {bus.slug!r} onto {router}")
    return {"forced_over": refused}


def delete_bus(session: Session, actor: Actor, slug: str, force: bool = False) -> None:
    """Delete a bus that no event type travels on and no consumer listens to; ``force`` (an
    admin) deletes it anyway: its consumers go, its event types stay on no bus. Raises
    NotFound, Forbidden or Conflict (409, naming the dependents)."""
    with atomic(session):
        bus = get_bus(session, slug)
        authz.domain_owner(actor, bus.domain)
        users = dependents.of_bus(session, bus.id)
        before = {**bus_view(bus), **unless_forced(actor, f"bus {slug!r}", users, force)}
        if users:
            dependents.release_bus(session, bus.id)
        session.delete(bus)
        audit.record(session, actor.name, "bus.delete", f"bus:{slug}", before, None)


def update_event_type(
    session: Session, actor: Actor, domain: str, name: str, changes: dict[str, Any]
):
    """Change an event type's bus, producer, aggregate, command, description or deprecation."""
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        before = event_type_view(event_type)
        if "bus" in changes:
            _move(session, actor, event_type, changes.pop("bus"))
        fields = {"producer", "aggregate", "command", "description", "deprecated"}
        _assign(event_type, changes, fields)
        session.flush()
        after = event_type_view(event_type)
        audit.record(session, actor.name, "event.update", f"event:{domain}.{name}", before, after)
    return event_type


def _move(session: Session, actor: Actor, event_type: EventType, slug: str | None) -> None:
    # Only a move needs the new bus owner's consent: naming the bus it is on already changes
    # nothing, and an event that was there before consent was required is a finding, not a 403.
    if slug == (event_type.bus.slug if event_type.bus else None):
        return
    bus = get_bus(session, slug) if slug is not None else None
    if bus is not None:
        publishing.admit(session, actor, event_type.domain, event_type.name, bus)
    event_type.bus = bus


def delete_event_type(
    session: Session, actor: Actor, domain: str, name: str, force: bool = False
) -> None:
    """Delete an event type with its versions and samples, unless consumers still declare it;
    ``force`` (an admin) deletes it anyway, its consumers staying on their bus, declaring no
    event type. Raises NotFound, Forbidden or Conflict (409, naming the consumers)."""
    with atomic(session):
        event_type = get_event_type(session, domain, name)
        authz.domain_owner(actor, event_type.domain)
        users = dependents.of_event_type(session, event_type.id)
        forced = unless_forced(actor, f"event type {domain}.{name}", users, force)
        before = {**event_type_view(event_type), **forced}
        if users:
            dependents.release_event_type(session, event_type.id)
        dependents.delete_event_type_contents(session, event_type.id)
        session.delete(event_type)
        audit.record(session, actor.name, "event.delete", f"event:{domain}.{name}", before, None)


_CONSUMER_CHANGES = {"pattern", "scope", "fields", "version", "calls_back", "description"}


def update_consumer(session: Session, actor: Actor, consumer_id: int, changes: dict[str, Any]):
    """Change a consumer's pattern, scope (an SNS consumer's: message-attributes or
    message-body; null: SNS's default), fields, consumed version, call-back flag or
    description. Raises NotFound, Forbidden, InvalidInput or InvalidPattern."""
    for pointer in changes.get("fields") or []:
        check_pointer(pointer)
    with atomic(session):
        consumer = get_consumer(session, consumer_id)
        authz.team_member(actor, consumer.team.slug if consumer.team else None, "change a consumer")
        before = consumer_view(consumer)
        if "pattern" in changes or "scope" in changes:
            scope = consumer_scope(consumer.bus.router, changes.get("scope", consumer.scope))
            check_consumer(consumer.bus, None, changes.get("pattern", consumer.pattern), scope)
        if "version" in changes:
            check_consumed_version(consumer.event_type, changes["version"], consumer.version)
        _assign(consumer, changes, _CONSUMER_CHANGES)
        session.flush()
        target = f"consumer:{consumer_id}"
        audit.record(
            session, actor.name, "consumer.update", target, before, consumer_view(consumer)
        )
    return consumer


def delete_consumer(session: Session, actor: Actor, consumer_id: int) -> None:
    """Unregister a consumer."""
    with atomic(session):
        consumer = get_consumer(session, consumer_id)
        authz.team_member(actor, consumer.team.slug if consumer.team else None, "delete a consumer")
        before = consumer_view(consumer)
        notifications.consumer_changed(session, consumer, NotificationKind.CONSUMER_REMOVED)
        session.delete(consumer)
        audit.record(
            session, actor.name, "consumer.delete", f"consumer:{consumer_id}", before, None
        )


def get_consumer(session: Session, consumer_id: int) -> Consumer:
    """Return a consumer or raise NotFound."""
    consumer = session.get(Consumer, consumer_id)
    if consumer is None:
        raise NotFound(f"there is no consumer {consumer_id}")
    return consumer


def _assign(entity: Any, changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(unknown)} here")
    check_fields(changes)  # no control characters in names; descriptions keep line breaks
    for key, value in changes.items():
        setattr(entity, key, value)


def unless_forced(actor: Actor, what: str, users: list[str], force: bool) -> dict[str, Any]:
    """Refuse to delete ``what`` while ``users`` depend on it (Conflict naming them), unless
    ``force``d by an admin (else Forbidden); the audit's note of a forced deletion,
    {forced_over: users}, or {}."""
    if not users:
        return {}
    if not force:
        _refuse_if_used(what, users, " (an admin can force it: ?force=true)")
    authz.admin(actor, f"force the deletion of {what}")
    return {"forced_over": users}


def _refuse_if_used(what: str, users: list[str], how: str = "") -> None:
    if users:
        listed = ", ".join(users[:10]) + (f" and {len(users) - 10} more" if len(users) > 10 else "")
        raise Conflict(
            f"{what} cannot be deleted while these depend on it: {listed}{how}",
            [{"dependent": user} for user in users],
        )
