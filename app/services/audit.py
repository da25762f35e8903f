"""The audit log: every write records who did what to which target; anyone may read it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.paging import Page
from app.db.models import AuditEntry
from app.db.queries import listing


def record(
    session: Session,
    actor: str,
    action: str,
    target: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry to the current transaction (its target is what the transaction
    changes for the user: app.services.transaction.saved reports it once committed)."""
    session.add(AuditEntry(actor=actor, action=action, target=target, before=before, after=after))
    session.info.setdefault(PENDING, []).append(target)


# The session.info keys under which the targets of the current transaction's audit entries
# wait for the commit, and those of the changes committed since the session began.
PENDING = "eventry_audited"
SAVED = "eventry_saved"


def list_entries(
    session: Session,
    after: Sequence[Any] | None,
    limit: int,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
) -> Page[AuditEntry]:
    """A page of the audit log, newest first.

    Filters (each ignored when empty): ``actor`` and ``action`` match exactly, ``target`` is a
    prefix (``event:orders.`` finds every event of orders), ``since`` an aware time. Each entry
    has id, at, actor, action, target, before and after. Raises InvalidCursor when ``after`` is
    not a position in this list.
    """
    filters = {"actor": actor, "action": action, "target": target, "since": since}
    return listing.audit_entries(session, filters, after, limit)
