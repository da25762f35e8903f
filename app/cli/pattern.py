"""`eventry pattern test`: does a routing rule match an event? Offline, as EventBridge's
TestEventPattern (or an SNS filter policy with --router sns)."""

from __future__ import annotations

import json
import sys

import click

from app.cli.documents import read_document
from app.core.errors import DomainError
from app.services import routing


@click.group("pattern")
def pattern_group() -> None:
    """Routing-rule commands (EventBridge event patterns, SNS filter policies)."""


@pattern_group.command("test")
@click.argument("pattern_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.argument("event_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--router",
    type=click.Choice(["eventbridge", "sns"]),
    default="eventbridge",
    show_default=True,
    help="Whose grammar and matching rules apply.",
)
@click.option(
    "--scope",
    type=click.Choice(["MessageAttributes", "MessageBody"]),
    default=None,
    help="SNS only: what the filter policy reads (default MessageAttributes).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def pattern_test(pattern_file: str, event_file: str, router: str, scope: str | None, fmt: str):
    """Does the rule in PATTERN_FILE match the event in EVENT_FILE ('-' reads standard input)?

    With --router sns and the MessageAttributes scope, EVENT_FILE holds the message's
    attributes. Exit 0 matched, 1 not matched (the part of the rule that failed is printed),
    2 an unreadable file or a rule the router would refuse."""
    documents = [read_document(name) for name in (pattern_file, event_file)]
    for document in documents:
        if document.error:
            _usage(f"{document.path}: {document.error}")
    try:
        answer = routing.test_pattern(documents[0].value, documents[1].value, router, scope)
    except DomainError as error:
        problems = [f"{item.get('pointer') or '/'}: {item['message']}" for item in error.errors]
        _usage(error.detail, problems)
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2))
    elif answer["matched"]:
        click.echo("matched")
    else:
        miss = answer["mismatch"]
        click.echo(
            f"not matched: rule {miss['rule_pointer'] or '/'}, event {miss['event_pointer'] or '/'}"
        )
        click.echo(f"  {miss['reason']}")
    sys.exit(0 if answer["matched"] else 1)


def _usage(detail: str, problems: list[str] | None = None) -> None:
    click.echo(f"error: {detail}", err=True)
    for line in problems or []:
        click.echo(f"  {line}", err=True)
    sys.exit(2)
