"""The `eventry` command group and its operator commands."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
from pathlib import Path

import click

from app.cli.gunicorn_config import METRICS_FOLDER_PREFIX
from app.config import ConfigError, Settings
from app.core.access import Actor
from app.core.errors import DomainError
from app.core.limits import configure as configure_limits

# The operator CLI talks to the database directly, so it acts as an admin.
CLI_ACTOR = Actor.system("eventry cli")


# The commands defined in other modules, each imported only when it runs (or help lists it):
# `eventry check` need not load the Confluent importer, the static site or AsyncAPI.
_LAZY_COMMANDS = {
    "check": "app.cli.check:check_command",
    "validate": "app.cli.check:validate_command",
    "compat": "app.cli.check:compat_command",
    "plan": "app.cli.sync:plan",
    "apply": "app.cli.sync:apply",
    "export": "app.cli.sync:export_command",
    "import": "app.cli.sync:import_command",
    "import-confluent": "app.cli.confluent_import:import_confluent",
    "pattern": "app.cli.pattern:pattern_group",
    "example": "app.cli.interop:example_command",
    "bindings": "app.cli.interop:bindings_command",
    "notifications": "app.cli.notifications:notifications_group",
    "webhooks": "app.cli.webhooks:webhooks_group",
    "discover": "app.cli.discover:discover_command",
    "asyncapi": "app.cli.asyncapi:asyncapi_group",
    "import-routes": "app.cli.routes:import_routes_command",
    "routes": "app.cli.routes:routes_group",
    "site": "app.cli.site:site_command",
}


class _Commands(click.Group):
    """The command group: a database that is down, locked or unreadable is one line, exit 1.
    Commands of other modules are imported on first use (``_LAZY_COMMANDS``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY_COMMANDS:
            module, name = _LAZY_COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as error:  # click's own exits and usage errors are no database fault
            from app.services import database  # the database layers load only when needed

            unavailable = database.unavailable_of(error)
            if unavailable is None:
                raise
            _fail(unavailable)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="eventry", message="%(prog)s %(version)s")
def main() -> None:
    """Eventry: an event-storming schema registry."""
    # The limits bound the CLI's own work too (validate, check and compat read files); a bad
    # value is reported by the commands that read the settings, not by every command.
    with contextlib.suppress(ConfigError):
        configure_limits(Settings.from_env().limits)


def settings_or_exit() -> Settings:
    """Read the settings from the environment, or exit 2 with the reason."""
    try:
        return Settings.from_env()
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


@main.command()
@click.option("--host", help="Address to listen on (default $HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default $PORT or 8000).")
@click.option("--workers", type=int, help="gunicorn worker processes (default $WORKERS or 2).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Migrate, create an admin token on first start, seed the demo, and serve with gunicorn."""
    settings = settings_or_exit()
    host, port = host or settings.host, port or settings.port
    from app.services.bootstrap import bootstrap

    outcome = bootstrap(settings)
    if outcome.admin_secret:
        click.echo(f"Admin token (shown only now, keep it safe): {outcome.admin_secret}")
    if outcome.demo is not None:
        click.echo(f"Loaded the demo catalogue: {outcome.demo.summary()}")
    if outcome.notifications is not None:
        click.echo(f"Registered the notification events: {outcome.notifications.summary()}")
    click.echo(f"Eventry is serving on http://{host}:{port}", err=False)
    workers = workers or settings.workers
    if workers > 1 and settings.redis_url is None:
        click.echo(f"Rate limits are counted by each of the {workers} workers on its own; set")
        click.echo("EVENTRY_REDIS_URL to share them (docs/operations.md, Rate limits).")
    sys.stdout.flush()
    # Each worker keeps its metrics in this folder, so any worker can answer /metrics for all;
    # a fresh one per start, since prometheus-client's files must not outlive their processes.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=METRICS_FOLDER_PREFIX)
    args = ["gunicorn", "--config", "python:app.cli.gunicorn_config"]
    args += ["--workers", str(workers), "--bind", f"{host}:{port}", "app:create_app()"]
    os.execv(sys.executable, [sys.executable, "-m", *args])


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database ($DATABASE_URL) up to REVISION (default: head)."""
    from app.services import database

    database.upgrade(settings_or_exit().database_url, revision)
    click.echo(f"Database is at {revision}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ('base' empties it)."""
    from app.services import database

    database.downgrade(settings_or_exit().database_url, revision)
    click.echo(f"Database is at {revision}.")


@main.command("load")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def load(directory: Path) -> None:
    """Store a schemas-as-code tree in the registry's database (missing things only)."""
    from app.services import database
    from app.services.catalog_loader import load_catalog

    settings = settings_or_exit()
    try:
        with database.session_for(settings.database_url) as session:
            report = load_catalog(session, directory, CLI_ACTOR)
    except DomainError as error:
        _fail(error)
    click.echo(f"Loaded {directory}: {report.summary()}")


@main.command("analyse")
@click.option("--all", "everything", is_flag=True, help="Analyse every event type again.")
def analyse(everything: bool) -> None:
    """Store the analysis (findings, consumers' answers) of every event type changed since
    it was last analysed, in the foreground: after migrating a big catalogue, or when no
    process runs the background refresher (EVENTRY_ANALYSIS_REFRESH=0)."""
    from app.services import analysis_store, database

    settings = settings_or_exit()
    with database.session_for(settings.database_url) as session:
        done = analysis_store.refresh_stale(session, everything=everything)
    click.echo(f"Analysed {done} event {'type' if done == 1 else 'types'}.")


@main.group()
def token() -> None:
    """API token commands."""


@token.command("create")
@click.option("--team", help="Slug of the team the token acts for.")
@click.option("--admin", is_flag=True, help="Create an admin token instead.")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@click.option("--scope", "scopes", multiple=True, help="A scope (repeatable), e.g. a domain slug.")
def token_create(team: str | None, admin: bool, name: str, scopes: tuple[str, ...]) -> None:
    """Create a token and print its secret (shown only now)."""
    from app.services import database
    from app.services.tokens import create_token

    settings = settings_or_exit()
    try:
        with database.session_for(settings.database_url) as session:
            issued = create_token(session, CLI_ACTOR, name, team, admin, list(scopes))
    except DomainError as error:
        _fail(error)
    click.echo(issued.secret)


def _fail(error: DomainError, code: int = 1) -> None:
    click.echo(f"error: {error.detail}", err=True)
    for item in error.errors:
        where = " ".join(str(item.get(key)) for key in ("path", "pointer") if item.get(key))
        click.echo(f"  {where}: {item.get('message')}" if where else f"  {item}", err=True)
    sys.exit(code)
