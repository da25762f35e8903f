"""Write a catalogue as a schemas-as-code tree, the same bytes for the same catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from app.core.errors import InvalidInput
from app.core.tree import CatalogSpec, ConsumerSpec, EventSpec


def write_tree(catalog: CatalogSpec, root: Path) -> int:
    """Write every file of the catalogue under root (which must be empty); return the file count."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InvalidInput(f"{root} is not an empty folder; export into a new or empty one")
    files = dict(_files(catalog))
    for relative, content in files.items():
        path = root / relative
        if not path.resolve().is_relative_to(root.resolve()):
            raise InvalidInput(f"refusing to write {relative!r}: it points outside {root}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return len(files)


def _files(catalog: CatalogSpec):
    registry = _drop_empty(
        {
            "compatibility": catalog.compatibility,
            "policy": catalog.policy,
            "mode": catalog.mode,
            "compatibility_group": catalog.compatibility_group,
        }
    )
    registry["teams"] = [_drop_empty(vars(team).copy()) for team in catalog.teams]
    if catalog.subject_settings:
        registry["subject_settings"] = [_drop_empty(each) for each in catalog.subject_settings]
    yield "registry.yaml", _yaml(registry)
    if catalog.rules:
        yield "rules.yaml", _yaml({"rules": catalog.rules})
    for domain in catalog.domains:
        buses = [
            _drop_empty(
                {
                    "slug": b.slug,
                    "router": b.router,
                    "description": b.description,
                    "publishers": list(b.publishers),
                }
            )
            for b in catalog.buses
            if b.domain == domain.slug
        ]
        body = _drop_empty(
            {"name": domain.name, "description": domain.description, "owner": domain.owner}
        )
        yield f"{domain.slug}/domain.yaml", _yaml({**body, "buses": buses} if buses else body)
    for event in catalog.events:
        yield from _event_files(event)
    if catalog.consumers:
        yield "consumers.yaml", _yaml({"consumers": [_consumer(c) for c in catalog.consumers]})


def _event_files(event: EventSpec):
    folder = f"{event.domain}/{event.name}"
    body = _drop_empty(
        {
            "bus": event.bus,
            "producer": event.producer,
            "aggregate": event.aggregate,
            "command": event.command,
            "description": event.description,
            "compatibility": event.compatibility,
            "policy": event.policy,
            "lifecycle": _stage(event.stage),
            "subjects": list(event.subjects),
            "mode": event.mode,
            "compatibility_group": event.compatibility_group,
        }
    )
    history = _version_history(event)
    if history:
        body["versions"] = history
    stored = [{"name": s.name, "created_at": s.created_at} for s in event.samples if s.created_at]
    if stored:
        body["samples"] = stored
    yield f"{folder}/event.yaml", _yaml(body)
    for version in event.versions:
        yield f"{folder}/v{version.number}.json", _json(version.schema)
    for sample in event.samples:
        yield f"{folder}/samples/{sample.name}.json", _json(sample.payload)


def _version_history(event: EventSpec) -> list[dict[str, Any]]:
    """One entry per number that has something to say: the versions' notes, authors, times,
    soft deletions and dialects, their contents' GUIDs, references, metadata and rule sets, and
    the numbers deleted permanently (which have no file)."""
    entries = {
        v.number: _drop_empty(
            {
                "version": v.number,
                "note": v.note,
                "author": v.author,
                "created_at": v.created_at,
                "deleted_at": v.deleted_at,
                "dialect": v.dialect,
                "guid": v.guid,
                "references": [dict(reference) for reference in v.references],
                "metadata": v.metadata,
                "rule_set": v.rule_set,
                "lifecycle": _stage(v.stage),
            }
        )
        for v in event.versions
    }
    entries |= {number: {"version": number, "purged": True} for number in event.purged}
    return [entries[number] for number in sorted(entries) if len(entries[number]) > 1]


def _consumer(consumer: ConsumerSpec) -> dict[str, Any]:
    return _drop_empty(
        {
            "name": consumer.name,
            "team": consumer.team,
            "bus": consumer.bus,
            "event": consumer.event,
            "pattern": consumer.pattern,
            "scope": consumer.scope,
            "fields": list(consumer.fields),
            "version": consumer.version,
            "calls_back": consumer.calls_back or None,
            "description": consumer.description,
            "created_at": consumer.created_at,
        }
    )


def _stage(stage: dict[str, Any]) -> dict[str, Any] | None:
    """The lifecycle block, absent for an active event type or version (the default)."""
    return _drop_empty(stage) if stage["state"] != "active" else None


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
