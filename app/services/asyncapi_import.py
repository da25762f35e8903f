"""Importing an AsyncAPI 2.6 or 3.0 document into a domain (docs/interop.md, AsyncAPI).

Idempotent: what exists already is left as it is (hand edits kept), a payload whose content
is a live version already (same fingerprint) is not registered again, a sample or consumer
that exists is not added again. ``prune`` deletes what the domain holds and the document no
longer names. Every change goes through the service that owns its rule (catalog, versions,
samples, changes), in one transaction: a refused step changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.config import Settings
from app.core.access import Actor
from app.core.asyncapi import ApiCatalog, Message, load_text, read_catalog
from app.core.asyncapi.bundling import bundled
from app.core.canonical import canonical_json
from app.core.errors import InvalidInput
from app.core.vocabulary import is_slug
from app.db.models import Domain, EventType
from app.db.queries import asyncapi as queries
from app.db.queries import catalog as catalog_queries
from app.db.queries import schemas as schema_queries
from app.services import catalog, changes, samples, schemas, versions
from app.services.transaction import atomic, rehearsal

KINDS = ("domain", "bus", "event", "version", "sample", "consumer")
OUTCOMES = ("created", "updated", "unchanged", "pruned")


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): per kind, the names per outcome."""

    title: str
    dry_run: bool
    outcomes: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {kind: {outcome: [] for outcome in OUTCOMES} for kind in KINDS}
    )
    warnings: list[dict[str, str]] = field(default_factory=list)

    def note(self, kind: str, outcome: str, name: str) -> None:
        """Record one outcome."""
        self.outcomes[kind][outcome].append(name)

    @property
    def changed(self) -> bool:
        """True when anything was (or would be) created, updated or pruned."""
        return any(
            names[outcome]
            for names in self.outcomes.values()
            for outcome in ("created", "updated", "pruned")
        )

    def to_dict(self) -> dict[str, Any]:
        """{"title", "dry_run", "changed", "kinds": {kind: {outcome: [names]}}, "warnings"}"""
        return {
            "title": self.title,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "kinds": self.outcomes,
            "warnings": self.warnings,
        }


def import_document(
    session: Session,
    actor: Actor,
    text: bytes | str,
    domain: str,
    team: str | None = None,
    dry_run: bool = False,
    prune: bool = False,
    most_bytes: int | None = None,
) -> ImportReport:
    """Import a document's text (JSON or YAML, at most ``most_bytes``: default, the API's
    body limit) into ``domain``, which
    is created for ``team`` (default: the actor's) when it does not exist.

    Raises InvalidInput (422, with the document pointer of each problem: not AsyncAPI, a
    reference that names nothing, a payload that is no valid JSON Schema; a channel whose bus
    belongs to another domain; no team for a new domain), Forbidden, NotFound (the team) and
    Conflict (a changed payload incompatible with the live versions; pruning an event type
    that consumers of other services still declare). A refusal changes nothing."""
    if not is_slug(domain):
        raise InvalidInput(f"{domain!r} is not a domain slug such as orders")
    document = load_text(text, most_bytes or Settings.max_body_bytes)
    found = read_catalog(document, domain)
    report = ImportReport(found.title, dry_run, warnings=list(found.warnings))
    with rehearsal(session) if dry_run else atomic(session):
        _Importer(session, actor, domain, team or actor.team, report).run(found, prune)
    return report


