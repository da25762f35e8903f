"""`eventry webhooks list|deliveries ID`: a registry's webhooks and their delivery logs, read
through its REST API (GET /api/v1/webhooks, GET /api/v1/webhooks/{id}/deliveries) with a
team's token (its webhooks) or an admin's (every team's). Never a secret: the API shows none."""

from __future__ import annotations

import json
from typing import Any

import click

from app.cli.remote import Registry, RemoteError
from app.cli.sync import TOKEN, URL

AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")


@click.group("webhooks")
def webhooks_group() -> None:
    """A registry's webhooks and their delivery logs (read-only)."""


@webhooks_group.command("list")
@URL
@TOKEN
@AS_JSON
def list_command(url: str, token: str | None, as_json: bool) -> None:
    """The token's team's webhooks (every team's, for an admin's token), one a line: id, state,
    scope, kinds, URL (its query hidden) and description. Exit 2 if the server refuses."""
    hooks = _ask(lambda registry: list(registry.pages("/api/v1/webhooks")), url, token)
    if as_json:
        click.echo(json.dumps(hooks, indent=2))
        return
    for hook in hooks:
        scope = f"{hook['team']}/{hook['domain']}" if hook["domain"] else hook["team"]
        state = "active" if hook["active"] else "inactive"
        kinds = ",".join(hook["kinds"]) or "all kinds"
        line = f"{hook['id']}  {state}  {scope}  {kinds}  {hook['url']}"
        click.echo(f"{line}  {hook['description']}" if hook["description"] else line)
    if not hooks:
        click.echo("No webhooks.")


@webhooks_group.command("deliveries")
@click.argument("webhook_id", type=click.IntRange(1))
@URL
@TOKEN
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@AS_JSON
def deliveries_command(
    webhook_id: int, url: str, token: str | None, limit: int, as_json: bool
) -> None:
    """The newest LIMIT deliveries of webhook WEBHOOK_ID, newest first: id, status, attempts,
    kind, subject and the last answer (HTTP status or error). Exit 2 if the server refuses."""
    path = f"/api/v1/webhooks/{webhook_id}/deliveries?limit={limit}"
    found = _ask(lambda registry: registry.get(path)["items"], url, token)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    for item in found:
        answer = item["last_error"] or item["last_status"] or "-"
        click.echo(
            f"{item['id']}  {item['status']}  {item['attempts']} attempts  {item['kind']}  "
            f"{item['subject']}  last answer: {answer}  {item['created_at']}"
        )
    if not found:
        click.echo(f"Webhook {webhook_id} has no deliveries yet.")


def _ask(question: Any, url: str, token: str | None) -> Any:
    try:
        return question(Registry(url, token))
    except RemoteError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
