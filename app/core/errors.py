"""The domain errors: every error the registry raises on purpose, whoever raises it.

Services (and the core rules they call) raise these; each adapter turns them into what its
users see. `app/web.py` alone maps them to HTTP statuses (the API's problem+json and the UI's
error pages both use that one mapping); the CLI prints them and exits non-zero.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error raised on purpose.

    ``detail`` is one sentence a person can act on, ``errors`` lists every problem found (dicts
    with at least a ``message``), ``extensions`` are extra members of the problem answer.
    """

    title = "Request failed"

    def __init__(
        self, detail: str, errors: list[dict[str, Any]] | None = None, **extensions: Any
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extensions = extensions


class NotFound(DomainError):
    """The thing asked for does not exist."""

    title = "Not found"


class VersionNotFound(NotFound):
    """An event type exists, but not the version asked for (Confluent's 40402)."""


class SchemaNotFound(NotFound):
    """No schema has that global id or GUID (Confluent's 40403)."""


class NotConfigured(NotFound):
    """A subject has no level or mode of its own (Confluent's 40408 and 40409); ``what`` is
    "compatibility" or "mode"."""

    def __init__(self, detail: str, what: str) -> None:
        super().__init__(detail)
        self.what = what


class AlreadyExists(DomainError):
    """A thing with that identity exists already."""

    title = "Already exists"


class Conflict(DomainError):
    """The change conflicts with the registry's state (dependents, incompatible schema...)."""

    title = "Conflict"


class InvalidInput(DomainError):
    """The input is well-formed but breaks a rule; ``errors`` lists every problem."""

    title = "Invalid input"


class InvalidSchemaInput(InvalidInput):
    """The schema sent is not a valid JSON Schema, or a reference it carries names nothing
    (Confluent's 42201)."""


class InvalidVersion(InvalidInput):
    """A version that is neither a whole number from 1 nor "latest" (Confluent's 42202)."""


class InvalidLevel(InvalidInput):
    """An unknown compatibility level, policy or mode (Confluent's 42203)."""


class InvalidMode(InvalidInput):
    """An unknown mode (Confluent's 42204)."""


class NotPermitted(InvalidInput):
    """The registry's or the event type's mode does not allow the operation (READONLY, or an
    explicit id outside IMPORT; Confluent's 42205)."""


class StillReferenced(InvalidInput):
    """The version is referenced by another schema and cannot be removed (Confluent's 42206)."""


class NotSoftDeleted(Conflict):
    """A permanent delete of something not soft-deleted first (Confluent's 40405 for a
    subject, 40407 for a version); ``what`` is "subject" or "version"."""

    def __init__(self, detail: str, what: str) -> None:
        super().__init__(detail)
        self.what = what


class AlreadyDeleted(Conflict):
    """A soft delete of something soft-deleted already (Confluent's 40404 for a subject,
    40406 for a version); ``what`` is "subject" or "version"."""

    def __init__(self, detail: str, what: str) -> None:
        super().__init__(detail)
        self.what = what


class Unauthorized(DomainError):
    """No valid credentials were presented."""

    title = "Unauthorized"


class Forbidden(DomainError):
    """The credentials are valid but do not allow this."""

    title = "Forbidden"


class Unavailable(DomainError):
    """Storage cannot serve right now (down, locked, unreadable, read-only, too slow): nothing
    was changed, and the same request may succeed after ``retry_after`` seconds."""

    title = "Service Unavailable"

    def __init__(self, detail: str, retry_after: int = 1, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.retry_after = retry_after


class InvalidCursor(DomainError, ValueError):
    """A list's cursor that does not fit the list (forged, or handed out by another list)."""

    title = "Bad Request"

    def __init__(
        self, detail: str = "the cursor does not belong to this list; start again without it"
    ) -> None:
        super().__init__(detail)
