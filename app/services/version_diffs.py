"""Comparing two versions of an event type: the differences under its policy, and whom each
touches."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.version_diff import diff_versions
from app.services import impact, schemas
from app.services.compatibility import effective_config
from app.services.versions import get_version


def diff(session: Session, domain: str, name: str, old: str, new: str) -> dict[str, Any]:
    """Compare two versions of an event type under its policy: {event, from, to, policy,
    levels, differences, impact, pinned}, ``impact`` naming for each difference (in order)
    the consumers whose declared fields it touches, ``pinned`` what changes for each consumer
    pinned to a version between them from its version to the new one (app.core.impact)."""
    before = get_version(session, domain, name, old)
    after = get_version(session, domain, name, new)
    _, policy = effective_config(session, before.event_type)
    document = schemas.of_version(after)
    report = diff_versions(schemas.of_version(before), document, policy)
    touched, pinned = impact.of_change(
        session,
        before.event_type,
        report["differences"],
        (before.version, document, after.version),
        policy,
    )
    return {
        "event": f"{domain}.{name}",
        "from": before.version,
        "to": after.version,
        **report,
        "impact": [each.to_dict() for each in touched],
        "pinned": [each.to_dict() for each in pinned],
    }
