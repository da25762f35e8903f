"""Abuse limits: writes per token, expensive anonymous calls per address, 429 with headers,
counts shared through Redis, windows that end."""

import os
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from app import create_app, metrics
from app.cli.remote import Registry
from app.config import ConfigError, Settings
from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
COMPARE = {"old": {"type": "object"}, "new": {"type": "object"}}
# Redis answers on this machine and in CI; TEST_REDIS_URL= (empty) skips the shared-count tests.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def limited_app(database_url, **settings):
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    return create_app({**config, "TESTING": True, **settings})


@pytest.fixture
def make_app(database_url):
    apps = []

    def make(**settings):
        apps.append(limited_app(database_url, **settings))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["eventry"].engine.dispose()


def from_address(app, address=None):
    """A test client whose requests come from their own address (Redis outlives the tests)."""
    address = address or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def team_token(client, slug):
    team = {"slug": slug, "name": slug.title()}
    assert client.post("/api/v1/teams", json=team, headers=ADMIN).status_code == 201
    created = client.post(f"/api/v1/teams/{slug}/tokens", json={"name": "ci"}, headers=ADMIN)
    return {"Authorization": f"Bearer {created.json['secret']}"}


def create_domain(client, headers, slug, owner):
    body = {"slug": slug, "name": slug, "owner": owner}
    return client.post("/api/v1/domains", json=body, headers=headers)


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is empty: the shared-count tests did not run")
    parsed = urlparse(REDIS_URL)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
    except OSError as error:
        pytest.fail(
            f"Redis does not answer at {REDIS_URL} ({error}); start it or set TEST_REDIS_URL="
        )
    return REDIS_URL


def test_the_expensive_limit_answers_429_problem_json_with_the_headers(make_app):
    client = from_address(make_app(rate_limit_expensive=2))
    first = client.post("/api/v1/compatibility", json=COMPARE)
    assert first.status_code == 200
    assert first.headers["RateLimit-Limit"] == "2"
    assert first.headers["RateLimit-Remaining"] == "1"
    assert 1 <= int(first.headers["RateLimit-Reset"]) <= 60
    assert client.post("/api/v1/compatibility", json=COMPARE).status_code == 200

    refused = client.post("/api/v1/compatibility", json=COMPARE)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.json["status"] == 429 and refused.json["title"] == "Too Many Requests"
    assert "EVENTRY_RATE_LIMIT_EXPENSIVE" in refused.json["detail"]
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Retry-After"] == refused.headers["RateLimit-Reset"]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/analysis", {"samples": [{"id": "1"}]}),
        ("/api/v1/patterns/test", {"pattern": {"source": ["a"]}, "event": {"source": "a"}}),
        ("/api/v1/events/orders/OrderPlaced/validate", {"event": {}}),
        ("/api/v1/events/orders/OrderPlaced/compatibility", {"schema": {}}),
    ],
)
def test_every_expensive_endpoint_counts_against_the_address(make_app, url, body):
    client = from_address(make_app(rate_limit_expensive=1))
    assert client.post(url, json=body).status_code != 429
    assert client.post(url, json=body).status_code == 429


@pytest.mark.parametrize("tail", ["example", "bindings/python", "bindings/typescript"])
def test_the_reads_that_generate_count_as_expensive(make_app, tail):
    client = from_address(make_app(rate_limit_expensive=1))
    url = f"/api/v1/events/orders/OrderPlaced/versions/1/{tail}"
    assert client.get(url).status_code == 404  # no such event: still counted
    assert client.get(url).status_code == 429


def test_an_asyncapi_export_counts_as_expensive(make_app):
    client = from_address(make_app(rate_limit_expensive=1))
    assert client.get("/api/v1/asyncapi").status_code == 200  # the whole (empty) catalogue
    assert client.get("/api/v1/asyncapi?domain=orders").status_code == 429


def test_addresses_are_counted_separately(make_app):
    app = make_app(rate_limit_expensive=1)
    one, other = from_address(app, "10.0.0.1"), from_address(app, "10.0.0.2")
    assert one.post("/api/v1/compatibility", json=COMPARE).status_code == 200
    assert one.post("/api/v1/compatibility", json=COMPARE).status_code == 429
    assert other.post("/api/v1/compatibility", json=COMPARE).status_code == 200


