"""The schemas-as-code catalogue as plain values, and the rules that tie its files together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import InvalidInput
from app.core.routing.delivery import check_consumer_rule, consumer_scope
from app.core.schema import SchemaDocument
from app.core.times import parse_time


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file of the tree, addressed by its path relative to the root."""

    path: str
    message: str
    pointer: str = ""

    def __str__(self) -> str:
        where = f"{self.path}: {self.pointer}: " if self.pointer else f"{self.path}: "
        return where + self.message

    def to_dict(self) -> dict[str, str]:
        """Return the problem as a JSON-ready dict."""
        return {"path": self.path, "pointer": self.pointer, "message": self.message}


@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class BusSpec:
    slug: str
    domain: str
    router: str
    description: str = ""
    # The owner's consent for others to publish on it ("team:<slug>", "domain:<pattern>").
    publishers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainSpec:
    slug: str
    name: str
    owner: str
    description: str = ""
    path: str = ""


@dataclass(frozen=True)
class VersionSpec:
    number: int
    schema: Any
    path: str
    note: str = ""
    author: str = ""
    # The checked document, set by the tree reader when the file is a valid JSON Schema.
    document: SchemaDocument | None = field(default=None, compare=False, repr=False)
    # History, RFC 3339 in UTC (app.core.times); None where the tree does not say.
    created_at: str | None = None
    deleted_at: str | None = None  # set: soft-deleted, kept with its number but not live
    # The dialect of a schema without $schema, as the registry decided it when it stored it.
    dialect: str | None = None
    # The content's GUID, its references ({"name", "subject", "version"}: versions of the tree
    # that its $ref may name, by subject) and a data contract's metadata and rule set.
    guid: str | None = None
    references: tuple[dict[str, Any], ...] = ()
    metadata: dict[str, Any] | None = None
    rule_set: dict[str, Any] | None = None
    # The version's lifecycle block ({state, since, reason, successor: a version number});
    # None: active (app.core.lifecycle).
    lifecycle: dict[str, Any] | None = None

    @property
    def stage(self) -> dict[str, Any]:
        """Its lifecycle as the registry answers it: {state, since, reason, successor}."""
        return stage_block(self.lifecycle or {"state": "active"})

    @property
    def live(self) -> bool:
        """False when the version is soft-deleted."""
        return self.deleted_at is None


@dataclass(frozen=True)
class SampleSpec:
    name: str
    payload: Any
    expect_valid: bool
    path: str
    created_at: str | None = None


@dataclass(frozen=True)
class EventSpec:
    domain: str
    name: str
    path: str
    bus: str | None = None
    producer: str = ""
    aggregate: str = ""
    command: str = ""
    description: str = ""
    compatibility: str | None = None
    policy: str | None = None
    deprecated: bool = False
    # The lifecycle block of event.yaml ({state, since, reason, successor}); None: the
    # deprecated flag says (app.core.lifecycle).
    lifecycle: dict[str, Any] | None = None
    versions: tuple[VersionSpec, ...] = ()
    samples: tuple[SampleSpec, ...] = ()
    # Numbers given once and deleted permanently since: never given again.
    purged: tuple[int, ...] = ()
    # The Confluent subjects bound to it (orders-value…), its own mode and compatibility group.
    subjects: tuple[str, ...] = ()
    mode: str | None = None
    compatibility_group: str | None = None

    @property
    def ref(self) -> str:
        """The event's text address, domain.EventName."""
        return f"{self.domain}.{self.name}"

    @property
    def stage(self) -> dict[str, Any]:
        """Its lifecycle as the registry answers it: {state, since, reason, successor}."""
        return stage_block(
            self.lifecycle or {"state": "deprecated" if self.deprecated else "active"}
        )

    @property
    def live_versions(self) -> tuple[VersionSpec, ...]:
        """The versions that are not soft-deleted, oldest first."""
        return tuple(version for version in self.versions if version.live)

    @property
    def last_version(self) -> int:
        """The highest number given so far, purged ones included (the next one is this + 1)."""
        return max([v.number for v in self.versions] + list(self.purged), default=0)

    def live_when_registered(self, version: VersionSpec) -> list[VersionSpec]:
        """The earlier versions that were live when ``version`` was registered, which the
        registry judged it against: a version soft-deleted before then is left out (and so is
        every soft-deleted one when the tree does not say when ``version`` was created)."""
        return [
            earlier
            for earlier in self.versions
            if earlier.number < version.number
            and (earlier.live or _deleted_after(earlier, version.created_at))
        ]


@dataclass(frozen=True)
class ConsumerSpec:
    name: str
    bus: str
    path: str
    pointer: str
    team: str | None = None
    event: str | None = None
    pattern: dict[str, Any] | None = None
    scope: str | None = None  # an SNS consumer's (app.core.routing.model.stated_scope)
    fields: tuple[str, ...] = ()
    version: int | None = None
    calls_back: bool = False
    description: str = ""
    created_at: str | None = None


