"""Who may publish on a bus: the owner's allow-list, checked whenever an event type lands on one.

The rule itself is `app.core.access.require_publisher`; this module feeds it the rows, turns a
malformed allow-list into a 422, and audits an admin who publishes without the owner's consent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core import access
from app.core.access import Actor
from app.core.errors import InvalidInput
from app.db.models import Bus, Domain, EventType
from app.db.queries import catalog as queries
from app.services import audit, authz


def checked_publishers(session: Session, entries: list[str]) -> list[str]:
    """The allow-list as stored (each entry once, sorted), or InvalidInput naming every bad
    entry: a malformed one, or a `team:` entry for a team that does not exist (a typo would
    otherwise consent to nobody, silently)."""
    problems = access.publisher_problems(entries)
    if not problems:
        problems = [
            (index, f"there is no team {entry.partition(':')[2]!r}")
            for index, entry in enumerate(entries)
            if entry.startswith("team:")
            and queries.team_by_slug(session, entry.partition(":")[2]) is None
        ]
    if problems:
        more = f" ({len(problems)} problems in all)" if len(problems) > 1 else ""
        raise InvalidInput(
            f"publishers: {problems[0][1]}{more}",
            [{"pointer": f"/publishers/{index}", "message": text} for index, text in problems],
        )
    return access.normal_publishers(entries)


def admit(session: Session, actor: Actor, domain: Domain, name: str, bus: Bus) -> None:
    """Raise Forbidden unless the actor may put the event `domain.name` on the bus.

    An admin may publish without the bus owner's consent; that is recorded as an audit entry of
    its own (`bus.publish-override`), so an owner can find who used a bus without asking.
    """
    if authz.publisher(actor, domain, bus) != "admin":
        return
    after = {
        "event": f"{domain.slug}.{name}",
        "team": domain.owner.slug,
        "bus_domain": bus.domain.slug,
        "bus_owner": bus.domain.owner.slug,
        "publishers": list(bus.publishers or []),
    }
    audit.record(session, actor.name, "bus.publish-override", f"bus:{bus.slug}", after=after)


def consent(event_type: EventType) -> str | None:
    """What lets the event type travel on its bus (see `app.core.access.consent`); None when
    it has no bus or its bus's owner has not consented."""
    if event_type.bus is None:
        return None
    domain = event_type.domain
    return access.consent(authz.ownership(event_type.bus), domain.slug, domain.owner.slug)


def bus_facts(event_type: EventType) -> dict[str, Any]:
    """The facts the ownership lints read about an event type's bus (`access.bus_facts`)."""
    bus = authz.ownership(event_type.bus) if event_type.bus is not None else None
    domain = event_type.domain
    return access.bus_facts(bus, domain.slug, domain.owner.slug)
