"""Findings across the catalogue: every lint, ordering hazard, consumer gap, routing-rule
finding, deprecated-use warning and missing example of an event type, as one uniform value.

The rules that find them live where they always did (app.core.analysis for lints and the
ordering hazard, app.core.routing.lint for consumers' rules and gaps, app.core.lifecycle for
deprecated use, app.core.examples for examples); this module only gathers what a service
computed for one event type (an ``EventEvidence``) into ``Finding`` values, and filters,
counts and pages them. No Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.analysis import LintFinding, OrderingHazard
from app.core.errors import InvalidCursor
from app.core.lifecycle import Stage, leaving_notice
from app.core.paging import Page
from app.core.routing.lint import ConsumerFinding, ConsumerFindingKind


class FindingKind(StrEnum):
    """What sort of finding it is (a filter of the findings list and of ``/events``)."""

    LINT = "lint"  # an event-storming lint or a governance rule (its id says which)
    ORDERING_HAZARD = "ordering-hazard"
    CONSUMER_GAP = "consumer-gap"  # a field a consumer reads that the event does not carry
    ROUTING_RULE = "routing-rule"  # a consumer's rule against the schema (rule-*)
    DEPRECATED_USE = "deprecated-use"  # a consumer of a deprecated or retired event type
    NO_EXAMPLE = "no-example"  # the latest version cannot produce an example event

    @property
    def noun(self) -> str:
        """How a count of them reads ("2 ordering hazards")."""
        return _NOUNS[self]


_NOUNS = {
    FindingKind.LINT: "lint",
    FindingKind.ORDERING_HAZARD: "ordering hazard",
    FindingKind.CONSUMER_GAP: "consumer gap",
    FindingKind.ROUTING_RULE: "routing-rule finding",
    FindingKind.DEPRECATED_USE: "deprecated-use warning",
    FindingKind.NO_EXAMPLE: "missing example",
}


class Severity(StrEnum):
    """How bad a finding is, worst first (the lints' and `eventry check`'s words)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One finding: ``event`` is ``domain.EventName``, ``team`` the team that should act (the
    consumer's for a consumer's finding, else the domain's owner), ``id`` the specific rule
    (a lint id, ``rule-field-missing`` …), ``pointer`` an RFC 6901 pointer into the event's
    payload or schema ("" for the whole event), ``rule_pointer`` one into the consumer's rule."""

    kind: FindingKind
    id: str
    severity: Severity
    domain: str
    team: str | None
    event: str
    version: int | None
    message: str
    pointer: str = ""
    hint: str = ""
    bus: str | None = None
    consumer: str | None = None
    consumer_id: int | None = None
    rule_pointer: str | None = None

    def key(self) -> list[Any]:
        """The position of the finding in the list (the keyset pagination's sort key)."""
        return [
            self.domain,
            self.event,
            self.consumer or "",
            self.kind.value,
            self.id,
            self.pointer,
        ]

    def to_dict(self) -> dict[str, Any]:
        """{kind, id, severity, domain, team, event, version, bus, consumer, consumer_id,
        pointer, rule_pointer, message, hint}."""
        keys = ("id", "domain", "team", "event", "version", "bus", "consumer", "consumer_id")
        return {
            "kind": self.kind.value,
            "severity": self.severity.value,
            **{key: getattr(self, key) for key in keys},
            "pointer": self.pointer,
            "rule_pointer": self.rule_pointer,
            "message": self.message,
            "hint": self.hint,
        }

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> Finding:
        """The finding ``to_dict`` gave (a stored one read back); KeyError or ValueError for
        anything else."""
        fields = {key: value for key, value in body.items() if key not in ("kind", "severity")}
        return cls(kind=FindingKind(body["kind"]), severity=Severity(body["severity"]), **fields)


@dataclass(frozen=True)
class ConsumerEvidence:
    """A consumer of the event type: ``reaches`` says its rule receives the event or it
    declares it; ``findings`` are app.core.routing.lint's about it and this event."""

    id: int
    name: str
    team: str | None
    reaches: bool
    findings: tuple[ConsumerFinding, ...] = ()


@dataclass(frozen=True)
class EventEvidence:
    """What a service computed for one event type: its lints (and governance rules), ordering
    hazard, consumers, lifecycle stage and, when its latest version cannot produce an example,
    why (severity, pointer, message)."""

    domain: str
    team: str | None
    name: str
    version: int | None
    bus: str | None = None
    lints: Sequence[LintFinding] = ()
    hazard: OrderingHazard | None = None
    consumers: Sequence[ConsumerEvidence] = ()
    stage: Stage = field(default_factory=Stage)
    no_example: tuple[str, str, str] | None = None

    @property
    def ref(self) -> str:
        """``domain.EventName``."""
        return f"{self.domain}.{self.name}"


def gather(evidence: EventEvidence) -> list[Finding]:
    """Every finding of one event type, in list order (see ``Finding.key``)."""
    base = {
        "domain": evidence.domain,
        "event": evidence.ref,
        "version": evidence.version,
        "bus": evidence.bus,
    }
    owner = {**base, "team": evidence.team}
    found = [
        Finding(FindingKind.LINT, f.id, Severity(f.severity), message=f.message,
                pointer=f.pointer, hint=f.hint, **owner)
        for f in evidence.lints
    ]  # fmt: skip
    if evidence.hazard is not None:
        found.append(_hazard(evidence.hazard, owner))
    if evidence.no_example is not None:
        severity, pointer, message = evidence.no_example
        found.append(
            Finding(FindingKind.NO_EXAMPLE, "no-example", Severity(severity), message=message,
                    pointer=pointer, **owner)
        )  # fmt: skip
    for consumer in evidence.consumers:
        found += _of_consumer(consumer, evidence, base)
    return sorted(found, key=Finding.key)


def _hazard(hazard: OrderingHazard, owner: dict[str, Any]) -> Finding:
    return Finding(
        FindingKind.ORDERING_HAZARD,
        "ordering-hazard",
        Severity.WARNING,
        message=hazard.message,
        hint=hazard.fix,
        **owner,
    )


def _of_consumer(
    consumer: ConsumerEvidence, evidence: EventEvidence, base: dict[str, Any]
) -> list[Finding]:
    who = {**base, "team": consumer.team, "consumer": consumer.name, "consumer_id": consumer.id}
    found = [
        Finding(
            FindingKind.CONSUMER_GAP
            if f.kind is ConsumerFindingKind.FIELD_NOT_CARRIED
            else FindingKind.ROUTING_RULE,
            f.kind.value,
            Severity(f.severity),
            message=f.message,
            pointer=f.field_pointer or f.schema_pointer or "",
            rule_pointer=f.rule_pointer,
            hint=f.hint,
            **who,
        )
        for f in consumer.findings
    ]
    notice = leaving_notice(consumer.name, evidence.ref, evidence.stage)
    if consumer.reaches and notice is not None:
        found.append(
            Finding(FindingKind.DEPRECATED_USE, "consumer-of-deprecated-event", Severity.WARNING,
                    message=notice, **who)
        )  # fmt: skip
    return found


@dataclass(frozen=True)
class Filters:
    """What the findings list may be narrowed to; an empty set lets everything through."""

    domains: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    severities: frozenset[Severity] = frozenset()
    kinds: frozenset[FindingKind] = frozenset()

    def keeps(self, finding: Finding) -> bool:
        """Whether the finding passes every filter."""
        checks = (
            (self.domains, finding.domain),
            (self.teams, finding.team),
            (self.severities, finding.severity),
            (self.kinds, finding.kind),
        )
        return all(not wanted or value in wanted for wanted, value in checks)


def counts(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """{domains, kinds, severities}: how many findings of each, by name (domains sorted;
    kinds and severities in their enums' order, zeros left out)."""
    return tally((f.domain, f.kind, f.severity, 1) for f in findings)


def tally(rows: Iterable[tuple[str, str, str, int]]) -> dict[str, dict[str, int]]:
    """``counts`` of (domain, kind, severity, how many) rows (a GROUP BY's, say)."""
    by_domain: Counter[str] = Counter()
    by_kind: Counter[FindingKind] = Counter()
    by_severity: Counter[Severity] = Counter()
    for domain, kind, severity, n in rows:
        by_domain[domain] += n
        by_kind[FindingKind(kind)] += n
        by_severity[Severity(severity)] += n
    return {
        "domains": {domain: by_domain[domain] for domain in sorted(by_domain)},
        "kinds": {kind.value: by_kind[kind] for kind in FindingKind if by_kind[kind]},
        "severities": {each.value: by_severity[each] for each in Severity if by_severity[each]},
    }


def page_of(findings: Sequence[Finding], after: Sequence[Any] | None, limit: int) -> Page[Finding]:
    """The ``limit`` findings after the position ``after`` (a previous page's ``Page.after``;
    None for the first page) of a list sorted by ``Finding.key``; InvalidCursor for a position
    that is no finding key. Findings sharing a key stay on one page, so none is skipped."""
    if after is not None and (
        not isinstance(after, list) or len(after) != 6 or not all(isinstance(v, str) for v in after)
    ):
        raise InvalidCursor()
    rest = [f for f in findings if after is None or f.key() > list(after)]
    if len(rest) <= limit:
        return Page(rest, None)
    end = limit
    while end < len(rest) and rest[end].key() == rest[end - 1].key():
        end += 1  # a page never splits findings of one key: the cursor could not tell them
    if end == len(rest):
        return Page(rest, None)
    return Page(rest[:end], rest[end - 1].key())
