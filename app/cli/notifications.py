"""`eventry notifications register`: Eventry's own notification events (the domain `eventry`)
into the registry's database, as a service started with EVENTRY_WEBHOOKS=1 does by itself."""

from __future__ import annotations

import click

from app.core.errors import DomainError
from app.services import database, notification_catalog


@click.group("notifications")
def notifications_group() -> None:
    """Eventry's own change notifications in its catalogue."""


@notifications_group.command("register")
def register_command() -> None:
    """Register the domain `eventry` (team eventry-platform, bus eventry-webhooks, one event
    type per notification kind, schemas from schemas/notifications/) in the database
    ($DATABASE_URL), unless it is there already. Exit 1 if it cannot be stored."""
    from app.cli.main import _fail as fail  # one line per problem, exit 1
    from app.cli.main import settings_or_exit

    settings = settings_or_exit()
    try:
        with database.session_for(settings.database_url) as session:
            report = notification_catalog.register(session)
    except DomainError as error:
        fail(error)
    if report is None:
        click.echo("The domain eventry is already registered; nothing changed.")
    else:
        click.echo(f"Registered the notification events: {report.summary()}")
