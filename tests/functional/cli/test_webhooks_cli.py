"""`eventry webhooks list|deliveries` against a live server: a team's webhooks and a delivery
log, never a secret; a refused request exits 2."""

from __future__ import annotations

import json

import pytest

from app import create_app
from app.cli.main import main
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ok
from tests.functional.cli.conftest import serve_in_thread
from tests.functional.webhooks.test_delivery import catalogue, subscribe


@pytest.fixture
def hooked(database_url):
    """A server whose operator allows private webhook addresses, and a test client of it."""
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    application = create_app({**config, "webhooks_allow_private": True, "TESTING": True})
    http = serve_in_thread(application)
    yield f"http://127.0.0.1:{http.server_port}", application.test_client()
    http.shutdown()
    application.extensions["eventry"].engine.dispose()


def test_webhooks_are_listed_with_their_delivery_logs(hooked, cli):
    url, client = hooked
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], "http://127.0.0.1:9/hooks?key=k", domain="orders")
    body = {"description": "Order watcher", "kinds": ["ConsumerAdded"]}
    ok(client.patch(f"/api/v1/webhooks/{hook['id']}", json=body, headers=tokens["checkout"]))
    ok(client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=tokens["checkout"]), 202)
    remote = ["--url", url, "--token", ADMIN_TOKEN]
    listed = cli.invoke(main, ["webhooks", "list", *remote])
    assert listed.exit_code == 0, listed.output
    assert f"{hook['id']}  active  checkout/orders  ConsumerAdded" in listed.output
    assert "Order watcher" in listed.output and hook["secret"] not in listed.output
    as_json = cli.invoke(main, ["webhooks", "list", *remote, "--json"])
    assert [item["id"] for item in json.loads(as_json.output)] == [hook["id"]]
    log = cli.invoke(main, ["webhooks", "deliveries", str(hook["id"]), *remote])
    assert log.exit_code == 0, log.output
    assert "pending  0 attempts  WebhookPinged" in log.output
    assert f"webhook:{hook['id']}" in log.output


def test_a_refused_request_exits_2_with_the_reason(hooked, cli):
    url, client = hooked
    tokens = catalogue(client)
    hook = subscribe(client, tokens["checkout"], "http://127.0.0.1:9/hooks")
    fulfilment = tokens["fulfilment"]["Authorization"].removeprefix("Bearer ")
    refused = cli.invoke(
        main, ["webhooks", "deliveries", str(hook["id"]), "--url", url, "--token", fulfilment]
    )
    assert refused.exit_code == 2 and "403" in refused.output, refused.output
    assert "may not read a webhook for team 'checkout'" in refused.output
    missing = cli.invoke(
        main, ["webhooks", "deliveries", "999", "--url", url, "--token", ADMIN_TOKEN]
    )
    assert missing.exit_code == 2 and "999" in missing.output
