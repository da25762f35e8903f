"""Authorization checks for the services: the rules of app.core.access, raised as Forbidden."""

from __future__ import annotations

from app.core import access
from app.core.access import Actor
from app.core.errors import Forbidden
from app.db.models import Bus, Domain


def admin(actor: Actor, what: str) -> None:
    """Raise Forbidden unless the actor is an admin."""
    try:
        access.require_admin(actor, what)
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None


def domain_owner(actor: Actor, domain: Domain) -> None:
    """Raise Forbidden unless the actor's team owns the domain."""
    try:
        access.require_domain_owner(actor, domain.slug, domain.owner.slug)
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None


def registrar(actor: Actor, domain: Domain, landing: str | None) -> None:
    """Raise Forbidden unless the actor may register versions in the domain: its owner, or any
    team in the landing domain of new Confluent subjects (``landing``; None: no such domain)."""
    try:
        access.require_registrar(actor, domain.slug, domain.owner.slug, landing)
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None


def team_member(actor: Actor, team: str | None, what: str) -> None:
    """Raise Forbidden unless the actor acts for the team."""
    try:
        access.require_team_member(actor, team, what)
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None


def domain_creator(actor: Actor, domain: str, owner_team: str) -> None:
    """Raise Forbidden unless the actor may create this domain for this team."""
    try:
        access.require_domain_creator(actor, domain, owner_team)
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None


def team_manager(actor: Actor, team: str | None, what: str) -> None:
    """Raise Forbidden unless the actor is an admin or an unscoped token of the team."""
    try:
        access.require_team_manager(actor, team, what)
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None


def ownership(bus: Bus) -> access.BusOwnership:
    """The bus as the publishing rule sees it: its domain, owner team and allow-list."""
    return access.BusOwnership(
        bus.slug, bus.domain.slug, bus.domain.owner.slug, tuple(bus.publishers or ())
    )


def publisher(actor: Actor, domain: Domain, bus: Bus) -> str:
    """Raise Forbidden unless the actor may put an event of the domain on the bus; return the
    consent that allows it ("admin" when an admin publishes without one)."""
    rule = ownership(bus)
    try:
        return access.require_publisher(actor, rule, domain.slug, domain.owner.slug)
    except access.PublishDenied as denied:
        raise Forbidden(str(denied), bus=rule.slug, bus_owner=rule.owner) from None
    except access.AccessDenied as denied:
        raise Forbidden(str(denied)) from None
