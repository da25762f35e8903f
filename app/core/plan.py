"""What pushing a schemas-as-code tree to a registry would change: the plan, as plain values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from app.core.canonical import canonical_json
from app.core.tree import CatalogSpec, ConsumerSpec, EventSpec, VersionSpec, stage_block
from app.core.tree_references import in_reference_order, used_versions


@dataclass(frozen=True)
class Change:
    """One step of a plan; `action` is create, update, register, delete, replace, config or
    drift."""

    action: str
    kind: str
    target: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the change as a JSON-ready dict."""
        return asdict(self)

    def describe(self) -> str:
        """One line for people: '+ create event orders.OrderPlaced'."""
        sign = {"create": "+", "register": "+", "delete": "-", "update": "~", "replace": "~"}
        sign["config"] = "~"
        return f"{sign.get(self.action, '!')} {self.action} {self.kind} {self.target}"


@dataclass
class Plan:
    """The changes in the order they must be applied, and the drift that is only reported."""

    changes: list[Change] = field(default_factory=list)
    drift: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when applying would change nothing."""
        return not self.changes and not self.conflicts


def make_plan(tree: CatalogSpec, server: CatalogSpec, all_drift: bool = False) -> Plan:
    """Compare a tree (wanted) with a registry's catalogue (current).

    Drift (what the registry holds and the tree does not) is reported for what the tree
    declares (see ``declared_drift``); with ``all_drift``, for the whole registry.
    """
    plan = _plan(tree, server)
    if not all_drift:
        plan.drift = declared_drift(plan.drift, tree, server)
    return plan


def declared_drift(drift: list[Change], tree: CatalogSpec, server: CatalogSpec) -> list[Change]:
    """The drift about what the tree declares: its teams, its domains (and the domains of its
    event types), and what belongs to them: their buses, event types with their versions and
    samples, and consumers of those teams or on those buses. A tree of one domain in a shared
    registry is not told about every other team's."""
    domains = {d.slug for d in tree.domains} | {e.domain for e in tree.events}
    teams = {t.slug for t in tree.teams}
    bus_domain = {b.slug: b.domain for b in server.buses} | {b.slug: b.domain for b in tree.buses}
    consumers = {consumer_key(c): c for c in server.consumers}

    def declared(change: Change) -> bool:
        if change.kind == "team":
            return change.target in teams
        if change.kind == "domain":
            return change.target in domains
        if change.kind == "bus":
            return bus_domain.get(change.target) in domains
        if change.kind in ("event", "version", "sample"):
            return change.target.split(".", 1)[0] in domains
        if change.kind == "consumer":
            consumer = consumers.get(change.target)
            return consumer is not None and (
                consumer.team in teams or bus_domain.get(consumer.bus) in domains
            )
        return True  # registry-wide settings concern every tree

    return [change for change in drift if declared(change)]


def _plan(tree: CatalogSpec, server: CatalogSpec) -> Plan:
    plan = Plan()
    _settings(plan, tree, server)
    _keyed(plan, "team", tree.teams, server.teams, lambda t: t.slug, ("name", "description"))
    _keyed(
        plan,
        "domain",
        tree.domains,
        server.domains,
        lambda d: d.slug,
        ("name", "description", "owner"),
    )
    _keyed(
        plan,
        "bus",
        tree.buses,
        server.buses,
        lambda b: b.slug,
        ("domain", "router", "description", "publishers"),
    )
    current = {event.ref: event for event in server.events}
    defaults = (tree.compatibility or server.compatibility, tree.policy or server.policy)
    # What a version references is registered before it (Confluent's references).
    for event in in_reference_order(tree.events):
        _event(plan, event, current.get(event.ref), defaults, tree.events)
    for ref in sorted(set(current) - {event.ref for event in tree.events}):
        plan.drift.append(
            Change("drift", "event", ref, {"reason": "in the registry, not in the tree"})
        )
    _consumers(plan, tree.consumers, server.consumers)
    _version_stages(plan, tree.events, current)
    return plan


def _version_stages(plan: Plan, events: list[EventSpec], current: dict[str, EventSpec]) -> None:
    """A version whose lifecycle differs from the registry's moves there, after the consumers
    (one pinned to a version the tree retires is created first: a retired one takes none)."""
    for event in events:
        existing = current.get(event.ref)
        have = {v.number: v.stage for v in existing.versions} if existing else {}
        for version in event.versions:
            was = have.get(version.number, stage_block({"state": "active"}))
            if version.stage != was:
                target = f"{event.ref} v{version.number}"
                details = {"stage": {"from": was, "to": version.stage}}
                plan.changes.append(Change("update", "version", target, details))


