"""The real Confluent clients against a live Eventry: the `app` fixture (fresh database, SQLite
and PostgreSQL) served over HTTP from a thread, confluent-kafka's SchemaRegistryClient on it, and
the native API of the same app through the Flask test client (one registry, two doors).

Every request the server receives is recorded (`served.requests`), so a test can tell what a
client sent: the /associations call of the default subject name strategy, a lookup instead of
a registration. Nothing is mocked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from sqlalchemy import create_engine, text
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def closed(title: str | None = None, required: tuple[str, ...] = (), **fields: Any) -> str:
    """A closed JSON Schema object as the clients send it: a JSON string. ``fields`` name →
    type (or a whole sub-schema); adding an optional field is BACKWARD compatible under the
    default strict policy, adding a required one is not. Kept to draft-07 keywords without
    formats, so the Node client's strict Ajv compiles it too."""
    document: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#"}
    if title is not None:
        document["title"] = title
    document["type"] = "object"
    document["additionalProperties"] = False
    document["properties"] = {
        name: kind if isinstance(kind, dict) else {"type": kind} for name, kind in fields.items()
    }
    if required:
        document["required"] = list(required)
    return json.dumps(document)


ORDER_V1 = closed("OrderPlaced", ("orderId",), orderId="string")
ORDER_V2 = closed("OrderPlaced", ("orderId",), orderId="string", total="number")
ORDER_BREAKING = closed("OrderPlaced", ("orderId", "currency"), orderId="string", currency="string")


@dataclass
class Served:
    """The live server: its /ccompat URL, the app (for its test client) and what it received."""

    url: str
    app: Any
    requests: list[tuple[str, str]] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)  # of each request's Authorization

    def sent(self, method: str, start: str) -> list[str]:
        """The paths with query (without /ccompat) of the requests of that method starting so."""
        return [path for verb, path in self.requests if verb == method and path.startswith(start)]

    def forget(self) -> None:
        """Forget the requests received so far."""
        self.requests.clear()
        self.schemes.clear()


class QuietHandler(WSGIRequestHandler):
    """Serves requests without logging each one."""

    def log_request(self, *args, **kwargs) -> None:
        """Stay quiet."""


@pytest.fixture
def served(app) -> Iterator[Served]:
    """The app on its fresh database (both legs), served on a free port from a thread: the
    clients need real HTTP."""
    found = Served("", app)

    def recording(environ, start_response):
        path = environ.get("PATH_INFO", "").removeprefix("/ccompat")
        query = environ.get("QUERY_STRING", "")
        found.requests.append((environ["REQUEST_METHOD"], f"{path}?{query}" if query else path))
        found.schemes.append(environ.get("HTTP_AUTHORIZATION", "").partition(" ")[0])
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, recording, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_port}/ccompat"
    yield found
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def client_conf(url: str, **more: Any) -> dict[str, Any]:
    """A SchemaRegistryClient conf: no retries (else 408/429/5xx are retried 3 times with
    sleeps) and a timeout (httpx2's default here is none at all)."""
    return {"url": url, "max.retries": 0, "timeout": 10, **more}


def basic_conf(url: str, token: str) -> dict[str, Any]:
    """Basic auth as Confluent's clients send it: any user name, the Eventry token as password."""
    return client_conf(url, **{"basic.auth.user.info": f"any:{token}"})


def bearer_conf(url: str, token: str) -> dict[str, Any]:
    """A static bearer token; the client requires a logical cluster (sent as target-sr-cluster)."""
    return client_conf(
        url,
        **{
            "bearer.auth.credentials.source": "STATIC_TOKEN",
            "bearer.auth.token": token,
            "bearer.auth.logical.cluster": "eventry",
        },
    )


@pytest.fixture
def registry(served) -> Iterator[SchemaRegistryClient]:
    """confluent-kafka's client with the admin token, closed after the test."""
    with SchemaRegistryClient(basic_conf(served.url, ADMIN_TOKEN)) as client:
        yield client


@pytest.fixture
def native(app):
    """The native API of the same app (the Flask test client)."""
    return app.test_client()


def ok(response, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def event_of(native, domain: str, name: str) -> dict[str, Any]:
    """GET /api/v1/events/{domain}/{name}: the event type the clients' subject became."""
    return ok(native.get(f"/api/v1/events/{domain}/{name}"))


@pytest.fixture
def teams(native) -> dict[str, str]:
    """Teams checkout (owns domain orders with the kafka bus `orders`) and fulfilment (owns
    domain shipping with the event type ParcelShipped on bus `parcels`), each with a token:
    slug → secret."""
    secrets = {}
    for slug in ("checkout", "fulfilment"):
        body = {"slug": slug, "name": slug.title()}
        ok(native.post("/api/v1/teams", json=body, headers=ADMIN), 201)
        url = f"/api/v1/teams/{slug}/tokens"
        secrets[slug] = ok(native.post(url, json={"name": f"{slug} ci"}, headers=ADMIN), 201)[
            "secret"
        ]
    for slug, owner, bus in (
        ("orders", "checkout", "orders"),
        ("shipping", "fulfilment", "parcels"),
    ):
        body = {"slug": slug, "name": slug.title(), "owner": owner}
        ok(native.post("/api/v1/domains", json=body, headers=ADMIN), 201)
        body = {"slug": bus, "domain": slug, "router": "kafka"}
        ok(native.post("/api/v1/buses", json=body, headers=ADMIN), 201)
    body = {
        "domain": "shipping",
        "name": "ParcelShipped",
        "producer": "a-service",
        "bus": "parcels",
    }
    ok(native.post("/api/v1/events", json=body, headers=ADMIN), 201)
    return secrets


@pytest.fixture(autouse=True)
def _registry_settings_reset(database_url):
    """The registry-wide mode and compatibility group back to their defaults around each test:
    on PostgreSQL tests/conftest.py reuses one database and resets only the level and policy
    of its settings row (as tests/functional/confluent/conftest.py does)."""
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


NODE_TESTS = "tests/clients/test_kafkajs_node.py"


def pytest_terminal_summary(terminalreporter):
    """Say whether the Node client tests ran (they skip without node outside CI)."""
    stats = terminalreporter.stats
    ran = {r.nodeid for key in ("passed", "failed", "error") for r in stats.get(key, [])}
    skipped = {r.nodeid for r in stats.get("skipped", [])}
    done = sum(nodeid.startswith(NODE_TESTS) for nodeid in ran)
    passed_over = sum(nodeid.startswith(NODE_TESTS) for nodeid in skipped)
    if done or passed_over:
        terminalreporter.write_line(f"Node client tests: {done} ran, {passed_over} skipped")
