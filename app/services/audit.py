"""The audit log: every write records who did what to which target; anyone may read it back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.paging import Page
from app.db.models import AuditEntry
from app.db.queries import directory, listing


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


@dataclass(frozen=True)
class Target:
    """What an audit target names, as a reader wants it: its kind (``team``, ``domain``,
    ``bus``, ``event``, ``consumer``, ``subject``, ``token``, ``schema``…), the key that
    addresses it (a slug, ``domain.EventName``, a consumer's name), a label, and whether it
    still exists to be linked to (a deleted consumer has no page)."""

    kind: str
    key: str
    label: str
    linked: bool


def targets(session: Session, entries: Sequence[AuditEntry]) -> dict[str, Target]:
    """Each distinct target of the entries, described (one query for the consumers' names):
    ``consumer:27`` becomes the consumer's name on its bus, ``event:orders.OrderPlaced/config``
    the event with what of it changed."""
    kinds = {entry.target: entry.target.partition(":") for entry in entries}
    consumer_ids = [
        int(key) for kind, _, key in kinds.values() if kind == "consumer" and key.isdigit()
    ]
    consumers = directory.consumers_by_id(session, consumer_ids) if consumer_ids else {}
    found = {}
    for target, (kind, _, key) in kinds.items():
        if kind == "consumer":
            consumer = consumers.get(int(key)) if key.isdigit() else None
            found[target] = (
                Target(kind, consumer.name, f"{consumer.name} on {consumer.bus.slug}", True)
                if consumer
                else Target(kind, key, f"consumer {key} (deleted)", False)
            )
        elif kind == "event":
            ref, _, part = key.partition("/")
            found[target] = Target(kind, ref, f"{ref} {part}".strip(), True)
        else:
            found[target] = Target(kind, key, key, kind in LINKED_KINDS)
    return found


# The kinds of target whose key addresses a page of the catalogue.
LINKED_KINDS = frozenset({"team", "domain", "bus"})
