"""Creating the catalogue's entities: teams, domains, buses, event types and consumers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import AlreadyExists, InvalidInput, NotFound
from app.core.lifecycle import Lifecycle, pinnable
from app.core.notifications import NotificationKind
from app.core.pointers import split_pointer
from app.core.routing.delivery import check_consumer_rule, consumer_scope
from app.core.routing.model import ConsumerScope
from app.core.vocabulary import (
    ROUTER_KINDS,
    check_fields,
    is_event_name,
    is_slug,
    parse_event_ref,
)
from app.db.models import Bus, Consumer, Domain, EventType, Team
from app.db.queries import catalog as queries
from app.services import audit, authz, notifications, publishing
from app.services.settings import check_level_and_policy
from app.services.transaction import atomic
from app.services.views import bus_view, consumer_view, domain_view, event_type_view, team_view


def create_team(
    session: Session, actor: Actor, slug: str, name: str, description: str = ""
) -> Team:
    """Create a team."""
    _check_slug("team", slug)
    check_fields({"name": name, "description": description})
    authz.admin(actor, "create teams")
    with atomic(session):
        if queries.team_by_slug(session, slug) is not None:
            raise AlreadyExists(f"team {slug!r} exists already")
        team = Team(slug=slug, name=name, description=description)
        session.add(team)
        session.flush()
        audit.record(session, actor.name, "team.create", f"team:{slug}", after=team_view(team))
    return team


def create_domain(
    session: Session, actor: Actor, slug: str, name: str, owner: str, description: str = ""
) -> Domain:
    """Create a domain owned by an existing team."""
    _check_slug("domain", slug)
    check_fields({"name": name, "description": description})
    with atomic(session):
        if queries.domain_by_slug(session, slug) is not None:
            raise AlreadyExists(f"domain {slug!r} exists already")
        team = get_team(session, owner)
        authz.domain_creator(actor, slug, owner)
        domain = Domain(slug=slug, name=name, owner=team, description=description)
        session.add(domain)
        session.flush()
        audit.record(
            session, actor.name, "domain.create", f"domain:{slug}", after=domain_view(domain)
        )
    return domain


def create_bus(
    session: Session,
    actor: Actor,
    slug: str,
    domain: str,
    router: str,
    description: str = "",
    publishers: list[str] | None = None,
) -> Bus:
    """Create a bus in a domain; `publishers` is its owner's allow-list (app.core.access)."""
    _check_slug("bus", slug)
    check_fields({"description": description})
    if router not in ROUTER_KINDS:
        raise InvalidInput(f"unknown router {router!r}; use one of {', '.join(ROUTER_KINDS)}")
    with atomic(session):
        if queries.bus_by_slug(session, slug) is not None:
            raise AlreadyExists(f"bus {slug!r} exists already")
        owner = get_domain(session, domain)
        authz.domain_owner(actor, owner)
        allowed = publishing.checked_publishers(session, publishers or [])
        bus = Bus(
            slug=slug, domain=owner, router=router, description=description, publishers=allowed
        )
        session.add(bus)
        session.flush()
        audit.record(session, actor.name, "bus.create", f"bus:{slug}", after=bus_view(bus))
    return bus


def create_event_type(
    session: Session,
    actor: Actor,
    domain: str,
    name: str,
    landing: str | None = None,
    **fields: Any,
) -> EventType:
    """Create an event type. ``landing`` names the landing domain of new Confluent subjects,
    where any team may create one (app.core.access.require_registrar).

    Fields are bus, producer, aggregate, command, description, compatibility, policy, deprecated.
    Raises InvalidInput, NotFound (domain, bus), Forbidden, AlreadyExists.
    """
    if not is_event_name(name):
        raise InvalidInput(f"{name!r} is not a PascalCase event name such as OrderPlaced")
    check_fields(fields)  # producer, aggregate, command, description…
    check_level_and_policy(fields.get("compatibility"), fields.get("policy"))
    with atomic(session):
        owner = get_domain(session, domain)
        authz.registrar(actor, owner, landing)
        if queries.event_type_by_name(session, domain, name) is not None:
            raise AlreadyExists(f"event type {domain}.{name} exists already")
        bus_slug = fields.pop("bus", None)
        bus = get_bus(session, bus_slug) if bus_slug is not None else None
        if bus is not None:
            publishing.admit(session, actor, owner, name, bus)
        event_type = EventType(domain=owner, name=name, bus=bus, **fields)
        session.add(event_type)
        session.flush()
        target = f"event:{domain}.{name}"
        audit.record(session, actor.name, "event.create", target, after=event_type_view(event_type))
        notifications.event_type_created(session, event_type)
    return event_type


