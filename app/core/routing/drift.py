"""Drift between the consumers a bus declares and the consumers its router's configuration
routes events to (app.core.routing.exported): the pure comparison behind ``eventry routes
drift`` and ``eventry import-routes``.

Consumers are matched by name (the function, queue or endpoint a target or subscription names).
For one name, a declared rule equal to a configured one (the same parsed JSON and, on SNS, the
same scope) is unchanged; the configured and declared rules left over are paired in order as
rules that differ; a configured rule left over is undeclared (or declared on another bus, when
the name is a consumer of another bus and of none here); a declared rule left over is absent
from the configuration. An SNS subscription exported without its attributes has an unknown
filter policy: it is never said to differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .exported import Route
from .model import ConsumerScope, Grammar


class DriftKind(StrEnum):
    """How a declared consumer and the router's configuration disagree (or do not)."""

    UNCHANGED = "unchanged"  # declared as configured
    UNDECLARED = "undeclared"  # configured, not declared on any bus
    OTHER_BUS = "other-bus"  # configured here, declared on another bus only
    RULE_DIFFERS = "rule-differs"  # declared here with another rule or scope
    ABSENT = "absent"  # declared here, not configured


class ImportAction(StrEnum):
    """What an import does with each consumer (app.services.route_import)."""

    CREATED = "created"  # undeclared or declared on another bus: created on this bus
    UPDATED = "updated"  # its rule differs: given the configured rule and scope
    UNCHANGED = "unchanged"
    ABSENT = "absent"  # declared, not configured: reported, never deleted
    SKIPPED = "skipped"  # a second rule of one target for the same event: one row holds one


# What an import does for each kind of difference.
IMPORT_ACTIONS = {
    DriftKind.UNCHANGED: ImportAction.UNCHANGED,
    DriftKind.UNDECLARED: ImportAction.CREATED,
    DriftKind.OTHER_BUS: ImportAction.CREATED,
    DriftKind.RULE_DIFFERS: ImportAction.UPDATED,
    DriftKind.ABSENT: ImportAction.ABSENT,
}


@dataclass(frozen=True)
class Declared:
    """A consumer the catalogue declares on the bus: its id, name, rule, scope and event."""

    id: int
    name: str
    rule: dict[str, Any] | None
    scope: ConsumerScope | None = None
    event: str | None = None


@dataclass(frozen=True)
class Difference:
    """One finding: ``kind``, the consumer's ``name``, the configured ``route`` (None when
    absent), the ``declared`` consumer (None when undeclared), and for OTHER_BUS the buses
    that declare it."""

    kind: DriftKind
    name: str
    route: Route | None = None
    declared: Declared | None = None
    buses: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """{kind, consumer, consumer_id, source, pointer, rule, declared_rule, scope,
        declared_scope, buses}."""
        route, declared = self.route, self.declared
        return {
            "kind": self.kind.value,
            "consumer": self.name,
            "consumer_id": declared.id if declared else None,
            "source": route.source if route else None,
            "pointer": route.pointer if route else None,
            "rule": route.rule if route and route.rule_known else None,
            "declared_rule": declared.rule if declared else None,
            "scope": route.scope.value if route and route.scope else None,
            "declared_scope": declared.scope.value if declared and declared.scope else None,
            "buses": list(self.buses),
        }


def compare(
    grammar: Grammar,
    routes: tuple[Route, ...],
    declared: list[Declared],
    elsewhere: dict[str, list[str]],
) -> list[Difference]:
    """Every configured and declared consumer of one bus, compared. ``elsewhere`` maps a
    consumer name to the other buses (slugs) that declare it. Sorted by name, then kind."""
    found: list[Difference] = []
    names = sorted({r.consumer for r in routes} | {d.name for d in declared})
    for name in names:
        configured = _distinct([r for r in routes if r.consumer == name])
        here = [d for d in declared if d.name == name]
        found += _one_name(grammar, name, configured, here, tuple(elsewhere.get(name, ())))
    return found


def _one_name(
    grammar: Grammar,
    name: str,
    configured: list[Route],
    here: list[Declared],
    buses: tuple[str, ...],
) -> list[Difference]:
    found, left = [], list(here)
    unpaired = []
    for route in configured:
        same = next((d for d in left if _same(grammar, route, d)), None)
        if same is None:
            unpaired.append(route)
            continue
        left.remove(same)
        found.append(Difference(DriftKind.UNCHANGED, name, route, same))
    for route in unpaired:
        if left:
            declared = left.pop(0)
            kind = DriftKind.RULE_DIFFERS if route.rule_known else DriftKind.UNCHANGED
            found.append(Difference(kind, name, route, declared))
        elif here or not buses:
            found.append(Difference(DriftKind.UNDECLARED, name, route))
        else:
            found.append(Difference(DriftKind.OTHER_BUS, name, route, buses=buses))
    found += [Difference(DriftKind.ABSENT, name, declared=d) for d in left]
    return found


def _same(grammar: Grammar, route: Route, declared: Declared) -> bool:
    if not route.rule_known:
        return True
    return route.rule == declared.rule and _scope(grammar, route.scope) == _scope(
        grammar, declared.scope
    )


def _scope(grammar: Grammar, scope: ConsumerScope | None) -> ConsumerScope | None:
    # On SNS no scope is SNS's default; other routers have none.
    if grammar is Grammar.SNS:
        return scope or ConsumerScope.MESSAGE_ATTRIBUTES
    return None


def _distinct(routes: list[Route]) -> list[Route]:
    # One target on two rules with the same pattern (or listed twice) is one consumer.
    kept: list[Route] = []
    for route in routes:
        if not any(k.rule == route.rule and k.scope == route.scope for k in kept):
            kept.append(route)
    return kept


def named_event(rule: dict[str, Any] | None, scope: ConsumerScope | None) -> str | None:
    """The one event type name a rule selects by ``detail-type`` (an EventBridge pattern's
    envelope field, or the message attribute SNS publishers set), or None."""
    if not rule or scope is ConsumerScope.MESSAGE_BODY:
        return None
    values = rule.get("detail-type")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return None
