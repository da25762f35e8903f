"""Every write needs a token; a team may change only its own domains."""

import pytest

from app import create_app
from tests.functional.api.conftest import ADMIN, ORDER_V1, bearer, ok

WRITES = [
    ("post", "/api/v1/teams", {"slug": "x", "name": "X"}),
    ("post", "/api/v1/teams/checkout/tokens", {"name": "x"}),
    ("post", "/api/v1/domains", {"slug": "x", "name": "X", "owner": "checkout"}),
    ("patch", "/api/v1/domains/orders", {"name": "X"}),
    ("post", "/api/v1/buses", {"slug": "x", "domain": "orders", "router": "sns"}),
    ("patch", "/api/v1/buses/orders-events", {"router": "sns"}),
    ("post", "/api/v1/events", {"domain": "orders", "name": "OrderLost"}),
    ("patch", "/api/v1/events/orders/OrderPlaced", {"producer": "x"}),
    ("post", "/api/v1/events/orders/OrderPlaced/versions", {"schema": ORDER_V1}),
    ("put", "/api/v1/events/orders/OrderPlaced/config", {"compatibility": "NONE"}),
    ("post", "/api/v1/events/orders/OrderPlaced/samples", {"name": "s", "payload": {}}),
    ("put", "/api/v1/config", {"policy": "lenient"}),
    ("delete", "/api/v1/events/orders/OrderPlaced/versions/1", None),
    ("delete", "/api/v1/events/orders/OrderPlaced", None),
    ("delete", "/api/v1/buses/orders-events", None),
    ("delete", "/api/v1/domains/orders", None),
]
FOREIGN = [w for w in WRITES if w[1] != "/api/v1/domains" or w[0] != "post"]


@pytest.mark.parametrize(("method", "url", "body"), WRITES, ids=[f"{m} {u}" for m, u, _ in WRITES])
def test_a_write_without_a_token_is_401(client, orders, method, url, body):
    response = getattr(client, method)(url, json=body)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "url", "body"), WRITES, ids=[f"{m} {u}" for m, u, _ in WRITES])
def test_a_write_with_an_unknown_token_is_401(client, orders, method, url, body):
    response = getattr(client, method)(url, json=body, headers=bearer("evt_forged"))
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "url", "body"), FOREIGN, ids=[f"{m} {u}" for m, u, _ in FOREIGN]
)
def test_a_write_by_another_team_is_403_and_changes_nothing(
    client, orders, teams, method, url, body
):
    before = ok(client.get("/api/v1/audit?limit=200"))["items"]
    response = getattr(client, method)(url, json=body, headers=teams["fulfilment"])
    assert response.status_code == 403, response.json
    assert response.json["detail"]
    assert ok(client.get("/api/v1/audit?limit=200"))["items"] == before


def test_a_malformed_authorization_header_is_401(client, orders):
    response = client.patch(
        "/api/v1/domains/orders", json={"name": "X"}, headers={"Authorization": "Basic abc"}
    )
    assert response.status_code == 401
    assert "Bearer" in response.json["detail"]


def test_a_scoped_token_may_change_only_its_domains(client, orders):
    scoped = ok(
        client.post(
            "/api/v1/teams/checkout/tokens",
            json={"name": "carts only", "scopes": ["carts"]},
            headers=ADMIN,
        ),
        201,
    )
    response = client.patch(
        "/api/v1/domains/orders", json={"name": "X"}, headers=bearer(scoped["secret"])
    )
    assert response.status_code == 403
    assert "scoped to carts" in response.json["detail"]


def test_an_expired_token_is_401(client, orders, session):
    from datetime import UTC, datetime

    from app.db.models import ApiToken

    body = {"name": "short-lived", "expires_at": "2999-01-01t00:00:00z"}
    created = ok(client.post("/api/v1/teams/checkout/tokens", json=body, headers=ADMIN), 201)
    assert created["expires_at"].startswith("2999-01-01T00:00:00")
    token = session.get(ApiToken, created["id"])
    token.expires_at = datetime(2020, 1, 1, tzinfo=UTC)  # time passes
    session.commit()
    response = client.patch(
        "/api/v1/domains/orders", json={"name": "X"}, headers=bearer(created["secret"])
    )
    assert response.status_code == 401


def test_a_token_cannot_be_made_already_expired(client, teams):
    past = client.post(
        "/api/v1/teams/checkout/tokens",
        json={"name": "x", "expires_at": "2020-01-01T00:00:00Z"},
        headers=ADMIN,
    )
    assert past.status_code == 422 and "in the past" in past.json["detail"]
    naive = client.post(
        "/api/v1/teams/checkout/tokens",
        json={"name": "x", "expires_at": "2999-01-01T00:00:00"},
        headers=ADMIN,
    )
    assert naive.status_code == 422


def test_the_admin_may_do_everything(client, orders):
    ok(client.patch("/api/v1/domains/orders", json={"name": "Admin Was Here"}, headers=ADMIN))


def test_reads_are_open_unless_read_auth_is_token(database_url, orders):
    locked = create_app(
        {"database_url": database_url, "admin_token": "evt_admin", "read_auth": "token"}
    )
    client = locked.test_client()
    assert client.get("/api/v1/domains").status_code == 401
    assert client.get("/api/v1/domains", headers=bearer("evt_admin")).status_code == 200
    assert client.get("/healthz").status_code == 200
    locked.extensions["eventry"].engine.dispose()


def test_a_token_records_when_it_was_last_used(client, teams):
    before = ok(client.get("/api/v1/teams/checkout/tokens", headers=ADMIN))["items"][0]
    assert before["last_used_at"] is None
    client.get("/api/v1/teams/checkout/tokens", headers=teams["checkout"])
    after = ok(client.get("/api/v1/teams/checkout/tokens", headers=ADMIN))["items"][0]
    assert after["last_used_at"] is not None


def test_a_scoped_token_may_not_create_other_domains_or_manage_tokens(client, orders):
    scoped = ok(
        client.post(
            "/api/v1/teams/checkout/tokens",
            json={"name": "carts", "scopes": ["carts"]},
            headers=ADMIN,
        ),
        201,
    )
    headers = bearer(scoped["secret"])
    other = client.post(
        "/api/v1/domains",
        json={"slug": "newdom", "name": "N", "owner": "checkout"},
        headers=headers,
    )
    assert other.status_code == 403 and "scoped to carts" in other.json["detail"]
    own = client.post(
        "/api/v1/domains",
        json={"slug": "carts", "name": "Carts", "owner": "checkout"},
        headers=headers,
    )
    assert own.status_code == 201
    assert client.get("/api/v1/teams/checkout/tokens", headers=headers).status_code == 403
    assert client.delete("/api/v1/tokens/1", headers=headers).status_code == 403


def test_only_an_admin_hands_a_domain_to_another_team(client, orders):
    response = client.patch("/api/v1/domains/orders", json={"owner": "fulfilment"}, headers=orders)
    assert response.status_code == 403
    assert (
        ok(client.patch("/api/v1/domains/orders", json={"owner": "fulfilment"}, headers=ADMIN))[
            "owner"
        ]
        == "fulfilment"
    )
