"""First start: migrate the database, make sure an admin token exists, seed the demo catalogue
and, with webhooks on, register Eventry's own notification events (the domain ``eventry``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.config import DEMO_CATALOG, Settings
from app.core.access import Actor
from app.db import migrate
from app.db.engine import make_engine, make_session_factory
from app.db.queries.catalog import catalogue_counts
from app.db.serial import exclusive
from app.services import analysis_store, field_index, notification_catalog, search_index
from app.services.catalog_loader import LoadReport, load_catalog
from app.services.tokens import ensure_admin_token


@dataclass(frozen=True)
class Bootstrap:
    """What the first-start steps did: a new admin secret (shown once), the demo load and the
    registration of the notification events (None: not done, or already there)."""

    admin_secret: str | None
    demo: LoadReport | None
    notifications: LoadReport | None = None


def bootstrap(settings: Settings, demo_root: Path = DEMO_CATALOG) -> Bootstrap:
    """Upgrade the schema, ensure an admin token, load the demo into an empty registry and
    store its analyses (app.services.analysis_store) and, when webhooks are on
    (EVENTRY_WEBHOOKS), register the domain ``eventry`` if it is missing
    (app.services.notification_catalog; after the demo, which only an empty registry gets).

    Processes starting at once on one database (several hosts, a parallel deploy) take turns
    (app.db.serial): the first migrates, makes the token and loads the demo; the others find
    it done."""
    with exclusive(settings.database_url):
        migrate.upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                secret = ensure_admin_token(session, settings.admin_token)
                field_index.backfill(session)  # versions stored before the index existed
                search_index.backfill(session)  # event types stored before search's index
                demo = None
                if settings.demo and is_empty(session):
                    demo = load_catalog(session, demo_root, Actor.system("eventry demo"))
                    # Stored now so the demo's first answers are exact, not "analysing".
                    analysis_store.refresh_stale(session)
                notices = notification_catalog.register(session) if settings.webhooks else None
                return Bootstrap(secret, demo, notices)
        finally:
            engine.dispose()


def is_empty(session: Session) -> bool:
    """Return whether the registry holds no domains and no teams yet."""
    counts = catalogue_counts(session)
    return counts["domains"] == 0 and counts["teams"] == 0