def test_writes_are_counted_per_token_and_admins_are_not_limited(make_app):
    client = from_address(make_app(rate_limit_writes=3))
    # Two teams and two tokens: four admin writes, past the limit of three.
    checkout, payments = team_token(client, "checkout"), team_token(client, "payments")
    assert create_domain(client, checkout, "orders", "checkout").status_code == 201
    assert create_domain(client, checkout, "carts", "checkout").status_code == 201
    assert create_domain(client, checkout, "baskets", "checkout").status_code == 201
    refused = create_domain(client, checkout, "wishes", "checkout")
    assert refused.status_code == 429
    assert (
        "token" in refused.json["detail"] and "EVENTRY_RATE_LIMIT_WRITES" in refused.json["detail"]
    )
    # The refused write changed nothing; another token of the same address still writes.
    assert client.get("/api/v1/domains/wishes").status_code == 404
    assert create_domain(client, payments, "payments", "payments").status_code == 201
    assert create_domain(client, ADMIN, "ledger", "payments").status_code == 201
    assert "RateLimit-Limit" not in create_domain(client, ADMIN, "refunds", "payments").headers


def test_writes_without_a_valid_token_count_against_the_address(make_app):
    client = from_address(make_app(rate_limit_writes=1))
    forged = {"Authorization": "Bearer evt_forged"}
    assert create_domain(client, forged, "orders", "checkout").status_code == 401
    assert create_domain(client, forged, "orders", "checkout").status_code == 429
    assert create_domain(client, {}, "orders", "checkout").status_code == 429


def test_a_limit_of_zero_switches_it_off_and_reads_are_never_limited(make_app):
    client = from_address(make_app(rate_limit_expensive=0, rate_limit_writes=1))
    for _ in range(5):
        response = client.post("/api/v1/compatibility", json=COMPARE)
        assert response.status_code == 200 and "RateLimit-Limit" not in response.headers
        assert client.get("/api/v1/domains").status_code == 200
        estimate = {"events_per_second": 1, "payload_bytes": 100}
        assert client.post("/api/v1/router-estimate", json=estimate).status_code == 200


def test_the_limit_resets_after_the_window(make_app):
    client = from_address(make_app(rate_limit_expensive=1, rate_limit_window=1))
    assert client.post("/api/v1/compatibility", json=COMPARE).status_code == 200
    refused = client.post("/api/v1/compatibility", json=COMPARE)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert client.post("/api/v1/compatibility", json=COMPARE).status_code == 200


def test_the_ui_validate_form_is_limited_with_an_html_page(make_app):
    client = from_address(make_app(rate_limit_expensive=1))
    client.post("/events/orders/OrderPlaced/validate", data={"event": "{}"})
    refused = client.post("/events/orders/OrderPlaced/validate", data={"event": "{}"})
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert "Retry-After" in refused.headers


def test_refusals_are_counted_in_the_metrics(make_app):
    client = from_address(make_app(rate_limit_expensive=1))
    before = metrics.RATE_LIMITED.labels("expensive")._value.get()
    client.post("/api/v1/compatibility", json=COMPARE)
    client.post("/api/v1/compatibility", json=COMPARE)
    assert metrics.RATE_LIMITED.labels("expensive")._value.get() == before + 1


def test_behind_trusted_proxies_the_forwarded_address_is_counted(make_app):
    client = from_address(make_app(rate_limit_expensive=1, trusted_proxies=1), "10.9.9.9")
    one = {"X-Forwarded-For": "203.0.113.5"}
    other = {"X-Forwarded-For": "203.0.113.5, 198.51.100.7"}  # a client cannot forge the last
    assert client.post("/api/v1/compatibility", json=COMPARE, headers=one).status_code == 200
    assert client.post("/api/v1/compatibility", json=COMPARE, headers=one).status_code == 429
    assert client.post("/api/v1/compatibility", json=COMPARE, headers=other).status_code == 200