@dataclass
class CatalogSpec:
    """A whole catalogue as read from a tree."""

    compatibility: str | None = None
    policy: str | None = None
    rules: list[dict[str, Any]] | None = None
    teams: list[TeamSpec] = field(default_factory=list)
    domains: list[DomainSpec] = field(default_factory=list)
    buses: list[BusSpec] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)
    consumers: list[ConsumerSpec] = field(default_factory=list)
    # The registry's Confluent mode (None: READWRITE) and compatibility group.
    mode: str | None = None
    compatibility_group: str | None = None
    # Settings of Confluent subjects no event type answers to yet, each
    # {"subject", "compatibility"?, "compatibility_group"?, "mode"?, "team"?}.
    subject_settings: list[dict[str, str]] = field(default_factory=list)


def cross_check(catalog: CatalogSpec) -> list[Problem]:
    """Return every broken reference or duplicate between the files of a catalogue."""
    teams = {team.slug for team in catalog.teams}
    problems = _duplicates("registry.yaml", "team", [t.slug for t in catalog.teams])
    buses: dict[str, BusSpec] = {}
    for domain in catalog.domains:
        if domain.owner not in teams:
            problems.append(
                Problem(
                    domain.path,
                    f"{domain.owner!r} is not a team declared in registry.yaml",
                    "/owner",
                )
            )
    for bus in catalog.buses:
        if bus.slug in buses:
            problems.append(
                Problem(
                    f"{bus.domain}/domain.yaml",
                    f"bus {bus.slug!r} is declared already by domain {buses[bus.slug].domain!r}; "
                    "bus slugs are unique across the catalogue",
                    "/buses",
                )
            )
        buses.setdefault(bus.slug, bus)
    events = {event.ref: event.bus for event in catalog.events}
    problems.extend(_subject_problems(catalog))
    for event in catalog.events:
        if event.bus is not None and event.bus not in buses:
            problems.append(
                Problem(
                    f"{event.path}/event.yaml",
                    f"bus {event.bus!r} is not declared in any domain.yaml",
                    "/bus",
                )
            )
    for consumer in catalog.consumers:
        problems.extend(_consumer_problems(consumer, teams, buses, events))
    return problems


def _consumer_problems(
    consumer: ConsumerSpec, teams: set[str], buses: dict[str, BusSpec], events: dict[str, Any]
) -> list[Problem]:
    problems = []
    if consumer.team is not None and consumer.team not in teams:
        problems.append(
            Problem(
                consumer.path,
                f"team {consumer.team!r} is not declared in registry.yaml",
                f"{consumer.pointer}/team",
            )
        )
    if consumer.bus not in buses:
        problems.append(
            Problem(
                consumer.path,
                f"bus {consumer.bus!r} is not declared in any domain.yaml",
                f"{consumer.pointer}/bus",
            )
        )
    if consumer.event is not None and consumer.event not in events:
        problems.append(
            Problem(
                consumer.path,
                f"event {consumer.event!r} is not in the tree",
                f"{consumer.pointer}/event",
            )
        )
    elif consumer.event is not None and events[consumer.event] != consumer.bus:
        problems.append(
            Problem(
                consumer.path,
                f"{consumer.event} travels on {events[consumer.event] or 'no bus'}, not on "
                f"{consumer.bus}: a consumer listens on the bus its event travels on",
                f"{consumer.pointer}/event",
            )
        )
    return problems + _rule_problems(consumer, buses)


def _rule_problems(consumer: ConsumerSpec, buses: dict[str, BusSpec]) -> list[Problem]:
    bus = buses.get(consumer.bus)
    if bus is None:
        return []
    try:
        scope = consumer_scope(bus.router, consumer.scope, f"{consumer.pointer}/scope")
        check_consumer_rule(consumer.pattern, bus.router, f"{consumer.pointer}/pattern", scope)
    except InvalidInput as error:  # InvalidPattern too
        return [Problem(consumer.path, error.detail, error.errors[0]["pointer"])]
    return []


def _subject_problems(catalog: CatalogSpec) -> list[Problem]:
    """A subject is bound to one event type only."""
    problems, owners = [], {}
    for event in catalog.events:
        for subject in event.subjects:
            if subject in owners:
                problems.append(
                    Problem(
                        f"{event.path}/event.yaml",
                        f"subject {subject!r} is bound to {owners[subject]} already",
                        "/subjects",
                    )
                )
            owners.setdefault(subject, event.ref)
    return problems


def _deleted_after(version: VersionSpec, moment: str | None) -> bool:
    if moment is None or version.deleted_at is None:
        return False
    return parse_time(version.deleted_at) > parse_time(moment)


def _duplicates(path: str, what: str, values: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for value in values:
        if value in seen:
            problems.append(Problem(path, f"{what} {value!r} is declared twice"))
        seen.add(value)
    return problems


def stage_block(given: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle block with its four keys, None where it says nothing."""
    return {key: given.get(key) for key in ("state", "since", "reason", "successor")}
