"""Schema discovery: raw events in, one inferred schema per type out, each proposed as a new
event type or a new version of the bus's event type of that name, with its compatibility verdict
and consumer impact; registered only when asked and only when compatible.

The events are read one line at a time and merged as they come (app.core.discovery), so a
stream of ``max_events_per_discovery`` events is held as counts, never as events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.core import limits
from app.core.access import Actor
from app.core.discovery import Envelope, Inference, NotAnEvent, Proposal, Room, event_name, unwrap
from app.core.errors import Conflict, InvalidInput
from app.core.ndjson import TooLong
from app.db.models import Bus, EventType
from app.db.queries import catalog as catalog_queries
from app.services import authz, catalog, schemas, versions
from app.services.compatibility import Verdict, what_if
from app.services.validation import LineProblem, read_line

MAX_PROBLEMS = 100  # lines whose problem is listed; the others are counted


@dataclass
class Discovered:
    """One type found in the events: how many, in which envelopes, and what it proposes."""

    type: str
    inference: Inference
    envelopes: dict[Envelope, int] = field(default_factory=dict)
    name: str | None = None
    event: EventType | None = None
    schema: dict[str, Any] | None = None
    verdict: Verdict | None = None
    registered: dict[str, Any] | None = None

    @property
    def proposal(self) -> Proposal:
        """A new version of a known event type, a new event type, or nothing (no name)."""
        if self.event is not None:
            return Proposal.NEW_VERSION
        return Proposal.NEW_EVENT_TYPE if self.name else Proposal.NONE

    def to_dict(self) -> dict[str, Any]:
        """The type as a JSON-ready dict (the ``DiscoveredType`` answer of the API)."""
        event = self.event
        return {
            "type": self.type,
            "events": self.inference.examples,
            "envelopes": {kind.value: count for kind, count in self.envelopes.items()},
            "proposal": self.proposal.value,
            "name": self.name,
            "event": f"{event.domain.slug}.{event.name}" if event is not None else None,
            "schema": self.schema,
            "optional": [each.to_dict() for each in self.inference.optional()],
            "verdict": self.verdict.to_dict() if self.verdict is not None else None,
            "registered": self.registered,
        }


@dataclass
class Discovery:
    """What a discovery gave: counts, the lines that carried no event, and the types."""

    bus: str
    lines: int = 0
    events: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_cut: int = 0
    types: dict[str, Discovered] = field(default_factory=dict)
    # The distinct types and fields of all types together, at most max_schema_nodes.
    room: Room = field(default_factory=lambda: Room(limits.current().max_schema_nodes))

    def to_dict(self) -> dict[str, Any]:
        """The discovery as a JSON-ready dict (the ``Discovery`` answer of the API)."""
        return {
            "bus": self.bus,
            "lines": self.lines,
            "events": self.events,
            "problems": self.problems,
            "problems_cut": self.problems_cut,
            "types": [each.to_dict() for each in self.types.values()],
        }


@dataclass(frozen=True)
class Options:
    """How to read and refine: the plain-JSON ``type_field``, enums, and whether to register."""

    type_field: str = "type"
    enums: bool = False
    apply: bool = False


def discover(
    session: Session,
    actor: Actor | None,
    bus: str,
    lines: Iterable[bytes | TooLong],
    options: Options = Options(),
) -> Discovery:
    """Read raw events, one JSON text a line (NDJSON), group them by type, infer each type's
    schema and propose it against the bus's event type of that name (app.core.discovery
    .event_name: detail-type or type to a PascalCase name); with ``options.apply``, register
    each compatible proposal through the registration services (``actor`` must then be given;
    each type in its own transaction, audited).

    A line that carries no event (not JSON, too long, too deep, no type) is listed in
    ``problems`` (the first MAX_PROBLEMS; ``problems_cut`` counts the rest) and skipped.
    Raises NotFound (no such bus), LimitExceeded (more than ``max_events_per_discovery`` lines,
    more distinct types and fields than ``max_schema_nodes``, an event whose merge needs more
    than ``max_work_steps``), and with ``apply`` Forbidden (a domain the actor may not register
    in) or Conflict (two types that map to one event): both checked for every type before any
    is registered."""
    catalog.get_bus(session, bus)  # an unknown bus is refused before the stream is read
    session.rollback()  # the stream may last long: no transaction is held while it is read
    discovery = Discovery(bus)
    _read(discovery, lines, options)
    found = catalog.get_bus(session, bus)
    _propose(session, found, discovery)
    if options.apply:
        if actor is None:
            raise InvalidInput("registering discovered schemas needs a writer")
        _apply(session, actor, found, discovery)
    return discovery


def _read(discovery: Discovery, lines: Iterable[bytes | TooLong], options: Options) -> None:
    configured = limits.current()
    for number, line in enumerate(lines, 1):
        if number > configured.max_events_per_discovery:
            raise limits.LimitExceeded(
                "max_events_per_discovery",
                configured.max_events_per_discovery,
                "the stream has more lines; split it",
            )
        discovery.lines = number
        if not isinstance(line, TooLong) and not line.strip():
            continue  # a blank line (a trailing newline, a separator) carries no event
        try:
            _add(discovery, read_line(line, configured), options)
        except LineProblem as problem:
            _note(discovery, number, problem.problem)
        except NotAnEvent as error:
            _note(discovery, number, {"status": 422, "title": "Not an event", "detail": str(error)})


def _add(discovery: Discovery, event: Any, options: Options) -> None:
    raw = unwrap(event, options.type_field)
    found = discovery.types.get(raw.type)
    if found is None:
        discovery.room.take()  # a type counts as a place: endless new types are bounded too
        inference = Inference(discovery.room, options.enums)
        found = discovery.types[raw.type] = Discovered(
            raw.type, inference, name=event_name(raw.type)
        )
    with limits.budget():  # each event has its own budget, as each line of a validated stream
        found.inference.add(raw.payload)
    found.envelopes[raw.envelope] = found.envelopes.get(raw.envelope, 0) + 1
    discovery.events += 1


def _note(discovery: Discovery, number: int, problem: dict[str, Any]) -> None:
    if len(discovery.problems) < MAX_PROBLEMS:
        discovery.problems.append({"line": number, "problem": problem})
    else:
        discovery.problems_cut += 1


def _propose(session: Session, bus: Bus, discovery: Discovery) -> None:
    carried = {each.name: each for each in catalog_queries.event_types_on_bus(session, bus.id)}
    for found in discovery.types.values():
        found.schema = found.inference.schema()
        if found.name:
            # The bus's event type of that name, else its domain's (on another bus or none):
            # a name a domain holds once can only be a new version.
            found.event = carried.get(found.name) or catalog_queries.event_type_by_name(
                session, bus.domain.slug, found.name
            )
        if found.event is not None:
            event = found.event
            found.verdict = what_if(session, event.domain.slug, event.name, found.schema)


def _apply(session: Session, actor: Actor, bus: Bus, discovery: Discovery) -> None:
    chosen = [t for t in discovery.types.values() if _registrable(t)]
    # Every domain, schema and target is checked before anything is registered: a refusal
    # (403, 409, 422) leaves the catalogue as it was.
    targets: dict[tuple[str, str], str] = {}
    for each in chosen:
        domain = each.event.domain if each.event else bus.domain
        authz.registrar(actor, domain, None)
        schemas.checked(each.schema)
        target = (domain.slug, each.event.name if each.event else str(each.name))
        if target in targets:
            raise Conflict(
                f"the types {targets[target]!r} and {each.type!r} both map to the event "
                f"{'.'.join(target)}; discover them apart, or give them one type name"
            )
        targets[target] = each.type
    for each in chosen:
        domain, name = (
            (each.event.domain.slug, each.event.name)
            if each.event
            else (
                bus.domain.slug,
                str(each.name),
            )
        )
        if each.event is None:
            catalog.create_event_type(session, actor, domain, name, bus=bus.slug)
        done = versions.register_version(
            session, actor, domain, name, each.schema, note="discovered from raw events"
        )
        each.registered = {
            "event": f"{domain}.{name}",
            "version": done.version.version,
            "created": done.created,
        }


def _registrable(found: Discovered) -> bool:
    if found.proposal is Proposal.NEW_EVENT_TYPE:
        return True
    return (
        found.proposal is Proposal.NEW_VERSION
        and found.verdict is not None
        and found.verdict.compatible
    )


def infer(samples: list[Any], enums: bool = False) -> dict[str, Any]:
    """The schema of samples (parsed JSON values, not envelopes), merged and refined as
    discovery does: ``{"samples", "schema", "optional"}``. Raises LimitExceeded for more than
    ``max_events_per_batch`` samples, one nested deeper than ``max_event_depth``, more
    distinct fields than ``max_schema_nodes`` or more work than ``max_work_steps``."""
    configured = limits.current()
    limits.check_batch(len(samples), configured, "/samples")
    for index, sample in enumerate(samples):
        limits.check_event(sample, configured, f"/samples/{index}")
    inference = Inference(configured.max_schema_nodes, enums)
    with limits.budget():
        for sample in samples:
            inference.add(sample)
    return {
        "samples": inference.examples,
        "schema": inference.schema(),
        "optional": [each.to_dict() for each in inference.optional()],
    }
