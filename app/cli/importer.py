"""`eventry import`: a tree restored into an empty registry exactly as `eventry export` wrote it.

The structure (settings, rules, teams, domains, buses, event types) is created as `apply` would;
the history goes through the admin-only import routes (/api/v1/import/…), which keep each
version's number, author, note, times and soft-deleted state (and its content's GUID,
references, metadata and rule set), each sample's and consumer's creation time, each event type's
version counter and Confluent subjects, and the modes and compatibility groups. Subjects come
first and versions in an order where each reference's target comes before it; modes come last,
so a READONLY registry takes its history first. A registry that has content already is
refused: numbers given there would collide with the tree's, and `apply` is the command that
pushes a tree into a living registry.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from app.cli.apply import Applier, stage_changes
from app.cli.remote import Registry, event_path
from app.core.errors import InvalidInput
from app.core.plan import Change, consumer_key, make_plan
from app.core.subjects import parse_subject
from app.core.tree import CatalogSpec, ConsumerSpec, EventSpec, VersionSpec

# What the plan creates as `apply` does; versions, samples and consumers are imported instead.
_STRUCTURE = {"registry", "team", "domain", "bus", "event"}


@dataclass(frozen=True)
class Step:
    """One request of an import, described for people."""

    describe: str
    run: Callable[[], Any]


class NotEmpty(Exception):
    """The registry has content; the message says what and what to do instead."""


def import_steps(registry: Registry, tree: CatalogSpec) -> list[Step]:
    """Every request that restores the tree, in order; raise NotEmpty for a registry with
    content (RemoteError when it cannot be read)."""
    server = registry.fetch_catalog()
    _refuse_unless_empty(server, registry.base)
    planned = make_plan(tree, server).changes
    changes = [c for c in planned if c.kind in _STRUCTURE]
    if tree.rules is None and server.rules:
        # No rules.yaml means no rules: the registry's own would not survive a second export.
        changes.append(Change("config", "registry", "rules", {"rules": []}))
    applier = Applier(registry)
    steps = [Step(change.describe(), partial(applier.apply, change)) for change in changes]
    for event in tree.events:
        steps += _subjects(registry, event)
    steps += [_version(registry, event, version) for event, version in dependency_order(tree)]
    for event in tree.events:
        steps += _history(registry, event)
    # A deprecation or retirement after the versions, which a retired event type refuses.
    steps += [Step(c.describe(), partial(applier.apply, c)) for c in stage_changes(changes)]
    steps += [_consumer(registry, consumer) for consumer in tree.consumers]
    # A version's lifecycle after the consumers pinned to it: a retired one takes none.
    moves = [
        c for c in make_plan(tree, server).changes if (c.kind, c.action) == ("version", "update")
    ]
    steps += [Step(change.describe(), partial(applier.apply, change)) for change in moves]
    if tree.subject_settings:
        body = {"subject_settings": tree.subject_settings}
        call = partial(registry.call, "PUT", "/api/v1/import/subject-settings", body)
        steps.append(Step("~ import settings of subjects not registered yet", call))
    for owner in (*tree.events, tree):
        steps += _settings(registry, owner)
    return steps


def dependency_order(tree: CatalogSpec) -> list[tuple[EventSpec, VersionSpec]]:
    """Every version of the tree, each after the versions its references name and after the
    lower numbers of its own event type: a topological order, the tree's own where it is free.
    Versions on a cycle (which `eventry check` reports) come last, in the tree's order."""
    nodes, needs = _dependencies(tree)
    users: list[list[int]] = [[] for _ in nodes]
    for index, needed in enumerate(needs):
        for each in needed:
            users[each].append(index)
    waiting = [len(needed) for needed in needs]
    ready = [index for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        index = heapq.heappop(ready)
        order.append(index)
        for user in users[index]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    placed = set(order)
    order += [index for index in range(len(nodes)) if index not in placed]
    return [nodes[index] for index in order]


def _dependencies(
    tree: CatalogSpec,
) -> tuple[list[tuple[EventSpec, VersionSpec]], list[set[int]]]:
    """The versions in the tree's order, and for each the indexes of those it needs first."""
    nodes = [(event, version) for event in tree.events for version in event.versions]
    index = {(event.ref, version.number): i for i, (event, version) in enumerate(nodes)}
    bound = {subject: event.ref for event in tree.events for subject in event.subjects}
    needs: list[set[int]] = []
    for event, version in nodes:
        lower = [v.number for v in event.versions if v.number < version.number]
        needed = {index[(event.ref, max(lower))]} if lower else set()
        for reference in version.references:
            target = (_target(reference["subject"], bound), reference["version"])
            if target in index:  # else the server names what is missing
                needed.add(index[target])
        needs.append(needed)
    return nodes, needs


def _target(subject: str, bound: dict[str, str]) -> str | None:
    """The event type (domain.EventName) a subject names: the one that binds it, else the one
    it addresses directly."""
    if subject in bound:
        return bound[subject]
    try:
        direct = parse_subject(subject).direct
    except InvalidInput:
        return None
    return f"{direct[0]}.{direct[1]}" if direct else None


def _refuse_unless_empty(server: CatalogSpec, url: str) -> None:
    kinds = {
        "teams": server.teams,
        "domains": server.domains,
        "buses": server.buses,
        "event types": server.events,
        "consumers": server.consumers,
    }
    found = [f"{len(items)} {kind}" for kind, items in kinds.items() if items]
    if found:
        raise NotEmpty(
            f"the registry at {url} is not empty ({', '.join(found)}); `eventry import` restores "
            "a tree into an empty registry, keeping version numbers, authors and times. Use "
            "`eventry plan` and `eventry apply` to push a tree into a registry that has content"
        )


def _import_base(event: EventSpec) -> str:
    return "/api/v1/import" + event_path(event.ref).removeprefix("/api/v1")


def _subjects(registry: Registry, event: EventSpec) -> list[Step]:
    """The Confluent subjects bound to the event type, before any reference names them."""
    if not event.subjects:
        return []
    body, what = {"subjects": list(event.subjects)}, f"~ import subjects {event.ref}"
    path = f"{_import_base(event)}/subjects"
    return [Step(what, partial(registry.call, "PUT", path, body))]


def _version(registry: Registry, event: EventSpec, version: VersionSpec) -> Step:
    body = {"version": version.number, "schema": version.schema, "note": version.note}
    history = {
        "author": version.author,
        "created_at": version.created_at,
        "deleted_at": version.deleted_at,
        "dialect": version.dialect,
        "guid": version.guid,
        "references": [dict(reference) for reference in version.references],
    }
    body |= {key: value for key, value in history.items() if value}
    # An empty metadata object is kept as one: it is part of the content's identity.
    contract = {"metadata": version.metadata, "ruleSet": version.rule_set}
    body |= {key: value for key, value in contract.items() if value is not None}
    what = f"+ import version {event.ref} v{version.number}"
    path = f"{_import_base(event)}/versions"
    return Step(what, partial(registry.call, "POST", path, body))


def _history(registry: Registry, event: EventSpec) -> list[Step]:
    """What follows the versions: the counter, the samples."""
    base, steps = _import_base(event), []
    if event.last_version > max((v.number for v in event.versions), default=0):
        body = {"last_version": event.last_version}
        what = f"~ import counter {event.ref} (last v{event.last_version})"
        steps.append(Step(what, partial(registry.call, "PUT", f"{base}/last-version", body)))
    for sample in event.samples:
        body = {"name": sample.name, "payload": sample.payload}
        body |= {"created_at": sample.created_at} if sample.created_at else {}
        what = f"+ import sample {event.ref}/{sample.name}"
        steps.append(Step(what, partial(registry.call, "POST", f"{base}/samples", body)))
    return steps


def _settings(registry: Registry, owner: EventSpec | CatalogSpec) -> list[Step]:
    """A mode and compatibility group, once everything else is in (a READONLY mode last)."""
    if owner.mode is None and owner.compatibility_group is None:
        return []
    body = {"mode": owner.mode, "compatibility_group": owner.compatibility_group}
    if isinstance(owner, EventSpec):
        what, path = f"~ import settings {owner.ref}", f"{_import_base(owner)}/settings"
    else:
        body["mode"] = owner.mode or "READWRITE"
        what, path = "~ import registry settings", "/api/v1/import/settings"
    return [Step(what, partial(registry.call, "PUT", path, body))]


def _consumer(registry: Registry, consumer: ConsumerSpec) -> Step:
    fields = {
        "name": consumer.name,
        "bus": consumer.bus,
        "team": consumer.team,
        "event": consumer.event,
        "pattern": consumer.pattern,
        "scope": consumer.scope,
        "fields": list(consumer.fields),
        "version": consumer.version,
        "calls_back": consumer.calls_back,
        "description": consumer.description,
        "created_at": consumer.created_at,
    }
    body = {key: value for key, value in fields.items() if value not in (None, "", [], False)}
    what = f"+ import consumer {consumer_key(consumer)}"
    return Step(what, partial(registry.call, "POST", "/api/v1/import/consumers", body))
