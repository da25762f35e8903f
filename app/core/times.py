"""Times as a schemas-as-code tree writes them: RFC 3339, always in UTC, one spelling each."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_time(text: str) -> datetime:
    """Read an RFC 3339 time with a zone (``Z`` or an offset) as an aware UTC datetime.

    Raises ValueError when the text is not such a time; a time without a zone is refused because
    it would mean a different moment on each machine that reads it."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone; end it with Z for UTC")
    return moment.astimezone(UTC)


def format_time(moment: datetime) -> str:
    """Write an aware time as RFC 3339 in UTC: ``2026-01-31T12:00:00Z``, with microseconds only
    when there are some, so that the same moment is always the same text (an export is
    byte-identical however many times it is restored and exported again)."""
    utc = moment.astimezone(UTC)
    spec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def normal_time(text: str) -> str:
    """The one spelling of an RFC 3339 time (see format_time)."""
    return format_time(parse_time(text))
