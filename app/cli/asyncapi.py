"""`eventry asyncapi import|export`: an AsyncAPI 2.6 or 3.0 document into a domain of the
registry's database, and a domain, a service or the catalogue out as AsyncAPI 3.0 (the same
services as POST /api/v1/asyncapi/import and GET /api/v1/asyncapi; docs/interop.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.core.asyncapi.source import dumps_json, dumps_yaml
from app.core.errors import DomainError
from app.services import asyncapi_export, asyncapi_import, database


@click.group("asyncapi")
def asyncapi_group() -> None:
    """AsyncAPI documents in and out of the registry's database."""


@asyncapi_group.command("import")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--domain", required=True, help="The domain to import into (its slug).")
@click.option("--team", help="The team that owns the domain when it is created.")
@click.option("--prune", is_flag=True, help="Delete what the domain holds and DOCUMENT dropped.")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
def import_command(
    document: Path, domain: str, team: str | None, prune: bool, dry_run: bool, as_json: bool
) -> None:
    """Import DOCUMENT (JSON or YAML): channels become buses, messages event types, payloads
    versions, examples samples, operations producers and consumers. Exit 1 when the document
    is refused (every problem with its pointer), 2 when the database cannot be read."""
    from app.cli.main import CLI_ACTOR, settings_or_exit
    from app.cli.main import _fail as fail  # one line per problem, exit 1

    settings = settings_or_exit()
    text = document.read_bytes()
    try:
        with database.session_for(settings.database_url) as session:
            report = asyncapi_import.import_document(
                session, CLI_ACTOR, text, domain, team, dry_run, prune, settings.max_body_bytes
            )
    except DomainError as error:
        fail(error)
        return
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    found = report.to_dict()
    click.echo(f"{found['title']}{' (dry run: nothing changed)' if dry_run else ''}")
    for kind, outcomes in found["kinds"].items():
        counts = ", ".join(
            f"{len(names)} {outcome}" for outcome, names in outcomes.items() if names
        )
        if counts:
            click.echo(f"  {kind}: {counts}")
    for warning in found["warnings"]:
        click.echo(f"warning: {warning['pointer']}: {warning['message']}", err=True)


@asyncapi_group.command("export")
@click.option("--domain", help="Only this domain.")
@click.option("--service", help="Only what this service produces and consumes.")
@click.option("--format", "form", type=click.Choice(["yaml", "json"]), default="yaml")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="A file.")
def export_command(domain: str | None, service: str | None, form: str, output: Path | None) -> None:
    """Print (or write to --output) a domain, a service or the whole catalogue as an AsyncAPI
    3.0 document. Exit 1 for an unknown domain or service."""
    from app.cli.main import _fail as fail  # one line per problem, exit 1
    from app.cli.main import settings_or_exit

    settings = settings_or_exit()
    try:
        with database.session_for(settings.database_url) as session:
            document = asyncapi_export.export_document(session, domain, service)
    except DomainError as error:
        fail(error)
        return
    text = dumps_json(document) if form == "json" else dumps_yaml(document)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