def create_consumer(session: Session, actor: Actor, name: str, bus: str, **fields: Any) -> Consumer:
    """Register a consumer on a bus.

    Fields are team, event, version (of the event, which it needs), pattern, scope (an SNS
    consumer's: message-attributes or message-body), fields, calls_back and description.
    Raises NotFound, InvalidInput or InvalidPattern (422), or
    AlreadyExists (409).
    """
    check_fields({"name": name, **fields})
    reads = list(fields.pop("fields", None) or [])
    for pointer in reads:
        check_pointer(pointer)
    with atomic(session):
        on_bus = get_bus(session, bus)
        team_slug = fields.pop("team", None) or actor.team
        authz.team_member(actor, team_slug, "register a consumer")
        event_ref = fields.pop("event", None)
        event_type = get_event_type(session, *parse_ref(event_ref)) if event_ref else None
        scope = consumer_scope(on_bus.router, fields.pop("scope", None))
        check_consumer(on_bus, event_type, fields.get("pattern"), scope)
        check_consumed_version(event_type, fields.get("version"))
        existing = queries.consumer_by_identity(
            session, name, on_bus.id, event_type.id if event_type else None
        )
        if existing is not None:
            raise AlreadyExists(f"consumer {name!r} is registered on {bus} for that event already")
        consumer = Consumer(
            name=name,
            bus=on_bus,
            team=get_team(session, team_slug) if team_slug else None,
            event_type=event_type,
            scope=scope,
            fields=reads,
            **fields,
        )
        session.add(consumer)
        session.flush()
        target = f"consumer:{consumer.id}"
        audit.record(session, actor.name, "consumer.create", target, after=consumer_view(consumer))
        notifications.consumer_changed(session, consumer, NotificationKind.CONSUMER_ADDED)
    return consumer


def check_consumer(
    bus: Bus,
    event_type: EventType | None,
    pattern: dict | None,
    scope: ConsumerScope | None = None,
) -> None:
    """A consumer's rule must be one its bus's router accepts (with its scope), and its
    declared event must travel on its bus. Raises InvalidPattern or InvalidInput (422)."""
    check_consumer_rule(pattern, bus.router, scope=scope)
    if event_type is not None and event_type.bus_id != bus.id:
        ref = f"{event_type.domain.slug}.{event_type.name}"
        where = f"on {event_type.bus.slug}" if event_type.bus else "on no bus"
        raise InvalidInput(
            f"{ref} travels {where}, not on {bus.slug}: a consumer listens on the bus its "
            "event travels on",
            [{"message": "the event does not travel on this bus", "pointer": "/event"}],
        )


def check_consumed_version(
    event_type: EventType | None, version: int | None, current: int | None = None
) -> None:
    """The version a consumer declares it consumes is one its event type has given (deleted
    versions included: a consumer may still run against one), and not a retired one unless it
    already pins it (``current``; app.core.lifecycle.pinnable). Raises InvalidInput (422)."""
    if version is None:
        return
    if event_type is None:
        raise InvalidInput(
            "a consumer declares the version of the event type it consumes: give its event too",
            [{"message": "a version needs an event", "pointer": "/version"}],
        )
    if version > event_type.last_version:
        ref = f"{event_type.domain.slug}.{event_type.name}"
        latest = f"its latest is {event_type.last_version}" if event_type.last_version else "none"
        raise InvalidInput(
            f"{ref} has no version {version} ({latest})",
            [{"message": "no such version of the event", "pointer": "/version"}],
        )
    given = next((each for each in event_type.versions if each.version == version), None)
    if version != current and given is not None and not pinnable(Lifecycle(given.lifecycle)):
        ref = f"{event_type.domain.slug}.{event_type.name}"
        then = f"; pin its successor, version {given.successor}" if given.successor else ""
        raise InvalidInput(
            f"version {version} of {ref} is retired: no consumer newly pins it{then}",
            [{"message": "a retired version", "pointer": "/version"}],
        )


def get_team(session: Session, slug: str) -> Team:
    """Return a team or raise NotFound."""
    # What can be no slug names nothing: never sent to the database (PostgreSQL refuses NUL).
    team = queries.team_by_slug(session, slug) if is_slug(slug) else None
    if team is None:
        raise NotFound(f"there is no team {slug!r}")
    return team


def get_domain(session: Session, slug: str) -> Domain:
    """Return a domain or raise NotFound."""
    domain = queries.domain_by_slug(session, slug) if is_slug(slug) else None
    if domain is None:
        raise NotFound(f"there is no domain {slug!r}")
    return domain


def get_bus(session: Session, slug: str) -> Bus:
    """Return a bus or raise NotFound."""
    bus = queries.bus_by_slug(session, slug) if is_slug(slug) else None
    if bus is None:
        raise NotFound(f"there is no bus {slug!r}")
    return bus


def get_event_type(session: Session, domain: str, name: str, lock: bool = False) -> EventType:
    """Return an event type or raise NotFound; with ``lock``, row-locked until the transaction
    ends (app.db.queries.catalog.lock_event_type), in the statement that finds it."""
    known = is_slug(domain) and is_event_name(name)
    event_type = queries.event_type_by_name(session, domain, name, lock) if known else None
    if event_type is None:
        raise NotFound(f"there is no event type {domain}.{name}")
    return event_type


def event_type_if_free(session: Session, domain: str, name: str) -> EventType | None:
    """Return the event type row-locked until the transaction ends when no other transaction
    holds its lock (taken without waiting), else None, as for an event type that does not
    exist (``get_event_type`` tells which)."""
    known = is_slug(domain) and is_event_name(name)
    return queries.event_type_by_name(session, domain, name, True, wait=False) if known else None


def parse_ref(text: str) -> tuple[str, str]:
    """Split 'domain.EventName' or raise InvalidInput."""
    try:
        return parse_event_ref(text)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def _check_slug(what: str, slug: str) -> None:
    if not is_slug(slug):
        raise InvalidInput(
            f"{slug!r} is not a valid {what} slug: start with a lowercase letter, then up to "
            "62 lowercase letters, digits or hyphens"
        )


def check_pointer(pointer: str) -> None:
    """Raise InvalidInput unless the text is a JSON pointer (a consumer's field)."""
    try:
        split_pointer(pointer)
    except ValueError as error:
        raise InvalidInput(f"fields: {error}") from None
