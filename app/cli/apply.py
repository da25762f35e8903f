"""Carry out a plan's changes through the REST API, and predict which the server would refuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.cli.remote import Registry, RemoteError, event_path
from app.core.plan import Change, Plan, consumer_key
from app.core.tree import ConsumerSpec


class Applier:
    """Applies changes one by one; `done` counts the ones that went through."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.done = 0

    def apply(self, change: Change) -> None:
        """Apply one change; raise RemoteError when the server refuses it."""
        handler = getattr(self, f"_{change.action}_{change.kind}")
        handler(change)
        self.done += 1

    def _config_registry(self, change: Change) -> None:
        if change.target == "rules":
            self.registry.call("PUT", "/api/v1/rules", {"rules": change.details["rules"]})
        else:
            self.registry.call("PUT", "/api/v1/config", change.details["to"])

    def _create_team(self, change: Change) -> None:
        self.registry.call("POST", "/api/v1/teams", {"slug": change.target, **_set(change.details)})

    def _create_domain(self, change: Change) -> None:
        self.registry.call(
            "POST", "/api/v1/domains", {"slug": change.target, **_set(change.details)}
        )

    def _update_domain(self, change: Change) -> None:
        self.registry.call("PATCH", f"/api/v1/domains/{change.target}", _to(change.details))

    def _create_bus(self, change: Change) -> None:
        body = {"slug": change.target, "domain": change.details["domain"], **_set(change.details)}
        self.registry.call("POST", "/api/v1/buses", body)

    def _update_bus(self, change: Change) -> None:
        body = _to(change.details)
        if "domain" in body:
            raise RemoteError(
                f"bus {change.target} is in another domain in the registry; move it by hand"
            )
        self.registry.call("PATCH", f"/api/v1/buses/{change.target}", body)

    def _create_event(self, change: Change) -> None:
        domain, _, name = change.target.partition(".")
        details = dict(change.details)
        stage = details.pop("stage", None) or {"state": "active"}
        body = {"domain": domain, "name": name, **_set(details)}
        if stage["state"] == "deprecated" and not stage.get("reason"):
            body["deprecated"] = True  # the flag alone, as the tree says it
        self.registry.call("POST", "/api/v1/events", body)
        if stage["state"] == "draft":  # a later stage waits for the versions: see `stages`
            self._stage(change.target, stage)

    def _update_event(self, change: Change) -> None:
        body = _to(change.details)
        stage = body.pop("stage", None)
        if body:
            self.registry.call("PATCH", event_path(change.target), body)
        if stage is not None:
            self._stage(change.target, stage)

    def _stage(self, ref: str, stage: dict[str, Any]) -> None:
        if stage["state"] == "deprecated" and not stage.get("reason"):
            self.registry.call("PATCH", event_path(ref), {"deprecated": True})
            return
        body = {key: value for key, value in stage.items() if value is not None}
        self.registry.call("PUT", f"{event_path(ref)}/lifecycle", body)

    def _update_version(self, change: Change) -> None:
        ref, number = change.target.rsplit(" v", 1)
        stage = change.details["stage"]["to"]
        body = {key: value for key, value in stage.items() if value is not None}
        self.registry.call("PUT", f"{event_path(ref)}/versions/{number}/lifecycle", body)

    def _config_event(self, change: Change) -> None:
        wanted = _to(change.details)
        self.registry.call("DELETE", f"{event_path(change.target)}/config")
        overrides = {key: value for key, value in wanted.items() if value is not None}
        if overrides:
            self.registry.call("PUT", f"{event_path(change.target)}/config", overrides)

    def _register_version(self, change: Change) -> None:
        ref = change.target.split(" ")[0]
        body = {"schema": change.details["schema"], "note": change.details.get("note", "")}
        if change.details.get("references"):
            body["references"] = change.details["references"]
        self.registry.call("POST", f"{event_path(ref)}/versions", body)

    def _delete_version(self, change: Change) -> None:
        ref, _, number = change.target.partition(" v")
        self.registry.call("DELETE", f"{event_path(ref)}/versions/{number}")

    def _create_sample(self, change: Change) -> None:
        ref, _, name = change.target.partition("/")
        body = {"name": name, **change.details}
        self.registry.call("POST", f"{event_path(ref)}/samples", body)

    def _replace_sample(self, change: Change) -> None:
        ref, _, name = change.target.partition("/")
        for sample in self.registry.pages(f"{event_path(ref)}/samples"):
            if sample["name"] == name:
                self.registry.call("DELETE", f"{event_path(ref)}/samples/{sample['id']}")
        self._create_sample(change)

    def _create_consumer(self, change: Change) -> None:
        self.registry.call("POST", "/api/v1/consumers", _set(change.details))

    def _update_consumer(self, change: Change) -> None:
        for consumer in self.registry.pages("/api/v1/consumers"):
            if _key(consumer) == change.target:
                body = _to(change.details)
                body.pop("team", None)  # a consumer's team is part of who registered it
                if body:
                    self.registry.call("PATCH", f"/api/v1/consumers/{consumer['id']}", body)
                return
        raise RemoteError(f"consumer {change.target} disappeared from the registry")


