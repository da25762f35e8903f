"""The domain errors, kept importable from here for older code: they live in app.core.errors."""

from __future__ import annotations

from app.core.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    Forbidden,
    InvalidCursor,
    InvalidInput,
    NotFound,
    Unauthorized,
    Unavailable,
)

__all__ = [
    "AlreadyExists",
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidCursor",
    "InvalidInput",
    "NotFound",
    "Unauthorized",
    "Unavailable",
]
