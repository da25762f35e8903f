"""Compatibility of a candidate schema with an event type's versions, with sample evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.core import compatibility as engine
from app.core.canonical import parse_json
from app.core.evidence import BrokenSample, broken_samples
from app.core.validation import check_schema
from app.db.models import EventType, SchemaVersion
from app.db.queries import schemas as schema_queries
from app.services.errors import InvalidInput
from app.services.settings import check_level_and_policy, get_settings


@dataclass(frozen=True)
class Verdict:
    """The structural check and the sample evidence, and the verdict both give together."""

    result: engine.CheckResult
    evidence: list[BrokenSample] = field(default_factory=list)

    @property
    def compatible(self) -> bool:
        """Compatible only when the rules allow it and no stored sample breaks."""
        return self.result.compatible and not self.evidence

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as a JSON-ready dict."""
        body = self.result.to_dict()
        body["compatible"] = self.compatible
        body["evidence"] = [item.to_dict() for item in self.evidence]
        return body

    def summary(self) -> str:
        """Say in one sentence why the change is refused."""
        parts = []
        breaking = [d for d in self.to_dict()["differences"] if not d["compatible"]]
        if breaking:
            parts.append(
                f"{len(breaking)} incompatible difference(s), first: {breaking[0]['message']}"
            )
        if self.evidence:
            parts.append(self.evidence[0].message())
        where = f" with version {self.result.failed_version}" if self.result.failed_version else ""
        return f"the schema is not {self.result.level} compatible{where}: " + "; ".join(parts)


def effective_config(session: Session, event_type: EventType) -> tuple[str, str]:
    """Return the (level, policy) that apply to the event type: its own, else the registry's."""
    defaults = get_settings(session)
    return (
        event_type.compatibility or defaults.compatibility,
        event_type.policy or defaults.policy,
    )


def schema_of(version: SchemaVersion) -> Any:
    """Return the schema document of a version."""
    return parse_json(version.schema.canonical)


def judge(
    session: Session,
    event_type: EventType,
    candidate: Any,
    level: str | None = None,
    policy: str | None = None,
) -> Verdict:
    """Check a candidate schema against the event type's live versions and stored samples."""
    check_level_and_policy(level, policy)
    own_level, own_policy = effective_config(session, event_type)
    level, policy = level or own_level, policy or own_policy
    previous = [
        (v.version, schema_of(v)) for v in schema_queries.live_versions(session, event_type.id)
    ]
    problems = check_schema(candidate)
    if problems:
        raise InvalidInput(
            f"the schema is not a valid JSON Schema ({len(problems)} problem(s))",
            [problem.to_dict() for problem in problems],
        )
    try:
        result = engine.check(previous, candidate, level, policy)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"the schema cannot be compared: {error}") from None
    # Samples marked valid must keep validating; invalid-* samples are no evidence.
    samples = [(s.name, s.payload) for s in event_type.samples if s.expect_valid]
    return Verdict(result, broken_samples(samples, previous, candidate, level))


def compare_schemas(old: Any, new: Any, level: str, policy: str) -> engine.CheckResult:
    """Stateless check of a new schema against one old schema."""
    check_level_and_policy(level, policy)
    for which, schema in (("old", old), ("new", new)):
        problems = check_schema(schema)
        if problems:
            raise InvalidInput(
                f"the {which} schema is not a valid JSON Schema",
                [{**problem.to_dict(), "schema": which} for problem in problems],
            )
    try:
        return engine.check([(1, old)], new, level, policy)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(str(error)) from None
