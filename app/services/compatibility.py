"""Compatibility of a candidate schema with an event type's versions, with sample evidence."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from app.core import compatibility as engine
from app.core.compatibility import compares_all
from app.core.contract import Contract
from app.core.errors import NotFound
from app.core.evidence import BrokenSample, broken_samples
from app.core.impact import Impact, Pinned
from app.core.schema import SchemaDocument
from app.core.vocabulary import CompatibilityLevel
from app.core.words import counted
from app.db.models import EventType, SchemaVersion
from app.db.queries import schemas as schema_queries
from app.services import contents, impact, lookups, schemas, subjects
from app.services.catalog import get_event_type
from app.services.settings import check_level_and_policy, get_settings


@dataclass(frozen=True)
class Verdict:
    """The structural check and the sample evidence, and the verdict both give together."""

    result: engine.CheckResult
    evidence: list[BrokenSample] = field(default_factory=list)
    candidate: SchemaDocument | None = None
    against: SchemaDocument | None = None
    # The consumers each difference touches (app.core.impact), when the event type is known.
    impact: list[Impact] | None = None
    # The consumers pinned to another version than the latest: what changes for each.
    pinned: list[Pinned] | None = None

    @property
    def compatible(self) -> bool:
        """Compatible only when the rules allow it and no stored sample breaks."""
        return self.result.compatible and not self.evidence

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as a JSON-ready dict."""
        body = self.result.to_dict()
        body["compatible"] = self.compatible
        body["evidence"] = [item.to_dict() for item in self.evidence]
        if self.result.compatible and self.evidence:
            # Refused by a sample alone: the sample names the version and the direction.
            body["failed_version"] = self.evidence[0].version
            body["direction"] = self.evidence[0].direction
        if self.candidate is not None:
            body["dialect"] = self.candidate.dialect.value
            body["warnings"] = [warning.to_dict() for warning in self.candidate.warnings]
        if self.against is not None:
            body["old_dialect"] = self.against.dialect.value
        if self.impact is not None:
            body["impact"] = [each.to_dict() for each in self.impact]
        if self.pinned is not None:
            body["pinned"] = [each.to_dict() for each in self.pinned]
        return body

    def summary(self) -> str:
        """Say in one sentence why the change is refused."""
        parts = []
        body = self.to_dict()
        breaking = [d for d in body["differences"] if not d["compatible"]]
        if breaking:
            first = breaking[0]["message"].rstrip(".")
            parts.append(f"{counted(len(breaking), 'incompatible difference')}, first: {first}")
        if self.evidence:
            parts.append(self.evidence[0].message().rstrip("."))
        where = f" with version {body['failed_version']}" if body["failed_version"] else ""
        return f"the schema is not {self.result.level} compatible{where}: " + "; ".join(parts)


def effective_config(session: Session, event_type: EventType) -> tuple[CompatibilityLevel, str]:
    """Return the (level, policy) that apply to the event type: its own, else the registry's."""
    defaults = get_settings(session)
    # The database holds the level's name; its check constraint admits only the enum's values.
    return (
        CompatibilityLevel(event_type.compatibility or defaults.compatibility),
        event_type.policy or defaults.policy,
    )


def compatibility_group(session: Session, event_type: EventType) -> str | None:
    """The metadata property that splits the event type's versions into compatibility groups
    (Confluent's ``compatibilityGroup``): its own, else the registry's; None without."""
    return event_type.compatibility_group or get_settings(session).compatibility_group


def in_group(
    session: Session, event_type: EventType, live: list[SchemaVersion], contract: Contract
) -> list[SchemaVersion]:
    """The versions a candidate with this contract is judged against: all of ``live``, or with
    a compatibility group set only those whose metadata gives the group's property the
    candidate's value (Confluent's ``compatibilityGroup``, docs "Data Contracts")."""
    group = compatibility_group(session, event_type)
    if not group:
        return live
    value = contract.group_value(group)
    return [
        each
        for each in live
        if Contract(metadata=each.schema.contract_metadata).group_value(group) == value
    ]


def compared(
    session: Session, event_type: EventType, rows: list[Any], contract: Contract
) -> list[tuple[int, SchemaDocument]]:
    """``(number, document)`` of the live versions a candidate with this contract is judged
    against, oldest first, from ``rows`` (``(id, version, schema_id, fingerprint)`` of every
    live version, oldest first, as ``schema_queries.live_rows`` gives them):
    with a compatibility group those of its group, else all at a transitive level and the
    latest alone at any other. Only these are loaded, and only when this process does not hold
    their documents already (on an event type with hundreds of versions, BACKWARD loads one)."""
    if compatibility_group(session, event_type):  # the group is in each content's metadata
        every = schema_queries.versions_with_schema(session, [row[0] for row in rows])
        grouped = in_group(session, event_type, every, contract)
        return [(each.version, schemas.of_version(each)) for each in grouped]
    level = effective_config(session, event_type)[0]
    wanted = rows if compares_all(level) else rows[-1:]
    found = {row[0]: schemas.cached(row[2], row[3]) for row in wanted}
    missing = [version_id for version_id, document in found.items() if document is None]
    for each in schema_queries.versions_with_schema(session, missing):
        found[each.id] = schemas.of_version(each)
    return [(row[1], found[row[0]]) for row in wanted]


