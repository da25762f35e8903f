"""With webhooks on, a start registers Eventry's own notification events (the domain `eventry`,
schemas from schemas/notifications/) once; with them off, or in the demo, nothing of it."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli.main import main
from app.config import Settings
from app.core.notifications import NotificationKind
from app.services.bootstrap import bootstrap
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ok

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas" / "notifications"


def start(database_url: str, webhooks: bool, demo: bool = False):
    return bootstrap(
        Settings(database_url=database_url, demo=demo, admin_token=ADMIN_TOKEN, webhooks=webhooks)
    )


def audit_count(client) -> int:
    return len(ok(client.get("/api/v1/audit?limit=200", headers=ADMIN))["items"])


def test_a_start_with_webhooks_on_registers_the_eventry_domain_once(database_url, make_app):
    first = start(database_url, webhooks=True)
    assert first.notifications is not None and first.demo is None
    client = make_app(worker=False).test_client()
    for kind in NotificationKind:
        path = f"/api/v1/events/eventry/{kind}"
        assert ok(client.get(path))["bus"] == "eventry-webhooks", kind
        version = ok(client.get(f"{path}/versions/1"))
        expected = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
        assert version["schema"] == expected, kind
    assert ok(client.get("/api/v1/domains/eventry"))["owner"] == "eventry-platform"
    audit = ok(client.get("/api/v1/audit?limit=200", headers=ADMIN))["items"]
    assert {entry["actor"] for entry in audit} == {"eventry notifications"}
    before = audit_count(client)
    second = start(database_url, webhooks=True)
    assert second.notifications is None and audit_count(client) == before


def test_a_catalogue_that_already_has_the_domain_is_left_alone(database_url, make_app, runner):
    start(database_url, webhooks=True)
    client = make_app(worker=False).test_client()
    body = {"description": "Ours now."}
    ok(client.patch("/api/v1/domains/eventry", json=body, headers=ADMIN))
    path = "/api/v1/events/eventry/WebhookPinged"
    assert client.delete(path, headers=ADMIN).status_code == 204
    before = audit_count(client)
    assert start(database_url, webhooks=True).notifications is None
    result = runner.invoke(main, ["notifications", "register"])
    assert result.exit_code == 0 and "already registered" in result.output, result.output
    assert ok(client.get("/api/v1/domains/eventry"))["description"] == "Ours now."
    assert client.get(path).status_code == 404 and audit_count(client) == before


def test_webhooks_off_and_the_demo_leave_out_the_eventry_domain(database_url, make_app):
    outcome = start(database_url, webhooks=False, demo=True)
    assert outcome.demo is not None and outcome.notifications is None
    client = make_app(worker=False).test_client()
    assert client.get("/api/v1/domains/eventry").status_code == 404
    assert client.get("/api/v1/events/eventry/SchemaVersionRegistered").status_code == 404
    with_them = start(database_url, webhooks=True)  # the same registry, webhooks turned on
    assert with_them.demo is None and with_them.notifications is not None
    assert ok(client.get("/api/v1/events/eventry/SchemaVersionRegistered"))["name"]


def test_the_cli_registers_the_domain_on_the_local_database(runner, make_app):
    result = runner.invoke(main, ["notifications", "register"])
    assert result.exit_code == 0 and "Registered the notification events" in result.output
    assert "6 event types" in result.output, result.output
    client = make_app(worker=False).test_client()
    ok(client.get("/api/v1/events/eventry/EventTypeCreated"))
    again = runner.invoke(main, ["notifications", "register"])
    assert again.exit_code == 0 and "nothing changed" in again.output