@dataclass(frozen=True)
class Prediction:
    """What the registry says of one version registration of a plan: why it would refuse it
    (None: it would accept it) and, for each difference, the consumers it touches (the
    verdict's ``impact``: {type, pointer, field, consumers: [{name, team, fields}], summary}),
    and what changes for each consumer pinned to an older version (its ``pinned``: {name,
    team, version, to, differences, summary})."""

    change: Change
    refusal: str | None
    impact: list[dict[str, Any]] = field(default_factory=list)
    pinned: list[dict[str, Any]] = field(default_factory=list)


def predictions(registry: Registry, plan: Plan) -> list[Prediction]:
    """Ask the server what it would make of each version registration of the plan. A second
    registration of one event in a plan is checked against the first statelessly: the server
    names no consumers for it. A version with references is judged by the event type's
    compatibility test with its references, against the registry's versions; one that references
    a version the plan registers first cannot be judged before it exists, and is left to apply."""
    found = []
    previous: dict[str, Any] = {}
    registered = {change.target for change in plan.changes if change.action == "register"}
    for change in plan.changes:
        if change.action != "register":
            continue
        ref = change.target.split(" ")[0]
        schema = change.details["schema"]
        config = {"level": change.details["level"], "policy": change.details["policy"]}
        refusal = None
        references = change.details.get("references")
        if references and registered.intersection(change.details.get("uses", [])):
            previous[ref] = schema
            continue
        try:
            if ref in previous and not references:
                body = {"old": previous[ref], "new": schema, **config}
                verdict = registry.call("POST", "/api/v1/compatibility", body)[1]
            else:
                body = {"schema": schema, **config}
                body |= {"references": references} if references else {}
                verdict = registry.call("POST", f"{event_path(ref)}/compatibility", body)[1]
        except RemoteError as error:
            if error.status != 404:  # a 404 is an event the plan creates first
                refusal = str(error)
            verdict = {"compatible": True}
        if not verdict["compatible"]:
            first = next((d for d in verdict["differences"] if not d["compatible"]), None)
            refusal = first["message"] if first else "a stored sample breaks"
        impact, pinned = verdict.get("impact") or [], verdict.get("pinned") or []
        found.append(Prediction(change, refusal, impact, pinned))
        previous[ref] = schema
    return found


def _set(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in details.items() if value not in (None, "", [])}


def _to(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value["to"] for key, value in details.items()}


def _key(consumer: dict[str, Any]) -> str:
    spec = ConsumerSpec(consumer["name"], consumer["bus"], "", "", event=consumer["event"])
    return consumer_key(spec)


def stage_changes(changes: list[Change]) -> list[Change]:
    """For the events these changes create in a stage past active, the change that puts them
    there, to run after their versions (a retired one takes none)."""
    found = []
    for change in changes:
        stage = change.details.get("stage") if change.kind == "event" else None
        # Without a reason, the deprecated flag on creation said it.
        later = stage and stage["state"] in ("deprecated", "retired") and stage.get("reason")
        if change.action == "create" and later:
            found.append(Change("update", "event", change.target, {"stage": {"to": stage}}))
    return found