def test_two_app_instances_share_the_count_through_redis(make_app, redis_url):
    first, second = make_app(rate_limit_expensive=3), make_app(rate_limit_expensive=3)
    address = f"10.{uuid.uuid4().int % 250}.1.{uuid.uuid4().int % 250}"
    one, two = from_address(first, address), from_address(second, address)
    # In memory, each instance counts on its own: three each pass.
    assert all(one.post("/api/v1/compatibility", json=COMPARE).status_code == 200 for _ in "abc")
    assert two.post("/api/v1/compatibility", json=COMPARE).status_code == 200

    shared = [make_app(rate_limit_expensive=3, redis_url=redis_url) for _ in range(2)]
    one, two = from_address(shared[0], address), from_address(shared[1], address)
    assert one.post("/api/v1/compatibility", json=COMPARE).status_code == 200
    assert two.post("/api/v1/compatibility", json=COMPARE).status_code == 200
    answer = one.post("/api/v1/compatibility", json=COMPARE)
    assert answer.status_code == 200 and answer.headers["RateLimit-Remaining"] == "0"
    assert two.post("/api/v1/compatibility", json=COMPARE).status_code == 429


def test_the_redis_window_resets_too(make_app, redis_url):
    client = from_address(
        make_app(rate_limit_expensive=1, rate_limit_window=1, redis_url=redis_url)
    )
    assert client.post("/api/v1/compatibility", json=COMPARE).status_code == 200
    assert client.post("/api/v1/compatibility", json=COMPARE).status_code == 429
    time.sleep(2.1)  # Redis keeps expiry in whole seconds
    assert client.post("/api/v1/compatibility", json=COMPARE).status_code == 200


def test_when_redis_is_down_requests_pass_and_the_failure_is_counted(make_app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = make_app(rate_limit_expensive=1, redis_url=f"redis://127.0.0.1:{closed_port}/0")
    client = from_address(app)
    before = metrics.RATE_LIMIT_STORAGE_ERRORS._value.get()
    started = time.monotonic()
    for _ in range(3):
        response = client.post("/api/v1/compatibility", json=COMPARE)
        assert response.status_code == 200 and "RateLimit-Limit" not in response.headers
    assert time.monotonic() - started < 5
    assert metrics.RATE_LIMIT_STORAGE_ERRORS._value.get() == before + 1


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("EVENTRY_RATE_LIMIT_WRITES", "many"),
        ("EVENTRY_RATE_LIMIT_EXPENSIVE", "-1"),
        ("EVENTRY_TRUSTED_PROXIES", "1.5"),
        ("EVENTRY_REDIS_URL", "http://127.0.0.1:6379"),
    ],
)
def test_bad_settings_are_refused_at_start(variable, value):
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_settings_are_read_from_the_environment():
    settings = Settings.from_env(
        {
            "EVENTRY_RATE_LIMIT_WRITES": "0",
            "EVENTRY_RATE_LIMIT_EXPENSIVE": "30",
            "EVENTRY_REDIS_URL": "redis://cache:6379/2",
            "EVENTRY_TRUSTED_PROXIES": "2",
        }
    )
    assert (settings.rate_limit_writes, settings.rate_limit_expensive) == (0, 30)
    assert (settings.redis_url, settings.trusted_proxies) == ("redis://cache:6379/2", 2)
    assert Settings.from_env({}).rate_limit_writes == Settings().rate_limit_writes


class _LimitedOnce(BaseHTTPRequestHandler):
    """Answers 429 with Retry-After to the first request, then 200."""

    calls = 0

    def do_GET(self):
        type(self).calls += 1
        first = type(self).calls == 1
        body = b'{"status": 429}' if first else b'{"ok": true}'
        self.send_response(429 if first else 200)
        if first:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


def test_the_cli_client_waits_out_a_429_and_sends_again():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LimitedOnce)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        registry = Registry(f"http://127.0.0.1:{server.server_port}")
        started = time.monotonic()
        assert registry.call("GET", "/api/v1/domains") == (200, {"ok": True})
        assert time.monotonic() - started >= 1 and _LimitedOnce.calls == 2
    finally:
        server.shutdown()
        server.server_close()
