"""UI errors are HTML pages like the rest of the UI; the API keeps problem+json."""

from __future__ import annotations

import pytest

from app import create_app
from tests.conftest import ADMIN_TOKEN
from tests.functional.ui.conftest import html


def test_an_unknown_page_is_a_404_page_of_the_ui(client):
    page = html(client.get("/no/such/page"), 404)
    assert "<title>404 Not Found · Eventry</title>" in page
    assert 'href="/search"' in page and 'aria-label="Breadcrumbs"' in page


def test_unknown_entities_are_404_pages_saying_what_is_missing(client, demo):
    assert "there is no domain &#39;atlantis&#39;" in html(client.get("/domains/atlantis"), 404)
    assert "there is no bus" in html(client.get("/buses/nowhere"), 404)
    assert "there is no event type orders.Nope" in html(client.get("/events/orders/Nope"), 404)


def test_the_api_keeps_problem_json(client):
    response = client.get("/api/v1/no/such/route")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    response = client.get("/api/v1/domains/atlantis")
    assert response.mimetype == "application/problem+json"
    response = client.delete("/healthz")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"


def test_a_wrong_method_on_a_page_is_a_405_page(client):
    response = client.delete("/")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "GET" in response.headers["Allow"]


@pytest.fixture
def crashing(database_url):
    application = create_app(
        {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False, "TESTING": True}
    )

    def boom():
        raise RuntimeError("the secret internals")

    application.add_url_rule("/boom", "boom", boom)
    application.add_url_rule("/api/v1/boom", "api_boom", boom)
    yield application.test_client()
    application.extensions["eventry"].engine.dispose()


def test_an_unexpected_error_is_a_500_page_that_hides_the_internals(crashing):
    page = html(crashing.get("/boom"), 500)
    assert "Eventry hit an unexpected error" in page and "secret internals" not in page
    api = crashing.get("/api/v1/boom")
    assert api.status_code == 500 and api.mimetype == "application/problem+json"


def test_with_read_auth_the_pages_need_a_token_too(database_url):
    application = create_app(
        {"database_url": database_url, "admin_token": ADMIN_TOKEN, "read_auth": "token"}
    )
    try:
        client = application.test_client()
        denied = client.get("/")
        assert denied.status_code == 401 and denied.mimetype == "text/html"
        allowed = client.get("/", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert allowed.status_code == 200
    finally:
        application.extensions["eventry"].engine.dispose()
