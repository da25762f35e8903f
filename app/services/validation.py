"""Validating events and stored samples against an event type's schema versions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app import metrics
from app.core import limits
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.errors import InvalidCursor, NotFound
from app.core.ndjson import TooLong
from app.core.paging import Page
from app.core.validation import EventError, EventReport, event_report
from app.db.models import EventType, Sample, SchemaVersion
from app.services import schemas, served
from app.services.catalog import get_event_type
from app.services.versions import get_version


@dataclass(frozen=True)
class EventResult:
    """Whether one event is valid, with its errors: at most EVENTRY_MAX_ERRORS_PER_EVENT of
    them, and how many more were ``cut``."""

    errors: list[EventError]
    cut: int = 0

    @classmethod
    def of(cls, report: EventReport) -> EventResult:
        """The result of a validation report."""
        return cls(report.errors, report.cut)

    @property
    def valid(self) -> bool:
        """True when the event has no errors."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict (``errors_cut`` only when errors were cut)."""
        body = {"valid": self.valid, "errors": [error.to_dict() for error in self.errors]}
        return {**body, "errors_cut": self.cut} if self.cut else body


@dataclass(frozen=True)
class Validation:
    """What validating a batch gave: the version used, the dialect its schema is read in, and
    one result per event, in order."""

    version: int
    dialect: str
    results: list[EventResult]


def validate_events(
    session: Session, domain: str, name: str, events: list[Any], version: str | int = "latest"
) -> Validation:
    """Validate events against a version (the latest by default).

    Raises LimitExceeded (422) for more events than ``max_events_per_batch``, an event nested
    deeper than ``max_event_depth``, or a batch that needs more than the work budget; every
    event is measured before any is validated."""
    configured = limits.current()
    limits.check_batch(len(events), configured)
    for index, event in enumerate(events):
        limits.check_event(event, configured, f"/events/{index}" if len(events) > 1 else "/event")
    # One statement finds the version; its document comes cached with its compiled validator.
    number, document = served.version_document(session, domain, name, version, validating=True)
    with limits.budget():  # the whole batch shares one budget
        results = [EventResult.of(event_report(document, event)) for event in events]
    valid = sum(result.valid for result in results)
    metrics.count_validations(valid, len(results) - valid)
    return Validation(number, document.dialect.value, results)


@dataclass(frozen=True)
class Stream:
    """A stream of events being validated: the version used, its dialect, and one answer per
    non-blank line, made as the lines are read (``lines``)."""

    version: int
    dialect: str
    lines: Iterator[dict[str, Any]]


def validate_stream(
    session: Session,
    domain: str,
    name: str,
    lines: Iterable[bytes | TooLong],
    version: str | int = "latest",
) -> Stream:
    """Validate a stream of events, one JSON text a line (NDJSON), against a version (the
    latest by default), holding one line at a time.

    The version is found now (NotFound, InvalidVersion raise here, before anything streams);
    each line is then answered in turn, as ``{"line": n, "valid", "errors"[, "errors_cut"]}``
    or, for a line that cannot be validated, ``{"line": n, "problem": {"status", "title",
    "detail"[, "limit"]}}``: not JSON (400), longer than the line limit (413), nested deeper
    than ``max_event_depth`` or with an integer of more than ``max_integer_digits`` digits, or
    more work than ``max_work_steps`` (422, each line has its own budget). After
    ``max_events_per_stream`` lines (blank ones too) a last problem line (422) ends the
    stream."""
    number, document = served.version_document(session, domain, name, version, validating=True)
    session.rollback()  # only a read: a stream may last long, and holds no connection meanwhile
    return Stream(number, document.dialect.value, _answers(document, lines))


def _answers(document, lines: Iterable[bytes | TooLong]) -> Iterator[dict[str, Any]]:
    configured = limits.current()
    events = valid = 0
    for number, line in enumerate(lines, 1):
        if number > configured.max_events_per_stream:  # blank lines count: they cost reading
            error = limits.LimitExceeded(
                "max_events_per_stream",
                configured.max_events_per_stream,
                "the stream has more lines; split it",
            )
            yield {"line": number, "problem": _problem(422, error.title, error.detail, error)}
            break
        if not isinstance(line, TooLong) and not line.strip():
            continue  # a blank line (a trailing newline, a separator) carries no event
        events += 1
        answer = _line_answer(document, line, configured)
        valid += answer.get("valid") is True
        yield {"line": number, **answer}
    metrics.count_validations(valid, events - valid)


