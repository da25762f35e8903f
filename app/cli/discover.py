"""`eventry discover`: schemas discovered from a file of raw events (NDJSON), proposed against a
bus of the registry's database, or of a registry with ``--url`` (POST /api/v1/buses/{bus}/discover,
the file streamed as it is read)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import click

from app.cli.remote import Registry, RemoteError, Stream
from app.core import ndjson
from app.core.errors import DomainError
from app.core.words import counted
from app.services import database, discovery

MAX_LINE = 1024 * 1024  # bytes of one line (an event), as the API's default body limit


@click.command("discover")
@click.argument("events", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bus", required=True, help="The bus the events travelled on (its slug).")
@click.option(
    "--type-field",
    default="type",
    show_default=True,
    help="The member naming the type of a plain JSON event, or a JSON pointer to it "
    "(/meta/type); EventBridge and CloudEvents envelopes say theirs.",
)
@click.option("--enums", is_flag=True, help="Give string fields of few distinct values an enum.")
@click.option("--apply", is_flag=True, help="Register every compatible proposal.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as JSON.")
@click.option(
    "--url",
    envvar="EVENTRY_URL",
    help="Ask this registry instead of the database (or $EVENTRY_URL).",
)
@click.option("--token", envvar="EVENTRY_TOKEN", help="API token (needed with --apply and --url).")
def discover_command(
    events: Path,
    bus: str,
    type_field: str,
    enums: bool,
    apply: bool,
    as_json: bool,
    url: str | None,
    token: str | None,
) -> None:
    """Infer a JSON Schema per event type from EVENTS (one raw event a line: EventBridge,
    CloudEvents or plain JSON) and propose each as a new event type or a new version of the
    bus's event type with that name. Exit 1 when --apply left an incompatible proposal
    unregistered, 2 for an unknown bus or a refused file."""
    options = discovery.Options(type_field, enums, apply)
    try:
        found = _remote(url, token, events, bus, options) if url else _local(events, bus, options)
    except (DomainError, RemoteError) as error:
        click.echo(f"error: {getattr(error, 'detail', error)}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        _report(found)
    if apply and any(_refused(each) for each in found["types"]):
        sys.exit(1)


def _local(events: Path, bus: str, options: discovery.Options) -> dict:
    # The operator CLI on the registry's database, as an admin (app.cli.main.CLI_ACTOR).
    from app.cli.main import CLI_ACTOR, settings_or_exit

    settings = settings_or_exit()
    with database.session_for(settings.database_url) as session, events.open("rb") as file:
        lines = ndjson.lines(file.read, MAX_LINE)
        return discovery.discover(session, CLI_ACTOR, bus, lines, options).to_dict()


def _remote(
    url: str, token: str | None, events: Path, bus: str, options: discovery.Options
) -> dict:
    # The file is streamed to POST /api/v1/buses/{bus}/discover: the server's owner checks hold.
    query = {"type_field": options.type_field, "enums": options.enums, "apply": options.apply}
    path = f"/api/v1/buses/{quote(bus, safe='')}/discover?{urlencode(query).lower()}"
    with events.open("rb") as file:
        body = Stream(file, events.stat().st_size, ndjson.MEDIA_TYPE)
        return Registry(url, token, timeout=600).call("POST", path, body)[1]


def _report(found: dict) -> None:
    skipped = len(found["problems"]) + found["problems_cut"]
    click.echo(
        f"{counted(found['events'], 'event')} of {counted(len(found['types']), 'type')}"
        f" on bus {found['bus']} ({counted(found['lines'], 'line')}, {skipped:,} skipped)"
    )
    for each in found["types"]:
        click.echo(f"- {each['type']} ({counted(each['events'], 'event')}): {_proposal(each)}")
        breaking = [
            d for d in (each["verdict"] or {}).get("differences", []) if not d["compatible"]
        ]
        for difference in breaking:
            click.echo(f"    breaking {difference['path']}: {difference['message']}")
        for field in each["optional"]:
            click.echo(f"    optional {field['pointer']}: {field['frequency']:.0%}")
    for item in found["problems"]:
        click.echo(f"line {item['line']}: {item['problem']['detail']}", err=True)


def _proposal(each: dict) -> str:
    verdict, registered = each["verdict"], each["registered"]
    if each["proposal"] == "none":
        return "no event type name can be made of this type"
    text = f"new event type {each['name']}"
    if verdict is not None:
        state = "compatible" if verdict["compatible"] else "NOT compatible"
        text = f"new version of {each['event']}, {state} ({verdict['level']})"
        # The impact lists, difference by difference, the consumers each one touches.
        pairs = zip(verdict["differences"], verdict.get("impact", []), strict=False)
        hurt = {c["name"] for d, i in pairs if not d["compatible"] for c in i["consumers"]}
        if hurt:
            text += f", breaks {', '.join(sorted(hurt))}"
    if registered is not None:
        done = "registered" if registered["created"] else "already registered"
        text += f"; {done} as {registered['event']} v{registered['version']}"
    return text


def _refused(each: dict) -> bool:
    return each["verdict"] is not None and not each["verdict"]["compatible"]
