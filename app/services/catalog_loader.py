"""Store a schemas-as-code tree in the registry: what is missing is created, nothing is changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.contract import Contract
from app.core.errors import InvalidInput
from app.core.tree import CatalogSpec, EventSpec
from app.core.tree_references import in_reference_order
from app.core.words import counted
from app.db.queries import catalog as queries
from app.services import catalog, lifecycle, rules, samples, settings, versions
from app.services.transaction import atomic
from app.services.tree_reader import read_tree
from app.services.version_lifecycle import set_version_lifecycle


@dataclass
class LoadReport:
    """How many things of each kind the load created."""

    created: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """Return a one-line summary such as '5 domains, 22 event types, 31 versions'."""
        parts = [f"{count} {kind}" for kind, count in self.created.items() if count]
        return ", ".join(parts) or "nothing new"


def load_catalog(session: Session, root: Path, actor: Actor) -> LoadReport:
    """Read a tree and store it in one transaction; a tree with problems stores nothing."""
    spec, problems = read_tree(root)
    if problems:
        raise InvalidInput(
            f"{root}: {counted(len(problems), 'problem')} in the catalogue tree; "
            "nothing was stored",
            [problem.to_dict() for problem in problems],
        )
    report = LoadReport()
    with atomic(session):
        if spec.compatibility or spec.policy:
            settings.set_defaults(session, actor, spec.compatibility, spec.policy)
        if spec.rules is not None and spec.rules != rules.get_rules(session):
            rules.set_rules(session, actor, spec.rules)
        _store_structure(session, actor, spec, report)
        # What a version references is registered before it (Confluent's references).
        for event in in_reference_order(spec.events):
            _store_event(session, actor, event, report)
        # After every event's versions (a retired one takes none), successors all there.
        for event in spec.events:
            _restore_stage(session, actor, event, early=False)
        _store_consumers(session, actor, spec, report)
        # After the consumers pinned to them: a retired version takes no newly pinned one.
        for event in spec.events:
            _restore_version_stages(session, actor, event)
    return report


def _store_structure(session: Session, actor: Actor, spec: CatalogSpec, report: LoadReport) -> None:
    for team in spec.teams:
        if queries.team_by_slug(session, team.slug) is None:
            catalog.create_team(session, actor, team.slug, team.name, team.description)
            report.created["teams"] += 1
    for domain in spec.domains:
        if queries.domain_by_slug(session, domain.slug) is None:
            catalog.create_domain(
                session, actor, domain.slug, domain.name, domain.owner, domain.description
            )
            report.created["domains"] += 1
    for bus in spec.buses:
        if queries.bus_by_slug(session, bus.slug) is None:
            catalog.create_bus(
                session,
                actor,
                bus.slug,
                bus.domain,
                bus.router,
                bus.description,
                publishers=list(bus.publishers),
            )
            report.created["buses"] += 1


def _store_event(session: Session, actor: Actor, event: EventSpec, report: LoadReport) -> None:
    if queries.event_type_by_name(session, event.domain, event.name) is None:
        catalog.create_event_type(
            session,
            actor,
            event.domain,
            event.name,
            bus=event.bus,
            producer=event.producer,
            aggregate=event.aggregate,
            command=event.command,
            description=event.description,
            compatibility=event.compatibility,
            policy=event.policy,
            # A deprecation without a reason is the flag alone (as an export writes it).
            deprecated=event.stage["state"] == "deprecated" and not event.stage["reason"],
        )
        report.created["event types"] += 1
    _restore_stage(session, actor, event, early=True)
    soft_deleted = []
    for version in event.versions:
        contract = Contract(references=[dict(each) for each in version.references])
        outcome = versions.register_version(
            session,
            actor,
            event.domain,
            event.name,
            version.schema,
            version.note,
            version.author,
            contract,
        )
        report.created["versions"] += outcome.created
        if outcome.created and not version.live:
            soft_deleted.append(outcome.version.version)
    # After every registration, so the later versions are judged with these live, as they were.
    for number in soft_deleted:
        versions.delete_version(session, actor, event.domain, event.name, number, permanent=False)
    existing = {
        sample.name for sample in catalog.get_event_type(session, event.domain, event.name).samples
    }
    for sample in event.samples:
        if sample.name not in existing:
            samples.add_sample(
                session,
                actor,
                event.domain,
                event.name,
                sample.name,
                sample.payload,
            )
            report.created["samples"] += 1


def _restore_stage(session: Session, actor: Actor, event: EventSpec, early: bool) -> None:
    if event.lifecycle is not None:
        event_type = catalog.get_event_type(session, event.domain, event.name)
        lifecycle.restore_stage(session, actor, event_type, event.lifecycle, early)


def _restore_version_stages(session: Session, actor: Actor, event: EventSpec) -> None:
    domain, name = event.ref.split(".", 1)
    for version in event.versions:
        if version.stage["state"] != "active":
            wanted = lifecycle.stage_from(version.stage)
            set_version_lifecycle(session, actor, domain, name, str(version.number), wanted)


def _store_consumers(session: Session, actor: Actor, spec: CatalogSpec, report: LoadReport) -> None:
    for consumer in spec.consumers:
        bus = catalog.get_bus(session, consumer.bus)
        event_id = None
        if consumer.event:
            event_id = catalog.get_event_type(session, *catalog.parse_ref(consumer.event)).id
        if queries.consumer_by_identity(session, consumer.name, bus.id, event_id) is not None:
            continue
        catalog.create_consumer(
            session,
            actor,
            consumer.name,
            consumer.bus,
            team=consumer.team,
            event=consumer.event,
            pattern=consumer.pattern,
            scope=consumer.scope,
            fields=list(consumer.fields),
            version=consumer.version,
            calls_back=consumer.calls_back,
            description=consumer.description,
        )
        report.created["consumers"] += 1
