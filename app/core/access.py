"""Who may change what: the registry's authorization rules, over plain values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core.vocabulary import SLUG_PATTERN


class AccessDenied(Exception):
    """The actor may not do this; the message says why and what would be allowed."""


class PublishDenied(AccessDenied):
    """The bus's owner has not consented to events of this domain or team."""


@dataclass(frozen=True)
class Actor:
    """Whoever makes a change: a token's holder, an admin, or Eventry itself."""

    name: str
    team: str | None = None
    admin: bool = False
    scopes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def system(cls, name: str) -> Actor:
        """An actor for Eventry's own writes (demo seeding, the operator CLI): an admin."""
        return cls(name=name, admin=True)


def require_admin(actor: Actor, what: str) -> None:
    """Raise AccessDenied unless the actor is an admin."""
    if not actor.admin:
        raise AccessDenied(f"only an admin token may {what}")


def require_domain_owner(actor: Actor, domain: str, owner_team: str) -> None:
    """Raise AccessDenied unless the actor's team owns the domain (and its scopes include it)."""
    if actor.admin:
        return
    if actor.team != owner_team:
        raise AccessDenied(
            f"domain {domain!r} belongs to team {owner_team!r}; a token of team "
            f"{actor.team!r} may not change it"
        )
    if actor.scopes and domain not in actor.scopes:
        raise AccessDenied(
            f"this token is scoped to {', '.join(actor.scopes)}; it may not change {domain!r}"
        )


def require_registrar(actor: Actor, domain: str, owner_team: str, landing: str | None) -> None:
    """Raise AccessDenied unless the actor may register versions in the domain: as its owner
    may, or, in the landing domain where new Confluent subjects go (EVENTRY_CCOMPAT_DOMAIN),
    as any team's token may whose scopes (if any) include it."""
    if domain != landing or actor.admin or actor.team is None:
        require_domain_owner(actor, domain, owner_team)
    elif actor.scopes and domain not in actor.scopes:
        raise AccessDenied(
            f"this token is scoped to {', '.join(actor.scopes)}; it may not change {domain!r}"
        )


def require_domain_creator(actor: Actor, domain: str, owner_team: str) -> None:
    """Raise AccessDenied unless the actor may create this domain for this team."""
    require_team_member(actor, owner_team, "create a domain")
    if actor.scopes and domain not in actor.scopes:
        raise AccessDenied(
            f"this token is scoped to {', '.join(actor.scopes)}; it may not create {domain!r}"
        )


def require_team_manager(actor: Actor, team: str | None, what: str) -> None:
    """Raise AccessDenied unless the actor is an admin or an unscoped token of the team."""
    require_team_member(actor, team, what)
    if actor.scopes:
        raise AccessDenied(f"a token scoped to {', '.join(actor.scopes)} may not {what}")


def require_team_member(actor: Actor, team: str | None, what: str) -> None:
    """Raise AccessDenied unless the actor acts for this team (or is an admin)."""
    if actor.admin:
        return
    if team is None or actor.team != team:
        raise AccessDenied(f"a token of team {actor.team!r} may not {what} for team {team!r}")


# Who may publish on a bus. As with IAM across accounts, two policies must both allow: the
# caller's (its team owns the event's domain) and the resource's (the bus's owner consents).
# An allow-list entry is `team:<team slug>` or `domain:<domain pattern>`, where `*` in the
# pattern matches any run of slug characters (`domain:payments-*`). Two prefixes, because team
# and domain slugs share one syntax: a bare `payments` could mean either.
MAX_PUBLISHERS = 100
# Matched with fullmatch, so a trailing newline never slips through.
_TEAM_SLUG = re.compile(SLUG_PATTERN)
_DOMAIN_PATTERN = re.compile(r"[a-z*][a-z0-9*-]{0,62}")


@dataclass(frozen=True)
class BusOwnership:
    """What the publishing rule needs to know about a bus: where it lives and whom it allows."""

    slug: str
    domain: str
    owner: str
    publishers: tuple[str, ...] = ()


def publisher_problems(entries: list[str]) -> list[tuple[int, str]]:
    """Each malformed allow-list entry as (index, message); empty when all are well formed."""
    if len(entries) > MAX_PUBLISHERS:
        return [(MAX_PUBLISHERS, f"at most {MAX_PUBLISHERS} publishers (got {len(entries)})")]
    found = [(index, _entry_problem(entry)) for index, entry in enumerate(entries)]
    return [(index, problem) for index, problem in found if problem is not None]


def _entry_problem(entry: object) -> str | None:
    if isinstance(entry, str):
        kind, _, value = entry.partition(":")
        if kind == "team" and _TEAM_SLUG.fullmatch(value):
            return None
        if kind == "domain" and _DOMAIN_PATTERN.fullmatch(value):
            return None
    return (
        f"{entry!r} is neither 'team:<team slug>' nor 'domain:<domain pattern>' "
        "(lowercase letters, digits, hyphens; '*' matches any run of them, as in "
        "'domain:payments-*')"
    )


def normal_publishers(entries: list[str]) -> list[str]:
    """The allow-list as stored: each entry once, sorted, so equal lists compare equal."""
    return sorted(set(entries))


def consent(bus: BusOwnership, domain: str, team: str) -> str | None:
    """Why the bus accepts events of this domain (owned by this team), or None if it does not.

    A bus accepts its own domain's events and its owner team's; otherwise the first allow-list
    entry naming the team or matching the domain is the consent.
    """
    if bus.domain == domain:
        return "own domain"
    if bus.owner == team:
        return "own team"
    for entry in bus.publishers:
        kind, _, value = entry.partition(":")
        if (kind == "team" and value == team) or (kind == "domain" and _glob(value, domain)):
            return entry
    return None


def bus_facts(bus: BusOwnership | None, domain: str, team: str | None) -> dict[str, str | None]:
    """The facts the ownership lints read about an event's bus (`app.core.analysis.lints`):
    `bus`, `bus_domain`, `bus_owner` and `bus_consent` (see `consent`). Without the event's
    team (a tree that does not declare its domain) consent cannot be decided, so `bus_consent`
    is left out and the lint reports nothing rather than guess."""
    if bus is None:
        return {"bus": None, "bus_domain": None, "bus_owner": None, "bus_consent": None}
    facts = {"bus": bus.slug, "bus_domain": bus.domain, "bus_owner": bus.owner or None}
    if team is None or not bus.owner:
        return facts
    return facts | {"bus_consent": consent(bus, domain, team)}


def require_publisher(actor: Actor, bus: BusOwnership, domain: str, team: str) -> str:
    """Raise AccessDenied unless the actor may put an event of `domain` (owned by `team`) on the
    bus; return the consent (see `consent`), or "admin" when an admin overrides a missing one."""
    require_domain_owner(actor, domain, team)
    reason = consent(bus, domain, team)
    if reason is not None:
        return reason
    if actor.admin:
        return "admin"
    raise PublishDenied(
        f"bus {bus.slug!r} belongs to team {bus.owner!r} (domain {bus.domain!r}), which has "
        f"not allowed team {team!r} or domain {domain!r} to publish on it; ask team "
        f"{bus.owner!r} to add 'team:{team}' or 'domain:{domain}' to the bus's publishers"
    )


def _glob(pattern: str, text: str) -> bool:
    # `*` only, each literal part found leftmost in turn: time bounded by the two lengths, where
    # a backtracking regex of many stars would not be.
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == text
    head, *middle, tail = parts
    if len(head) + len(tail) > len(text) or not text.startswith(head) or not text.endswith(tail):
        return False
    position, end = len(head), len(text) - len(tail)
    for part in middle:
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True