class _Importer:
    def __init__(
        self, session: Session, actor: Actor, domain: str, team: str | None, report: ImportReport
    ) -> None:
        self.session = session
        self.actor = actor
        self.domain = domain
        self.team = team
        self.report = report

    def run(self, found: ApiCatalog, prune: bool) -> None:
        owner = self._domain()
        for channel in found.channels:
            self._bus(channel.bus, channel.router.value, channel.description, owner)
        for message in found.messages:
            self._event(message, found)
        for subscription in found.subscriptions:
            self._consumer(subscription.service, subscription.bus, subscription.event)
        if prune:
            _Pruner(self, owner).run(found)

    def _domain(self) -> Domain:
        existing = catalog_queries.domain_by_slug(self.session, self.domain)
        if existing is not None:
            self.report.note("domain", "unchanged", self.domain)
            return existing
        if not self.team:
            raise InvalidInput(
                f"domain {self.domain!r} does not exist: name the team that will own it"
            )
        self.report.note("domain", "created", self.domain)
        return catalog.create_domain(self.session, self.actor, self.domain, self.domain, self.team)

    def _bus(self, slug: str, router: str, description: str, owner: Domain) -> None:
        existing = catalog_queries.bus_by_slug(self.session, slug)
        if existing is None:
            catalog.create_bus(self.session, self.actor, slug, owner.slug, router, description)
            self.report.note("bus", "created", slug)
        elif existing.domain_id != owner.id:
            raise InvalidInput(
                f"bus {slug!r} belongs to domain {existing.domain.slug!r}: import into that "
                "domain, or rename the channel's x-eventry-bus"
            )
        else:
            self.report.note("bus", "unchanged", slug)

    def _event(self, message: Message, found: ApiCatalog) -> None:
        ref = f"{self.domain}.{message.event}"
        existing = catalog_queries.event_type_by_name(self.session, self.domain, message.event)
        if existing is None:
            fields = {"bus": message.bus, "producer": message.producer}
            fields["description"] = message.description
            catalog.create_event_type(
                self.session, self.actor, self.domain, message.event, **fields
            )
            self.report.note("event", "created", ref)
        else:
            self._fill(existing, message, ref)
        if message.payload is not None:
            self._version(message, found, ref)
        event_type = catalog.get_event_type(self.session, self.domain, message.event)
        have = {sample.name for sample in event_type.samples}
        for name, payload in message.samples:
            if name in have:
                self.report.note("sample", "unchanged", f"{ref}/{name}")
                continue
            samples.add_sample(self.session, self.actor, self.domain, message.event, name, payload)
            self.report.note("sample", "created", f"{ref}/{name}")

    def _version(self, message: Message, found: ApiCatalog, ref: str) -> None:
        event_type = catalog.get_event_type(self.session, self.domain, message.event)
        wanted = canonical_json(message.payload)
        for version in schema_queries.live_versions(self.session, event_type.id):
            # The payload Eventry would export for it (references embedded) is the same.
            if canonical_json(bundled(schemas.of_version(version))) == wanted:
                self.report.note("version", "unchanged", f"{ref}/{version.version}")
                return
        note = f"imported from AsyncAPI {found.title} {found.version}".strip()[:200]
        with _at(message.pointer):
            registration = versions.register_version(
                self.session, self.actor, self.domain, message.event, message.payload, note
            )
        outcome = "created" if registration.created else "unchanged"
        self.report.note("version", outcome, f"{ref}/{registration.version.version}")

    def _fill(self, existing: EventType, message: Message, ref: str) -> None:
        # Only what Eventry leaves empty is filled in: a hand edit always wins.
        wanted = {"producer": message.producer, "description": message.description}
        empty = {
            key: value for key, value in wanted.items() if value and not getattr(existing, key)
        }
        if empty:
            changes.update_event_type(self.session, self.actor, self.domain, message.event, empty)
        self.report.note("event", "updated" if empty else "unchanged", ref)

    def _consumer(self, service: str, bus_slug: str, event: str | None) -> None:
        bus = catalog.get_bus(self.session, bus_slug)
        event_type = (
            catalog_queries.event_type_by_name(self.session, self.domain, event) if event else None
        )
        if event_type is not None and event_type.bus_id != bus.id:
            event_type = None  # the event travels on another channel: this consumer reads all
        name = f"{service}@{bus_slug}" + (f"/{event_type.name}" if event_type else "")
        existing = catalog_queries.consumer_by_identity(
            self.session, service, bus.id, event_type.id if event_type else None
        )
        if existing is not None:
            self.report.note("consumer", "unchanged", name)
            return
        fields: dict[str, Any] = {"team": self.team}
        if event_type is not None:
            fields["event"] = f"{self.domain}.{event_type.name}"
        catalog.create_consumer(self.session, self.actor, service, bus_slug, **fields)
        self.report.note("consumer", "created", name)


class _Pruner:
    """Deletes what the domain holds and the document no longer names: consumers of the
    document's services on the domain's buses, then event types, then buses."""

    def __init__(self, importer: _Importer, owner: Domain) -> None:
        self.importer = importer
        self.owner = owner

    def run(self, found: ApiCatalog) -> None:
        session, actor, report = self.importer.session, self.importer.actor, self.importer.report
        buses = queries.buses(session, self.owner.id)
        services = {s.service for s in found.subscriptions} | {
            m.producer for m in found.messages if m.producer
        }
        kept = {(s.service, s.bus, s.event) for s in found.subscriptions}
        for consumer in queries.consumers(session, [bus.id for bus in buses]):
            event = consumer.event_type.name if consumer.event_type else None
            if consumer.name in services and (consumer.name, consumer.bus.slug, event) not in kept:
                changes.delete_consumer(session, actor, consumer.id)
                report.note("consumer", "pruned", f"{consumer.name}@{consumer.bus.slug}")
        events = {message.event for message in found.messages}
        for event_type in queries.event_types(session, self.owner.id):
            if event_type.name not in events:
                changes.delete_event_type(session, actor, self.owner.slug, event_type.name)
                report.note("event", "pruned", f"{self.owner.slug}.{event_type.name}")
        channels = {channel.bus for channel in found.channels}
        for bus in buses:
            if bus.slug not in channels:
                changes.delete_bus(session, actor, bus.slug)
                report.note("bus", "pruned", bus.slug)


@contextmanager
def _at(pointer: str) -> Iterator[None]:
    """Problems found in a payload are addressed in the document, not in the schema alone."""
    try:
        yield
    except InvalidInput as error:
        for problem in error.errors:
            problem["pointer"] = pointer + str(problem.get("pointer", ""))
        error.detail = f"the payload at {pointer}: {error.detail}"
        error.args = (error.detail,)
        raise
