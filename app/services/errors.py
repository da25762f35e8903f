"""Domain errors the services raise; the adapters map each to an HTTP status or an exit code."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

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


class AlreadyExists(DomainError):
    """A thing with that identity exists already."""

    title = "Already exists"


class Conflict(DomainError):
    """The change conflicts with the registry's state (dependents, incompatible schema...)."""

    title = "Conflict"


class InvalidInput(DomainError):
    """The input is well-formed but breaks a rule; ``errors`` lists every problem."""

    title = "Invalid input"


class Unauthorized(DomainError):
    """No valid credentials were presented."""

    title = "Unauthorized"


class Forbidden(DomainError):
    """The credentials are valid but do not allow this."""

    title = "Forbidden"