def judge(
    session: Session,
    event_type: EventType,
    candidate: SchemaDocument,
    level: str | None = None,
    policy: str | None = None,
    live: list[SchemaVersion] | None = None,
    previous: list[tuple[int, SchemaDocument]] | None = None,
) -> Verdict:
    """Check a candidate against the event type's live versions (``live`` when the caller has
    loaded them already; ``previous``, their ``(number, document)`` oldest first, when it holds
    only those the level compares) and its stored samples, under its level and policy or the
    given ones.

    Raises InvalidInput for an unknown level or policy."""
    check_level_and_policy(level, policy)
    own_level, own_policy = effective_config(session, event_type)
    chosen = CompatibilityLevel(level) if level else own_level
    policy = policy or own_policy
    if previous is None:
        if live is None:
            live = schema_queries.live_versions(session, event_type.id)
        previous = [(v.version, schemas.of_version(v)) for v in live]
    result = engine.check(previous, candidate, chosen, policy)
    # Samples marked valid must keep validating; invalid-* samples are no evidence.
    samples = [(s.name, s.payload) for s in event_type.samples if s.expect_valid]
    return Verdict(result, broken_samples(samples, previous, candidate, chosen), candidate)


def what_if(
    session: Session,
    domain: str,
    name: str,
    schema: Any,
    level: str | None = None,
    policy: str | None = None,
    contract: Contract | None = None,
) -> Verdict:
    """Would this schema (raw JSON, with the references of ``contract``, as a registration
    would carry them) be accepted as the event type's next version? Registers nothing; the
    verdict names, for each difference, the consumers whose declared fields it touches
    (``impact``) and what changes for each consumer pinned to an older version (``pinned``).
    Raises NotFound, or InvalidInput for an invalid schema, level or policy, or
    for a reference naming no registered version."""
    references = contents.referenced(session, contract) if contract is not None else ()
    candidate = schemas.checked(schema, references=references)
    event_type = get_event_type(session, domain, name)
    return with_impact(session, event_type, judge(session, event_type, candidate, level, policy))


def with_impact(session: Session, event_type: EventType, verdict: Verdict) -> Verdict:
    """The verdict on a candidate with its consumer impact (app.services.impact): against the
    latest live version, and for each consumer pinned to another, against its version."""
    if verdict.candidate is None:  # judge always gives the candidate
        return verdict
    live = schema_queries.live_versions(session, event_type.id)
    latest = live[-1].version if live else None
    differences = verdict.result.to_dict()["differences"]
    _, policy = effective_config(session, event_type)
    change = (latest, verdict.candidate, None)
    touched, pinned = impact.of_change(session, event_type, differences, change, policy)
    return replace(verdict, impact=touched, pinned=pinned)


def what_if_subject(
    session: Session, subject: str, schema: Any, contract: Contract, version: str | None = None
) -> Verdict:
    """Would this schema (raw JSON, with Confluent's references) be accepted under the subject:
    against the one ``version`` given ("latest" and -1 the newest live one), else against the
    versions the subject's level compares (Confluent's ``POST /compatibility/subjects/…``).
    A subject with no versions yet accepts anything (a verdict with no differences).

    Raises NotFound (40401, only when a version is named), VersionNotFound (40402),
    InvalidVersion (42202) and InvalidSchemaInput (42201)."""
    candidate = schemas.checked(schema, references=contents.referenced(session, contract))
    if version is not None:
        against = lookups.version_of(session, subject, version)
        return judge(session, against.event_type, candidate, live=[against])
    try:
        event_type = subjects.find(session, subject)
    except NotFound:
        return Verdict(
            engine.check([], candidate, CompatibilityLevel.NONE, "strict"), [], candidate
        )
    live = schema_queries.live_versions(session, event_type.id)
    return judge(session, event_type, candidate, live=in_group(session, event_type, live, contract))


def compare_schemas(old: Any, new: Any, level: str, policy: str) -> Verdict:
    """Stateless check of a new schema (raw JSON) against one old schema.

    Raises InvalidInput (422) when either is not a valid JSON Schema, or for an unknown level
    or policy."""
    check_level_and_policy(level, policy)
    old_document, new_document = schemas.checked(old, "old"), schemas.checked(new, "new")
    result = engine.check([(1, old_document)], new_document, CompatibilityLevel(level), policy)
    return Verdict(result, [], new_document, old_document)
