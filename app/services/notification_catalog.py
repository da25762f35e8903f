"""Eventry's own change notifications registered in its catalogue: the domain ``eventry``.

Issue 16 item 5: the notification events "are themselves registered in Eventry's own catalogue,
in a domain `eventry`, with their schemas in `schemas/`". The tree is
examples/eventry-notifications (app/notification_catalog in the package), whose versions are
the JSON Schemas of schemas/notifications/ (a test keeps them equal).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.config import NOTIFICATION_CATALOG
from app.core.access import Actor
from app.db.queries.catalog import domain_by_slug
from app.services.catalog_loader import LoadReport, load_catalog

DOMAIN = "eventry"
ACTOR = Actor.system("eventry notifications")


def register(session: Session, root: Path = NOTIFICATION_CATALOG) -> LoadReport | None:
    """Store the domain ``eventry`` (its team, bus and one event type per notification kind)
    unless the registry already has a domain ``eventry``: then None, and whatever that domain
    holds is left alone (an operator may have changed or extended it). Audited as the system
    actor ``eventry notifications``. Raises InvalidInput if the tree itself has problems."""
    if domain_by_slug(session, DOMAIN) is not None:
        return None
    return load_catalog(session, root, ACTOR)
