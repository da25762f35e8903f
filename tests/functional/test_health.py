"""Health probes: /healthz for the process, /readyz for the database."""

import pytest

from app import create_app


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_answers_when_the_database_is_migrated(client, database_url):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"
    assert response.json["database"] in {"sqlite", "postgresql"}


def test_readyz_is_503_when_the_schema_is_not_migrated(empty_database_url):
    app = create_app({"database_url": empty_database_url, "demo": False})
    response = app.test_client().get("/readyz")
    app.extensions["eventry"].engine.dispose()
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "eventry db upgrade" in response.json["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/nothing",
        "sqlite:////proc/no/such/folder/eventry.db",
    ],
    ids=["postgres down", "sqlite unreadable"],
)
def test_readyz_is_503_problem_json_when_the_database_is_unreachable(url):
    app = create_app({"database_url": url, "demo": False})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == 503 and body["title"] == "Service Unavailable"
    assert body["detail"].startswith("the database is not reachable")


def test_metrics_report_the_catalogue_in_prometheus_text(client):
    client.post(
        "/api/v1/teams",
        json={"slug": "checkout", "name": "Checkout"},
        headers={"Authorization": "Bearer evt_test-admin-token"},
    )
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    # prometheus-client writes every value as a float; Prometheus reads 1.0 and 1 alike.
    assert "eventry_up 1.0\n" in body
    assert 'eventry_catalogue_items{kind="teams"} 1.0\n' in body
    assert 'eventry_catalogue_items{kind="event_types"} 0.0\n' in body
