"""Helpers for the /ccompat tests: tokens, a small catalogue made through the native API, and
short ways to register, read and check what Confluent's clients send.

Everything goes through the Flask test client, on both databases (the `client` fixture is
parametrised over SQLite and PostgreSQL by tests/conftest.py).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ADMIN_TOKEN

V1 = "application/vnd.schemaregistry.v1+json"
SR = "application/vnd.schemaregistry+json"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def basic(user: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def schema(title: str | None = None, required: tuple[str, ...] = (), **fields: str) -> str:
    """A JSON Schema as Confluent's clients send it: a JSON string. ``fields`` name → type;
    the object is closed (additionalProperties false), so adding an optional field is
    BACKWARD compatible under the default strict policy."""
    document: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if title is not None:
        document["title"] = title
    document["properties"] = {name: {"type": kind} for name, kind in fields.items()}
    if required:
        document["required"] = list(required)
    return json.dumps(document)


# An evolution under BACKWARD: V2 adds an optional field (compatible), BREAKING makes a new
# field required (incompatible with V1 under BACKWARD).
V1_SCHEMA = schema("OrderPlaced", ("orderId",), orderId="string")
V2_SCHEMA = schema("OrderPlaced", ("orderId",), orderId="string", total="number")
BREAKING = schema("OrderPlaced", ("orderId", "currency"), orderId="string", currency="string")


@pytest.fixture(autouse=True)
def _registry_settings_reset(database_url):
    """Put the registry-wide mode and compatibility group back to their defaults before and
    after each test. tests/conftest.py reuses one PostgreSQL database and resets only the
    level and policy of its settings row, so a READONLY or IMPORT mode (or a group) set by one
    test would leak into the next (an open problem of tests/conftest.py, reported)."""
    _reset_settings(database_url)
    yield
    _reset_settings(database_url)


def _reset_settings(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE settings SET mode = 'READWRITE', compatibility_group = NULL")
        )
    engine.dispose()


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json(force=True)


def fails(response, status: int, code: int) -> str:
    """Assert a Confluent-shaped error and return its message."""
    body = response.get_json(force=True)
    assert response.status_code == status, (response.status_code, body)
    assert body["error_code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    assert response.mimetype in (V1, SR, "application/json"), response.mimetype
    return body["message"]


def register(client, subject: str, text: str = V1_SCHEMA, headers=None, **extra) -> Any:
    """POST /subjects/{s}/versions; returns the response (not yet checked)."""
    return client.post(
        f"/ccompat/subjects/{subject}/versions",
        json={"schema": text, **extra},
        headers=ADMIN if headers is None else headers,
    )


def registered(client, subject: str, text: str = V1_SCHEMA, headers=None, **extra) -> dict:
    """Register and return the body (id, version, guid, schemaType)."""
    return ok(register(client, subject, text, headers, **extra))


def audit(client, **filters: str) -> list[dict]:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return ok(client.get(f"/api/v1/audit?limit=200&{query}"))["items"]


def native(client, method: str, url: str, body=None, headers=None, status: int | None = None):
    response = getattr(client, method)(
        url, json=body, headers=ADMIN if headers is None else headers
    )
    if status is not None:
        return ok(response, status)
    return response


@pytest.fixture
def teams(client) -> dict[str, dict[str, str]]:
    """Teams with a token each: checkout (will own orders), fulfilment (will own shipping and
    warehouse), solo (owns exactly one domain: billing)."""
    secrets = {}
    for slug in ("checkout", "fulfilment", "solo"):
        native(client, "post", "/api/v1/teams", {"slug": slug, "name": slug.title()}, status=201)
        token = native(
            client, "post", f"/api/v1/teams/{slug}/tokens", {"name": f"{slug} ci"}, status=201
        )
        secrets[slug] = bearer(token["secret"])
    return secrets


def domain(client, slug: str, owner: str) -> None:
    body = {"slug": slug, "name": slug.title(), "owner": owner}
    native(client, "post", "/api/v1/domains", body, status=201)


def bus(client, slug: str, domain_slug: str, router: str = "kafka") -> None:
    body = {"slug": slug, "domain": domain_slug, "router": router}
    native(client, "post", "/api/v1/buses", body, status=201)


def event(client, domain_slug: str, name: str, bus_slug: str | None = None) -> None:
    body = {"domain": domain_slug, "name": name, "producer": "a-service"}
    if bus_slug:
        body["bus"] = bus_slug
    native(client, "post", "/api/v1/events", body, status=201)


@pytest.fixture
def catalogue(client, teams) -> dict[str, dict[str, str]]:
    """orders (checkout) with the kafka bus `orders`; shipping and warehouse (fulfilment), the
    bus `parcels` of shipping carrying ParcelShipped and ParcelLost; billing (solo)."""
    domain(client, "orders", "checkout")
    bus(client, "orders", "orders")
    domain(client, "shipping", "fulfilment")
    domain(client, "warehouse", "fulfilment")
    bus(client, "parcels", "shipping")
    event(client, "shipping", "ParcelShipped", "parcels")
    event(client, "shipping", "ParcelLost", "parcels")
    domain(client, "billing", "solo")
    return teams
