"""`eventry import`: a tree restored into an empty registry exactly as `eventry export` wrote it.

The structure (settings, rules, teams, domains, buses, event types) is created as `apply` would;
the history goes through the admin-only import routes (/api/v1/import/…), which keep each
version's number, author, note, times and soft-deleted state, each sample's and consumer's
creation time, and each event type's version counter. A registry that has content already is
refused: numbers given there would collide with the tree's, and `apply` is the command that
pushes a tree into a living registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from app.cli.apply import Applier
from app.cli.remote import Registry, event_path
from app.core.plan import Change, consumer_key, make_plan
from app.core.tree import CatalogSpec, ConsumerSpec, EventSpec

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
    changes = [c for c in make_plan(tree, server).changes if c.kind in _STRUCTURE]
    if tree.rules is None and server.rules:
        # No rules.yaml means no rules: the registry's own would not survive a second export.
        changes.append(Change("config", "registry", "rules", {"rules": []}))
    applier = Applier(registry)
    steps = [Step(change.describe(), partial(applier.apply, change)) for change in changes]
    for event in tree.events:
        steps += _history(registry, event)
    steps += [_consumer(registry, consumer) for consumer in tree.consumers]
    return steps


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


def _history(registry: Registry, event: EventSpec) -> list[Step]:
    base = "/api/v1/import" + event_path(event.ref).removeprefix("/api/v1")
    steps = []
    for version in event.versions:
        body = {"version": version.number, "schema": version.schema, "note": version.note}
        history = {
            "author": version.author,
            "created_at": version.created_at,
            "deleted_at": version.deleted_at,
            "dialect": version.dialect,
        }
        body |= {key: value for key, value in history.items() if value}
        what = f"+ import version {event.ref} v{version.number}"
        steps.append(Step(what, partial(registry.call, "POST", f"{base}/versions", body)))
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


def _consumer(registry: Registry, consumer: ConsumerSpec) -> Step:
    fields = {
        "name": consumer.name,
        "bus": consumer.bus,
        "team": consumer.team,
        "event": consumer.event,
        "pattern": consumer.pattern,
        "fields": list(consumer.fields),
        "calls_back": consumer.calls_back,
        "description": consumer.description,
        "created_at": consumer.created_at,
    }
    body = {key: value for key, value in fields.items() if value not in (None, "", [], False)}
    what = f"+ import consumer {consumer_key(consumer)}"
    return Step(what, partial(registry.call, "POST", "/api/v1/import/consumers", body))
