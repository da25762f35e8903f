"""Who may change what: the registry's authorization rules, over plain values."""

from __future__ import annotations

from dataclasses import dataclass, field


class AccessDenied(Exception):
    """The actor may not do this; the message says why and what would be allowed."""


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
