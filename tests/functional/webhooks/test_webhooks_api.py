"""Registering webhooks: scopes, ownership, bad input and the SSRF guard; each write audited."""

from __future__ import annotations

import pytest

from tests.functional.api.conftest import ADMIN, ok
from tests.functional.webhooks.test_delivery import catalogue, subscribe

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def guarded(make_app):
    """An app as shipped: private and loopback addresses refused."""
    return make_app(worker=False, webhooks_allow_private=False).test_client()


@pytest.fixture
def open_(make_app):
    """An app whose operator allows private addresses (as the tests' receivers need)."""
    return make_app(worker=False).test_client()


def webhooks_of(client, headers) -> list[dict]:
    return ok(client.get("/api/v1/webhooks", headers=headers))["items"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest",
    ],
)
def test_a_private_or_loopback_address_is_refused_and_nothing_is_saved(guarded, url):
    tokens = catalogue(guarded)
    body = {"url": url, "team": "checkout"}
    answer = guarded.post("/api/v1/webhooks", json=body, headers=tokens["checkout"])
    assert answer.status_code == 422, answer.get_json()
    assert "EVENTRY_WEBHOOKS_ALLOW_PRIVATE" in answer.get_json()["detail"]
    assert webhooks_of(guarded, ADMIN) == []


def test_a_host_that_does_not_resolve_is_refused(guarded):
    tokens = catalogue(guarded)
    body = {"url": "https://receiver.invalid/hook", "team": "checkout"}
    answer = guarded.post("/api/v1/webhooks", json=body, headers=tokens["checkout"])
    assert answer.status_code == 422 and "does not resolve" in answer.get_json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://example.com/hook", "team": "checkout"},
        {"url": "http://user:pw@127.0.0.1/hook", "team": "checkout"},
        {"url": HOOK},
        {"url": HOOK, "team": "checkout", "domain": "orders"},
        {"url": HOOK, "team": "checkout", "kinds": ["OrderPlaced"]},
        {"url": HOOK, "team": "checkout", "kinds": ["WebhookPinged"]},
    ],
)
def test_bad_input_is_a_clear_422_and_changes_nothing(open_, body):
    tokens = catalogue(open_)
    answer = open_.post("/api/v1/webhooks", json=body, headers=tokens["checkout"])
    assert answer.status_code == 422, answer.get_json()
    assert answer.mimetype == "application/problem+json" and answer.get_json()["detail"]
    assert webhooks_of(open_, ADMIN) == []


def test_only_the_owners_register_and_read_a_teams_webhooks(open_):
    tokens = catalogue(open_)
    for scope in ({"team": "checkout"}, {"domain": "orders"}):
        answer = open_.post(
            "/api/v1/webhooks", json={"url": HOOK, **scope}, headers=tokens["fulfilment"]
        )
        assert answer.status_code == 403, scope
    assert open_.post("/api/v1/webhooks", json={"url": HOOK, "team": "checkout"}).status_code == 401
    hook = subscribe(open_, tokens["checkout"], HOOK, domain="orders")
    assert (hook["team"], hook["domain"]) == ("checkout", "orders")
    path = f"/api/v1/webhooks/{hook['id']}"
    assert open_.get(path, headers=tokens["fulfilment"]).status_code == 403
    assert open_.get(f"{path}/deliveries", headers=tokens["fulfilment"]).status_code == 403
    assert open_.post(f"{path}/test", headers=tokens["fulfilment"]).status_code == 403
    assert open_.delete(path, headers=tokens["fulfilment"]).status_code == 403
    assert webhooks_of(open_, tokens["fulfilment"]) == []
    assert [w["id"] for w in webhooks_of(open_, tokens["checkout"])] == [hook["id"]]
    assert open_.get("/api/v1/webhooks/999", headers=ADMIN).status_code == 404


def test_webhooks_page_and_every_write_is_audited(open_):
    tokens = catalogue(open_)
    ids = [subscribe(open_, tokens["checkout"], f"{HOOK}/{n}")["id"] for n in range(3)]
    first = ok(open_.get("/api/v1/webhooks?limit=2", headers=tokens["checkout"]))
    assert [w["id"] for w in first["items"]] == ids[:2] and first["next"]
    rest = ok(open_.get(first["next"], headers=tokens["checkout"]))
    assert [w["id"] for w in rest["items"]] == ids[2:] and rest["next"] is None
    ok(open_.post(f"/api/v1/webhooks/{ids[0]}/test", headers=tokens["checkout"]), 202)
    assert open_.delete(f"/api/v1/webhooks/{ids[0]}", headers=tokens["checkout"]).status_code == 204
    assert open_.get(f"/api/v1/webhooks/{ids[0]}", headers=ADMIN).status_code == 404
    audit = ok(open_.get("/api/v1/audit?target=webhook:", headers=ADMIN))["items"]
    actions = sorted(entry["action"] for entry in audit)
    assert actions == ["webhook.create"] * 3 + ["webhook.delete", "webhook.test"]
    assert all("secret" not in str(entry) for entry in audit)
