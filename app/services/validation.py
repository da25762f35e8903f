"""Validating events and stored samples against an event type's schema versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import InvalidCursor, InvalidInput, NotFound
from app.core.paging import Page
from app.core.validation import EventError, validate_event
from app.db.models import Sample
from app.services import schemas
from app.services.catalog import get_event_type
from app.services.versions import get_version

MAX_EVENTS_PER_CALL = 10_000


@dataclass(frozen=True)
class EventResult:
    """Whether one event is valid, with every error."""

    errors: list[EventError]

    @property
    def valid(self) -> bool:
        """True when the event has no errors."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {"valid": self.valid, "errors": [error.to_dict() for error in self.errors]}


def validate_events(
    session: Session, domain: str, name: str, events: list[Any], version: str | int = "latest"
) -> tuple[int, list[EventResult]]:
    """Validate events against a version (the latest by default); return (version, results)."""
    if len(events) > MAX_EVENTS_PER_CALL:
        raise InvalidInput(
            f"at most {MAX_EVENTS_PER_CALL} events per call (got {len(events)}); split the batch"
        )
    chosen = get_version(session, domain, name, version)
    document = schemas.of_version(chosen)  # cached with its compiled validator
    return chosen.version, [EventResult(validate_event(document, event)) for event in events]


@dataclass(frozen=True)
class SampleResult:
    """A sample and what validating it against the latest version gave."""

    sample: Sample
    version: int | None
    errors: list[EventError]

    @property
    def as_expected(self) -> bool:
        """A valid sample validates, an invalid-* sample does not."""
        return self.sample.expect_valid == (not self.errors)

    def to_dict(self) -> dict[str, Any]:
        """Return the sample with its result as a JSON-ready dict."""
        return {
            "id": self.sample.id,
            "name": self.sample.name,
            "expect_valid": self.sample.expect_valid,
            "payload": self.sample.payload,
            "validated_against": self.version,
            "valid": not self.errors if self.version is not None else None,
            "as_expected": self.as_expected if self.version is not None else None,
            "errors": [error.to_dict() for error in self.errors],
        }


def sample_results(
    session: Session, domain: str, name: str, after: list[str] | None = None, limit: int = 10_000
) -> Page[SampleResult]:
    """Return a page of an event type's samples (by name), checked against its latest version."""
    event_type = get_event_type(session, domain, name)
    if after is not None and not (
        isinstance(after, list) and len(after) == 1 and isinstance(after[0], str)
    ):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    # Sorted here, with the same order the cursor compares in, whatever the database collation.
    ordered = sorted(event_type.samples, key=lambda sample: sample.name)
    chosen = [s for s in ordered if after is None or [s.name] > list(after)]
    more = len(chosen) > limit
    chosen = chosen[:limit]
    next_after = [chosen[-1].name] if more else None
    try:
        latest = get_version(session, domain, name, "latest")
    except NotFound:  # no versions yet: the samples are shown unchecked
        return Page([SampleResult(sample, None, []) for sample in chosen], next_after)
    document = schemas.of_version(latest)
    results = [
        SampleResult(sample, latest.version, validate_event(document, sample.payload))
        for sample in chosen
    ]
    return Page(results, next_after)
