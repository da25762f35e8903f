"""The audit log: every write records who did what to which target."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.db.models import AuditEntry


def record(
    session: Session,
    actor: str,
    action: str,
    target: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry to the current transaction."""
    session.add(AuditEntry(actor=actor, action=action, target=target, before=before, after=after))
