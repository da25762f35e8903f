"""`eventry asyncapi import|export|diff`: an AsyncAPI 2.6 or 3.0 document into a domain of the
registry's database, a domain, a service or the catalogue out as AsyncAPI 3.0, and the breaking
and non-breaking changes between two documents or a domain then and now (the same services as
POST /api/v1/asyncapi/import, GET /api/v1/asyncapi and POST /api/v1/asyncapi/diff;
docs/interop.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.core.asyncapi.diff import AsyncApiDiff
from app.core.asyncapi.source import dumps_json, dumps_yaml
from app.core.errors import DomainError, InvalidInput
from app.core.times import parse_time
from app.core.vocabulary import CompatibilityLevel
from app.core.words import counted
from app.services import asyncapi_diff, asyncapi_export, asyncapi_import, database


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


@asyncapi_group.command("diff")
@click.argument("documents", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--domain", help="With --since: diff this domain's export then and now.")
@click.option("--since", help="An RFC 3339 time with its zone, such as 2026-01-31T12:00:00Z.")
@click.option(
    "--level",
    type=click.Choice([str(level) for level in CompatibilityLevel]),
    default=str(CompatibilityLevel.BACKWARD),
    show_default=True,
    help="The compatibility level each changed payload is checked at.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole diff as JSON.")
def diff_command(
    documents: tuple[Path, ...], domain: str | None, since: str | None, level: str, as_json: bool
) -> None:
    """Compare OLD and NEW (two AsyncAPI 2.6 or 3.0 documents, JSON or YAML), or with --domain
    and --since a domain's export at that time with its export now. Print each change, breaking
    or not. Exit 0 when nothing breaks, 1 when a change is breaking, 2 when they cannot be
    compared (every problem with its pointer)."""
    from app.cli.main import _fail as fail  # one line per problem
    from app.cli.main import settings_or_exit

    chosen = CompatibilityLevel(level)
    try:
        if documents and (domain or since):
            raise click.UsageError("give OLD and NEW, or --domain and --since, not both")
        if documents:
            if len(documents) != 2:
                raise click.UsageError("give two documents: OLD and NEW")
            old, new = (path.read_bytes() for path in documents)
            report = asyncapi_diff.diff_documents(old, new, chosen)
        else:
            if not (domain and since):
                raise click.UsageError("give OLD and NEW, or --domain and --since")
            settings = settings_or_exit()
            with database.session_for(settings.database_url) as session:
                report = asyncapi_diff.diff_since(session, domain, _since(since), chosen)
    except DomainError as error:
        fail(error, 2)
        return
    _print(report, as_json)
    if report.breaking:
        raise SystemExit(1)


def _since(text: str):
    try:
        return parse_time(text)
    except ValueError as error:
        raise InvalidInput(f"--since must be an RFC 3339 time with its zone: {error}") from None


def _print(report: AsyncApiDiff, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    for change in report.changes:
        mark = "BREAKING" if change.breaking else "ok"
        click.echo(f"{mark:<8} {change.kind}: {change.detail}")
        for difference in change.differences:
            if not difference.get("compatible", True):
                click.echo(f"         {difference['path'] or '/'}: {difference['message']}")
    verdict = "breaking" if report.breaking else "not breaking"
    click.echo(f"{counted(len(report.changes), 'change')} at {report.level}: {verdict}")