# What apply cannot change, and why.
_NOT_UPDATED = {"team": "an admin changes teams in the registry"}
_EVENT_FIELDS = ("bus", "producer", "aggregate", "command", "description", "stage")


def _settings(plan: Plan, tree: CatalogSpec, server: CatalogSpec) -> None:
    wanted = {"compatibility": tree.compatibility, "policy": tree.policy}
    have = {"compatibility": server.compatibility, "policy": server.policy}
    changed = {k: v for k, v in wanted.items() if v is not None and v != have[k]}
    if changed:
        plan.changes.append(Change("config", "registry", "config", {"from": have, "to": changed}))
    if tree.rules is not None and tree.rules != server.rules:
        plan.changes.append(Change("config", "registry", "rules", {"rules": tree.rules}))


def _keyed(plan: Plan, kind: str, wanted: list, have: list, key, fields: tuple[str, ...]) -> None:
    current = {key(item): item for item in have}
    for item in wanted:
        existing = current.get(key(item))
        if existing is None:
            plan.changes.append(Change("create", kind, key(item), _values(item, fields)))
            continue
        differences = _differences(item, existing, fields)
        if "domain" in differences:
            reason = f"is in domain {existing.domain!r} in the registry; a bus cannot move"
            plan.conflicts.append(Change("conflict", kind, key(item), {"reason": reason}))
        elif differences and kind in _NOT_UPDATED:
            reason = f"differs from the tree ({', '.join(differences)}); {_NOT_UPDATED[kind]}"
            plan.drift.append(Change("drift", kind, key(item), {"reason": reason}))
        elif differences:
            plan.changes.append(Change("update", kind, key(item), differences))
    for missing in sorted(set(current) - {key(item) for item in wanted}):
        plan.drift.append(
            Change("drift", kind, missing, {"reason": "in the registry, not in the tree"})
        )


def _event(
    plan: Plan,
    event: EventSpec,
    existing: EventSpec | None,
    defaults: tuple[Any, Any],
    events: list[EventSpec],
) -> None:
    if existing is None:
        plan.changes.append(Change("create", "event", event.ref, _values(event, _EVENT_FIELDS)))
        existing = EventSpec(event.domain, event.name, event.path)
    else:
        differences = _differences(event, existing, _EVENT_FIELDS)
        if differences:
            plan.changes.append(Change("update", "event", event.ref, differences))
    if _differences(event, existing, ("compatibility", "policy")):
        config = {
            name: {"from": getattr(existing, name), "to": getattr(event, name)}
            for name in ("compatibility", "policy")
        }
        plan.changes.append(Change("config", "event", event.ref, config))
    # Samples first: the server tries a new version against the stored samples.
    _samples(plan, event, existing)
    level = event.compatibility or defaults[0] or "BACKWARD"
    policy = event.policy or defaults[1] or "strict"
    _versions(plan, event, existing, (level, policy), events)


def _versions(
    plan: Plan,
    event: EventSpec,
    existing: EventSpec,
    config: tuple[str, str],
    events: list[EventSpec],
) -> None:
    """Versions match by number. A new one is registered when the registry would give it the
    tree's number; one the tree soft-deletes is deleted after the registrations, so the versions
    after it are judged against it as they were when it was live. A version's identity is its
    schema with its references (Confluent's): the same text naming other versions is other
    content."""
    have = {version.number: version for version in existing.versions}
    live = {_content(v): v.number for v in existing.live_versions}
    expected, deletes = existing.last_version + 1, []
    for version in event.versions:
        target = f"{event.ref} v{version.number}"
        text = _content(version)
        current = have.get(version.number)
        reason = _version_conflict(version, current, text, expected, live)
        if reason:
            plan.conflicts.append(Change("conflict", "version", target, {"reason": reason}))
        elif current is None:
            details = {"file": version.path, "note": version.note, "schema": version.schema}
            details |= {"level": config[0], "policy": config[1]}
            if version.references:
                details["references"] = [dict(each) for each in version.references]
                details["uses"] = used_versions(version, events)
            plan.changes.append(Change("register", "version", target, details))
            expected += 1
            live[text] = version.number
        if not reason and not version.live and (current is None or current.live):
            deletes.append(Change("delete", "version", target, {"file": version.path}))
    plan.changes.extend(deletes)
    extra = sorted(set(have) - {version.number for version in event.versions})
    if extra:
        reason = f"registry versions {extra} are not in the tree"
        plan.drift.append(Change("drift", "version", event.ref, {"reason": reason}))


