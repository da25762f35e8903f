"""Request ids, JSON logs, 500s a user can quote, and the metrics, through the Flask test client
(tests/functional/test_serve_observability.py does the same against a real gunicorn)."""

import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from app.core import errors
from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ORDER = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def scrape(client) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics, keyed by (name, sorted labels)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    families = text_string_to_metric_families(response.get_data(as_text=True))
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in families
        for sample in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def log_lines(captured: str) -> list[dict]:
    """Every line written to stderr, each of which must be one JSON object."""
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


@pytest.fixture
def orders(client):
    """A team, a domain and the event orders.OrderPlaced without versions."""
    client.post("/api/v1/teams", json={"slug": "checkout", "name": "Checkout"}, headers=ADMIN)
    domain = {"slug": "orders", "name": "Orders", "owner": "checkout"}
    client.post("/api/v1/domains", json=domain, headers=ADMIN)
    event = {"domain": "orders", "name": "OrderPlaced"}
    assert client.post("/api/v1/events", json=event, headers=ADMIN).status_code == 201
    return "/api/v1/events/orders/OrderPlaced"


def test_a_sane_request_id_is_returned_and_logged(client, capfd):
    capfd.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert response.headers["X-Request-ID"] == "trace-42.a:b"
    (line,) = [
        entry for entry in log_lines(capfd.readouterr().err) if entry["message"] == "request"
    ]
    assert line["request_id"] == "trace-42.a:b"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["level"] == "info" and line["time"].endswith("Z")
    assert isinstance(line["duration_ms"], float)


@pytest.mark.parametrize(
    "given", ["", "two words", "tab\there", 'quote"d', "x" * 200, "<script>", "-leading-dash"]
)
def test_an_insane_request_id_is_replaced_by_a_fresh_one(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    chosen = response.headers["X-Request-ID"]
    assert chosen != given and len(chosen) == 32 and int(chosen, 16) >= 0


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_a_500_is_logged_with_its_traceback_and_its_body_quotes_the_request_id(database_url, capfd):
    app = create_app({"database_url": database_url, "demo": False})

    @app.get("/api/v1/explode")
    def explode():
        raise RuntimeError("the flux capacitor melted")

    capfd.readouterr()
    response = app.test_client().get("/api/v1/explode", headers={"X-Request-ID": "quote-me"})
    app.extensions["eventry"].engine.dispose()
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.json["request_id"] == "quote-me"
    assert "quote-me" in response.json["detail"]
    assert "flux" not in response.get_data(as_text=True)  # the cause stays in the logs
    errors = [entry for entry in log_lines(capfd.readouterr().err) if entry["level"] == "error"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "quote-me" and errors[0]["status"] == 500
    assert "RuntimeError: the flux capacitor melted" in errors[0]["traceback"]


def test_requests_are_counted_by_route_not_by_raw_path(client):
    before = scrape(client)
    client.get("/api/v1/domains/orders")
    client.get("/api/v1/domains/payments")
    client.get("/no/such/page/42")
    after = scrape(client)
    labels = {"method": "GET", "route": "/api/v1/domains/<domain>", "status": "404"}
    total = "eventry_http_requests_total"
    assert value(after, total, **labels) - value(before, total, **labels) == 2
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert value(after, total, **unmatched) - value(before, total, **unmatched) == 1
    latency = "eventry_http_request_duration_seconds_count"
    route = {"method": "GET", "route": "/api/v1/domains/<domain>"}
    assert value(after, latency, **route) - value(before, latency, **route) == 2
    assert not any("payments" in str(key) for key in after)


def test_registrations_and_refusals_are_counted_by_outcome(client, orders):
    before = scrape(client)
    register = f"{orders}/versions"
    assert client.post(register, json={"schema": ORDER}, headers=ADMIN).status_code == 201
    assert client.post(register, json={"schema": ORDER}, headers=ADMIN).status_code == 200
    narrower = {**ORDER, "additionalProperties": False, "required": ["id", "at"]}
    assert client.post(register, json={"schema": narrower}, headers=ADMIN).status_code == 409
    broken = {"type": "no-such-type"}
    assert client.post(register, json={"schema": broken}, headers=ADMIN).status_code == 422
    after = scrape(client)
    for outcome in ("created", "identical", "conflict", "invalid"):
        name = "eventry_registrations_total"
        assert value(after, name, outcome=outcome) - value(before, name, outcome=outcome) == 1


def test_validations_are_counted_by_result(client, orders):
    client.post(f"{orders}/versions", json={"schema": ORDER}, headers=ADMIN)
    before = scrape(client)
    events = [{"id": "1"}, {"id": "2"}, {"id": 3}]
    assert client.post(f"{orders}/validate", json={"events": events}).status_code == 200
    client.post("/events/orders/OrderPlaced/validate", data={"event": "{}"})  # the UI's form
    after = scrape(client)
    name = "eventry_validations_total"
    assert value(after, name, result="valid") - value(before, name, result="valid") == 2
    assert value(after, name, result="invalid") - value(before, name, result="invalid") == 2


def test_metrics_keep_the_catalogue_gauges_and_show_the_pool(client, orders):
    samples = scrape(client)
    assert value(samples, "eventry_up") == 1
    assert value(samples, "eventry_catalogue_items", kind="event_types") == 1
    # The scrape itself holds a connection while it counts the catalogue.
    assert ("eventry_db_connections_in_use", ()) in samples
    assert value(samples, "eventry_db_connections_open") >= 1


def test_database_errors_are_counted_and_the_scrape_still_answers():
    app = create_app({"database_url": "sqlite:////proc/no/such/folder/eventry.db", "demo": False})
    client = app.test_client()
    first = value(scrape(client), "eventry_db_errors_total", kind="OperationalError")
    samples = scrape(client)
    assert value(samples, "eventry_up") == 0
    assert value(samples, "eventry_db_errors_total", kind="OperationalError") > first


def test_metrics_need_a_token_when_reads_do(database_url):
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "read_auth": "token",
        }
    )
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=ADMIN).status_code == 200
    app.extensions["eventry"].engine.dispose()


def test_an_unavailable_database_is_a_warning_without_a_traceback(database_url, capfd):
    app = create_app({"database_url": database_url, "demo": False})

    @app.get("/api/v1/unavailable")
    def unavailable():
        raise errors.Unavailable("the database is not answering", retry_after=2)

    capfd.readouterr()
    response = app.test_client().get("/api/v1/unavailable")
    app.extensions["eventry"].engine.dispose()
    assert response.status_code == 503 and "Retry-After" in response.headers
    [line] = [
        e for e in log_lines(capfd.readouterr().err) if e.get("path") == "/api/v1/unavailable"
    ]
    assert line["level"] == "warning" and line["status"] == 503
    assert "traceback" not in line
    assert response.json["detail"] in line["message"]
