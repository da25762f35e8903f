"""Router configuration against the catalogue: import a bus's consumers from the exported
configuration of its EventBridge bus or SNS topic, and report the drift between the two
(app.core.routing.exported reads the exports, app.core.routing.drift compares; docs/routes.md).

An import creates the consumers the configuration routes to and the catalogue does not declare
on the bus, and gives declared consumers the configured rule (and SNS scope); it deletes
nothing (a declared consumer absent from the configuration is reported) and is idempotent:
importing the same configuration again changes nothing and reports every consumer unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import InvalidInput
from app.core.routing.drift import (
    IMPORT_ACTIONS,
    Declared,
    Difference,
    DriftKind,
    ImportAction,
    compare,
    named_event,
)
from app.core.routing.exported import RouterConfig, read_exports
from app.core.routing.model import ConsumerScope, Grammar
from app.db.models import Bus, Consumer
from app.db.queries import catalog as queries
from app.db.queries import pages
from app.services import audit, authz
from app.services.catalog import get_bus, get_team
from app.services.transaction import atomic
from app.services.views import consumer_view


def drift(session: Session, bus: str, documents: list[tuple[str, Any]]) -> dict[str, Any]:
    """The drift between the consumers declared on ``bus`` and the exported configuration in
    ``documents`` ((pointer prefix, parsed JSON) pairs: app.core.routing.exported).

    Returns ``{"bus", "router", "locations", "drift": bool, "counts": {kind: n},
    "differences": [Difference.to_dict()]}``, unchanged consumers included. Raises NotFound
    (bus), InvalidInput (422: a document or rule the reader refuses, each with its pointer; an
    export of another router kind than the bus's, or of several buses or topics)."""
    on_bus = get_bus(session, bus)
    config = _config(on_bus, documents)
    found = _differences(session, on_bus, config)
    return _report(on_bus, config, found)


def import_routes(
    session: Session,
    actor: Actor,
    bus: str,
    documents: list[tuple[str, Any]],
    dry_run: bool = False,
    team: str | None = None,
) -> dict[str, Any]:
    """Create and update the consumers of ``bus`` from its exported configuration; with
    ``dry_run`` say what would change and change nothing. The bus's owner (or an admin) imports:
    the router's configuration is the bus's. Created consumers belong to ``team`` (default:
    none; the actor's own team unless an admin) and declare the event type their rule's single
    ``detail-type`` names, when the bus carries one of that name. Each change is audited as
    consumer.create / consumer.update.

    Returns the drift report (``drift``) with ``dry_run`` and ``consumers``: one
    ``{"consumer", "consumer_id", "action": created|updated|unchanged|absent|skipped, "event",
    "source", "pointer"}`` per consumer. Raises NotFound (bus, team), Forbidden, InvalidInput."""
    with atomic(session):
        on_bus = get_bus(session, bus)
        authz.domain_owner(actor, on_bus.domain)
        owner = get_team(session, team) if team else None
        if team:  # as registering a consumer: only for one's own team (an admin: any)
            authz.team_member(actor, team, "import consumers for a team")
        config = _config(on_bus, documents)
        found = _differences(session, on_bus, config)
        events = {e.name: e for e in queries.event_types_on_bus(session, on_bus.id)}
        planned: set[tuple[str, int | None]] = set()  # the identities created so far
        rows = []
        for difference in found:
            action = IMPORT_ACTIONS[difference.kind]
            row = _row(difference, action)
            if action is ImportAction.CREATED:
                made = _create(session, actor, on_bus, difference, events, owner, dry_run, planned)
                row.update(made)
            elif action is ImportAction.UPDATED and not dry_run:
                _update(session, actor, difference)
            rows.append(row)
        report = {**_report(on_bus, config, found), "dry_run": dry_run, "consumers": rows}
    return report


def _row(difference: Difference, action: ImportAction) -> dict[str, Any]:
    declared, route = difference.declared, difference.route
    return {
        "consumer": difference.name,
        "action": action.value,
        "consumer_id": declared.id if declared else None,
        "event": declared.event if declared else None,
        "source": route.source if route else None,
        "pointer": route.pointer if route else None,
    }


def _config(bus: Bus, documents: list[tuple[str, Any]]) -> RouterConfig:
    expected = {"eventbridge": Grammar.EVENTBRIDGE, "sns": Grammar.SNS}.get(bus.router)
    if expected is None:
        raise InvalidInput(
            f"routes are imported for EventBridge and SNS buses; {bus.slug} is {bus.router}"
        )
    config = read_exports(documents)
    if config.routes and config.grammar is not expected:
        raise InvalidInput(
            f"{bus.slug} is an {bus.router} bus, and the documents export "
            f"{config.grammar.value} configuration",
            [{"message": "another router's configuration", "pointer": config.routes[0].pointer}],
        )
    if len(config.locations) > 1:
        raise InvalidInput(
            f"the documents describe {', '.join(config.locations)}: export one event bus or "
            f"topic, the one {bus.slug} stands for",
            [{"message": "several buses or topics", "pointer": ""}],
        )
    return config


def _differences(session: Session, bus: Bus, config: RouterConfig) -> list[Difference]:
    declared = [
        Declared(
            c.id,
            c.name,
            c.pattern,
            ConsumerScope(c.scope) if c.scope else None,
            f"{c.event_type.domain.slug}.{c.event_type.name}" if c.event_type else None,
        )
        for c in pages.consumers_where(session, bus_id=bus.id)
    ]
    names = sorted({route.consumer for route in config.routes})
    elsewhere = queries.buses_declaring(session, names, bus.id)
    return compare(config.grammar, config.routes, declared, elsewhere)


def _report(bus: Bus, config: RouterConfig, found: list[Difference]) -> dict[str, Any]:
    counts = {kind.value: 0 for kind in DriftKind}
    for difference in found:
        counts[difference.kind.value] += 1
    return {
        "bus": bus.slug,
        "router": config.grammar.value,
        "locations": config.locations,
        "drift": any(d.kind is not DriftKind.UNCHANGED for d in found),
        "counts": counts,
        "differences": [d.to_dict() for d in found],
    }


def _create(session, actor, bus, difference, events, owner, dry_run, planned) -> dict[str, Any]:
    """Create (unless ``dry_run``) the consumer of an undeclared route; ``planned`` holds the
    (name, event type id) identities this import has created: a second rule of the same target
    for the same event cannot take one again (nor one declared already), so it is skipped."""
    route = difference.route
    event_type = events.get(named_event(route.rule, route.scope) or "")
    ref = f"{event_type.domain.slug}.{event_type.name}" if event_type else None
    identity = (route.consumer, event_type.id if event_type else None)
    if identity in planned or queries.consumer_by_identity(
        session, identity[0], bus.id, identity[1]
    ):
        return {"action": ImportAction.SKIPPED.value, "event": ref}
    planned.add(identity)
    if dry_run:
        return {"event": ref}
    consumer = Consumer(
        name=route.consumer,
        bus=bus,
        team=owner,
        event_type=event_type,
        pattern=route.rule,
        scope=route.scope.value if route.scope and bus.router == "sns" else None,
        fields=[],
        description=f"Imported from the router configuration ({route.source}).",
    )
    session.add(consumer)
    session.flush()
    target = f"consumer:{consumer.id}"
    audit.record(session, actor.name, "consumer.create", target, after=consumer_view(consumer))
    return {"event": ref, "consumer_id": consumer.id}


def _update(session: Session, actor: Actor, difference: Difference) -> None:
    consumer = session.get(Consumer, difference.declared.id)
    before = consumer_view(consumer)
    consumer.pattern = difference.route.rule
    if consumer.bus.router == "sns":
        consumer.scope = difference.route.scope.value if difference.route.scope else None
    session.flush()
    after = consumer_view(consumer)
    audit.record(session, actor.name, "consumer.update", f"consumer:{consumer.id}", before, after)