def _version_conflict(
    version: VersionSpec,
    current: VersionSpec | None,
    text: str,
    expected: int,
    live: dict[str, int],
) -> str:
    """Why the tree's version cannot be pushed as it is ('' when it can)."""
    if current is not None:
        if canonical_json(current.schema) != canonical_json(version.schema):
            return (
                f"the registry's version {current.number} has other content; "
                "registered versions never change"
            )
        if _content(current) != text:
            return (
                f"the registry's version {current.number} has other references "
                f"({_named(current)} there, {_named(version)} in the tree); "
                "registered versions never change"
            )
        if version.live and not current.live:
            return "it is soft-deleted in the registry; a deleted version does not come back"
        return ""
    if version.number < expected:
        return (
            f"the registry gave number {version.number} already and deleted it permanently; "
            "numbers are never given twice"
        )
    if version.number > expected:
        return (
            f"the registry would number it v{expected}: only `eventry import` into an empty "
            "registry keeps numbers deleted permanently"
        )
    if text in live:
        return f"repeats version {live[text]}; the registry would answer with it"
    return ""


def _content(version: VersionSpec) -> str:
    # The schema and the versions it names: Confluent's identity of registered content.
    references = [dict(each) for each in version.references]
    return (
        canonical_json([version.schema, references])
        if references
        else canonical_json(version.schema)
    )


def _named(version: VersionSpec) -> str:
    shown = [f"{r['name']} → {r['subject']} v{r['version']}" for r in version.references]
    return ", ".join(shown) or "none"


def _samples(plan: Plan, event: EventSpec, existing: EventSpec) -> None:
    have = {sample.name: sample for sample in existing.samples}
    for sample in event.samples:
        current = have.get(sample.name)
        details = {"payload": sample.payload}
        if current is None:
            plan.changes.append(Change("create", "sample", f"{event.ref}/{sample.name}", details))
        elif canonical_json(current.payload) != canonical_json(sample.payload):
            plan.changes.append(Change("replace", "sample", f"{event.ref}/{sample.name}", details))
    for name in sorted(set(have) - {sample.name for sample in event.samples}):
        plan.drift.append(
            Change(
                "drift",
                "sample",
                f"{event.ref}/{name}",
                {"reason": "in the registry, not in the tree"},
            )
        )


def consumer_key(consumer: ConsumerSpec) -> str:
    """A consumer's identity: its name, bus and event."""
    return f"{consumer.name}@{consumer.bus}" + (f"/{consumer.event}" if consumer.event else "")


_CONSUMER_FIELDS = ("team", "pattern", "scope", "fields", "version", "calls_back", "description")


def _consumers(plan: Plan, wanted: list[ConsumerSpec], have: list[ConsumerSpec]) -> None:
    current = {consumer_key(c): c for c in have}
    for consumer in wanted:
        key = consumer_key(consumer)
        existing = current.get(key)
        if existing is None:
            details = {"name": consumer.name, "bus": consumer.bus, "event": consumer.event}
            plan.changes.append(
                Change("create", "consumer", key, details | _values(consumer, _CONSUMER_FIELDS))
            )
            continue
        # Without a team in the tree, the registry records the applying token's team.
        fields = _CONSUMER_FIELDS if consumer.team else _CONSUMER_FIELDS[1:]
        differences = _differences(consumer, existing, fields)
        if differences:
            plan.changes.append(Change("update", "consumer", key, differences))
    for key in sorted(set(current) - {consumer_key(c) for c in wanted}):
        plan.drift.append(
            Change("drift", "consumer", key, {"reason": "in the registry, not in the tree"})
        )


def _values(item: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(item, name)) for name in fields}


def _differences(wanted: Any, have: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    changed = {}
    for name in fields:
        new, old = _plain(getattr(wanted, name)), _plain(getattr(have, name))
        if new != old:
            changed[name] = {"from": old, "to": new}
    return changed


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