class LineProblem(Exception):
    """A line of a stream that carries no event: ``problem`` is its ``{"status", "title",
    "detail"[, "limit"]}``."""

    def __init__(self, problem: dict[str, Any]) -> None:
        super().__init__(problem["detail"])
        self.problem = problem


def read_line(line: bytes | TooLong, configured: limits.Limits) -> Any:
    """The event (parsed JSON) of one non-blank NDJSON line. Raises LineProblem: longer than
    the line limit (413), not JSON (400), nested deeper than ``max_event_depth`` or with an
    integer of more than ``max_integer_digits`` digits (422)."""
    if isinstance(line, TooLong):
        detail = (
            f"the line is longer than the limit of {line.limit:,} bytes (EVENTRY_MAX_BODY_BYTES)"
        )
        raise LineProblem({"status": 413, "title": "Line too large", "detail": detail})
    try:
        event = parse_json(line, configured, "max_event_depth")
        # A line with no more opening brackets than the depth limit cannot nest deeper.
        if line.count(b"[") + line.count(b"{") > configured.max_event_depth:
            limits.check_event(event, configured, "")
        return event
    except limits.LimitExceeded as error:
        raise LineProblem(_problem(422, error.title, error.detail, error)) from None
    except (json.JSONDecodeError, CanonicalJSONError, UnicodeDecodeError) as error:
        detail = f"the line is not valid JSON: {error}"
        raise LineProblem(_problem(400, "Bad request", detail)) from None


def _line_answer(document, line: bytes | TooLong, configured: limits.Limits) -> dict[str, Any]:
    try:
        event = read_line(line, configured)
        with limits.budget():
            return EventResult.of(event_report(document, event)).to_dict()
    except LineProblem as problem:
        return {"problem": problem.problem}
    except limits.LimitExceeded as error:
        return {"problem": _problem(422, error.title, error.detail, error)}


def _problem(status: int, title: str, detail: str, error: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "title": title, "detail": detail}
    if isinstance(error, limits.LimitExceeded):
        body["limit"] = limits.SETTINGS[error.name]
    return body


@dataclass(frozen=True)
class SampleResult:
    """A sample and what validating it against the latest version gave."""

    sample: Sample
    version: int | None
    errors: list[EventError]
    cut: int = 0

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
            "created_at": self.sample.created_at.isoformat(),
            "validated_against": self.version,
            "valid": not self.errors if self.version is not None else None,
            "as_expected": self.as_expected if self.version is not None else None,
            "errors": [error.to_dict() for error in self.errors],
            **({"errors_cut": self.cut} if self.cut else {}),
        }


def sample_results(
    session: Session, domain: str, name: str, after: list[str] | None = None, limit: int = 10_000
) -> Page[SampleResult]:
    """Return a page of an event type's samples (by name), checked against its latest version.
    Raises NotFound for an unknown event type, InvalidCursor for a foreign ``after``."""
    event_type = get_event_type(session, domain, name)
    if after is not None and not (
        isinstance(after, list) and len(after) == 1 and isinstance(after[0], str)
    ):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    try:
        latest = get_version(session, domain, name, "latest")
    except NotFound:  # no versions yet: the samples are shown unchecked
        latest = None
    return checked_samples(event_type, latest, after, limit)


def checked_samples(
    event_type: EventType,
    latest: SchemaVersion | None,
    after: list[str] | None = None,
    limit: int = 10_000,
) -> Page[SampleResult]:
    """``sample_results`` of an event type and its latest live version (None before the first:
    the samples are shown unchecked) the caller has read already; ``after`` a checked cursor."""
    # Sorted here, with the same order the cursor compares in, whatever the database collation.
    ordered = sorted(event_type.samples, key=lambda sample: sample.name)
    chosen = [s for s in ordered if after is None or [s.name] > list(after)]
    more = len(chosen) > limit
    chosen = chosen[:limit]
    next_after = [chosen[-1].name] if more else None
    if latest is None:
        return Page([SampleResult(sample, None, []) for sample in chosen], next_after)
    document = schemas.of_version(latest)
    results = []
    for sample in chosen:
        report = _sample_report(document, sample.payload)
        results.append(SampleResult(sample, latest.version, report.errors, report.cut))
    return Page(results, next_after)


def _sample_report(document, payload: Any) -> EventReport:
    # A stored sample is shown whatever it costs to check: beyond the limits (set lower since
    # it was stored) it is reported as not validated rather than failing the whole page.
    try:
        return event_report(document, payload)
    except limits.LimitExceeded as error:
        return EventReport([EventError("", "", f"not validated: {error.detail}")])
