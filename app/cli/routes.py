"""`eventry import-routes` and `eventry routes drift`: a bus's consumers from the router
configuration the AWS CLI exports, and the drift between the two (docs/routes.md).

Both read the database directly, as the operator commands do (app.cli.main), and exit 2 with
one line per problem for a file or rule they cannot read; `routes drift` exits 1 on drift."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from app.cli.documents import read_document
from app.cli.main import CLI_ACTOR, settings_or_exit
from app.core.errors import DomainError
from app.services import database, route_import

_FILES = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
_BUS = click.option("--bus", required=True, help="Slug of the bus the configuration is for.")
_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.command("import-routes")
@_FILES
@_BUS
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option("--team", help="Team of the consumers it creates (default: none).")
@_FORMAT
def import_routes_command(
    files: tuple[str, ...], bus: str, dry_run: bool, team: str | None, fmt: str
) -> None:
    """Create and update BUS's consumers from exported EventBridge rules and targets or SNS
    subscriptions and their attributes in FILES ('-' reads standard input). Idempotent;
    deletes nothing. Exit 0 done, 2 a file or rule it cannot read."""
    documents = _read(files)
    report = _run(
        lambda session: route_import.import_routes(
            session, CLI_ACTOR, bus, documents, dry_run=dry_run, team=team
        )
    )
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
        return
    counts: dict[str, int] = {}
    for row in report["consumers"]:
        counts[row["action"]] = counts.get(row["action"], 0) + 1
    done = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "no consumers"
    click.echo(f"{_heading(report)}{' (dry run)' if dry_run else ''}: {done}")
    for row in report["consumers"]:
        if row["action"] != "unchanged":
            event = f" ({row['event']})" if row["event"] else ""
            came = f" from {row['source']}" if row["source"] else ": not in the configuration"
            click.echo(f"  {row['action']:<10}{row['consumer']}{event}{came}")


@click.group("routes")
def routes_group() -> None:
    """Router-configuration commands (EventBridge rules and targets, SNS subscriptions)."""


@routes_group.command("drift")
@_FILES
@_BUS
@_FORMAT
def drift_command(files: tuple[str, ...], bus: str, fmt: str) -> None:
    """Compare BUS's declared consumers with the router configuration exported in FILES.
    Exit 0 no drift, 1 drift, 2 a file or rule it cannot read."""
    documents = _read(files)
    report = _run(lambda session: route_import.drift(session, bus, documents))
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        counts = ", ".join(f"{n} {kind}" for kind, n in report["counts"].items() if n)
        state = "drift" if report["drift"] else "no drift"
        click.echo(f"{_heading(report)}: {state} ({counts or 'nothing configured or declared'})")
        for difference in report["differences"]:
            if difference["kind"] != "unchanged":
                click.echo(f"  {difference['kind']:<14}{_described(difference)}")
    sys.exit(1 if report["drift"] else 0)


def _described(difference: dict[str, Any]) -> str:
    text = difference["consumer"]
    if difference["kind"] == "other-bus":
        text += f" (declared on {', '.join(difference['buses'])})"
    if difference["source"]:
        text += f" from {difference['source']}"
    return text


def _heading(report: dict[str, Any]) -> str:
    where = ", ".join(report["locations"]) or "nothing"
    return f"{report['bus']} ({report['router']}: {where})"


def _read(files: tuple[str, ...]) -> list[tuple[str, Any]]:
    documents = []
    for name in files:
        document = read_document(name)
        if document.error:
            _exit(f"{document.path}: {document.error}")
        # A problem's pointer is the file's name and a JSON pointer fragment.
        documents.append((f"{document.path}#", document.value))
    return documents


def _run(use_case):
    try:
        with database.session_for(settings_or_exit().database_url) as session:
            return use_case(session)
    except DomainError as error:
        problems = [
            f"{item.get('pointer') or '/'}"
            + (f" (rule {item['rule_pointer']})" if item.get("rule_pointer") else "")
            + f": {item['message']}"
            for item in error.errors
        ]
        _exit(error.detail, problems)


def _exit(detail: str, problems: list[str] | None = None) -> None:
    click.echo(f"error: {detail}", err=True)
    for line in problems or []:
        click.echo(f"  {line}", err=True)
    sys.exit(2)
