"""Authentication as Confluent's clients send it: a Bearer token, or HTTP Basic with the
token as the password (or as the user name); 401 (40101) without a valid one on writes, and
on reads too with EVENTRY_READ_AUTH=token."""

from app import create_app
from tests.conftest import ADMIN_TOKEN
from tests.functional.confluent.conftest import (
    V1_SCHEMA,
    V2_SCHEMA,
    basic,
    bearer,
    fails,
    ok,
    register,
    registered,
)


def test_basic_auth_with_the_token_as_password_works(client):
    made = registered(client, "orders-value", V1_SCHEMA, headers=basic("any-user", ADMIN_TOKEN))
    assert made["version"] == 1
    as_user = registered(client, "orders-value", V2_SCHEMA, headers=basic(ADMIN_TOKEN, ""))
    assert as_user["version"] == 2


def test_a_wrong_token_is_401(client):
    for headers in (bearer("evt_forged"), basic("user", "evt_forged")):
        fails(register(client, "orders-value", V1_SCHEMA, headers=headers), 401, 40101)
    malformed = {"Authorization": "Basic !!!"}
    fails(register(client, "orders-value", V1_SCHEMA, headers=malformed), 401, 40101)
    fails(client.get("/ccompat/subjects/orders-value/versions"), 404, 40401)


def test_a_write_without_a_token_is_401(client):
    registered(client, "orders-value", V1_SCHEMA)
    writes = [
        ("post", "/ccompat/subjects/orders-value/versions", {"schema": V2_SCHEMA}),
        ("delete", "/ccompat/subjects/orders-value", None),
        ("delete", "/ccompat/subjects/orders-value/versions/1", None),
        ("put", "/ccompat/config", {"compatibility": "NONE"}),
        ("delete", "/ccompat/config", None),
        ("put", "/ccompat/config/orders-value", {"compatibility": "NONE"}),
        ("delete", "/ccompat/config/orders-value", None),
        ("put", "/ccompat/mode", {"mode": "READONLY"}),
        ("delete", "/ccompat/mode", None),
        ("put", "/ccompat/mode/orders-value", {"mode": "READONLY"}),
        ("delete", "/ccompat/mode/orders-value", None),
    ]
    for method, url, body in writes:
        response = getattr(client, method)(url, json=body)
        fails(response, 401, 40101)
        assert response.headers.get("WWW-Authenticate")
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


def test_with_token_read_auth_reads_need_a_token_too(database_url):
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    application = create_app({**config, "read_auth": "token", "TESTING": True})
    try:
        client = application.test_client()
        fails(client.get("/ccompat/subjects/orders-value/versions"), 401, 40101)
        fails(client.get("/ccompat/schemas/ids/1"), 401, 40101)
        fails(client.get("/ccompat/config"), 401, 40101)
        registered(client, "orders-value", V1_SCHEMA, headers=basic("ci", ADMIN_TOKEN))
        found = client.get(
            "/ccompat/subjects/orders-value/versions", headers=basic("u", ADMIN_TOKEN)
        )
        assert ok(found) == [1]
    finally:
        application.extensions["eventry"].engine.dispose()
