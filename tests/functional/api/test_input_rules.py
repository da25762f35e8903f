"""Input rules that cannot be slipped, on both databases: names match whole, no control
character in a name, identifier or description (a 422 naming the field, or a 400 for a URL),
JSON keeps "\\u0000" wherever JSON allows it, a streamed body over the limit is a 413 before it
is parsed, and an answer that fails after a commit says what was saved."""

from __future__ import annotations

import http.client
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app
from app.core.access import Actor
from app.core.errors import InvalidInput
from app.db.models import AuditEntry, Domain, SchemaVersion
from app.services import catalog
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ok

EVENT = "/api/v1/events/orders/OrderPlaced"
NUL = "\u0000"


@contextmanager
def unchanged(app) -> Iterator[None]:
    def state():
        with app.extensions["eventry"].sessions() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(model))
                for model in (AuditEntry, SchemaVersion, Domain)
            )

    before = state()
    yield
    assert state() == before


def refused_field(response, field: str) -> None:
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert any(error["pointer"] == f"/{field}" for error in body["errors"]), body
    assert "control character" in body["detail"]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/teams", {"slug": "t2", "name": f"T{NUL}"}, "name"),
        ("/api/v1/teams", {"slug": "t2", "name": "T", "description": f"a{NUL}b"}, "description"),
        ("/api/v1/domains", {"slug": "nl", "name": "N\x1b[31m", "owner": "checkout"}, "name"),
        (
            "/api/v1/events",
            {"domain": "orders", "name": "OrderShipped", "producer": "svc\n"},
            "producer",
        ),
        ("/api/v1/consumers", {"name": f"billing{NUL}", "bus": "orders-events"}, "name"),
        ("/api/v1/teams/checkout/tokens", {"name": "ci\r"}, "name"),
        (f"{EVENT}/versions", {"schema": {}, "note": f"v2{NUL}"}, "note"),
    ],
)
def test_control_characters_are_refused_naming_the_field(app, client, orders, url, body, field):
    with unchanged(app):
        refused_field(client.post(url, json=body, headers=ADMIN), field)


def test_changes_are_held_to_the_same_rule(app, client, orders):
    with unchanged(app):
        refused_field(
            client.patch("/api/v1/domains/orders", json={"name": f"O{NUL}"}, headers=orders), "name"
        )
        refused_field(
            client.patch(EVENT, json={"description": "placed\x07"}, headers=orders), "description"
        )


def test_descriptions_keep_tabs_and_line_breaks(client, orders):
    text = "Placed by a customer.\n\n\tPaid later.\r\n"
    body = ok(client.patch(EVENT, json={"description": text}, headers=orders))
    assert body["description"] == text


@pytest.mark.parametrize("slug", ["nl\n", "nl\r\n", f"nl{NUL}", " nl"])
def test_a_slug_with_a_trailing_newline_is_no_slug(app, client, teams, slug):
    with unchanged(app):
        response = client.post(
            "/api/v1/domains", json={"slug": slug, "name": "N", "owner": "checkout"}, headers=ADMIN
        )
    assert response.status_code == 422
    # The service refuses it too (the CLI and the catalogue loader call it directly).
    with app.extensions["eventry"].sessions() as session, pytest.raises(InvalidInput):
        catalog.create_domain(session, Actor.system("test"), slug, "N", "checkout")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/domains/orders%00",
        "/api/v1/events/orders/Order%0APlaced",
        "/api/v1/search?q=order%00",
        "/api/v1/audit?actor=%00",
        "/api/v1/events?domain=orders%0A",
        "/events/orders/OrderPlaced%00",
    ],
)
def test_a_url_with_a_control_character_is_400_on_every_database(client, orders, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_json_keeps_nul_where_json_allows_it(client, orders):
    # PostgreSQL's jsonb refuses "\u0000"; payloads, patterns and schemas are stored as json.
    ok(
        client.post(
            "/api/v1/events", json={"domain": "orders", "name": "NulCarried"}, headers=orders
        ),
        201,
    )
    url = "/api/v1/events/orders/NulCarried"
    schema = {
        "type": "object",
        "description": f"with{NUL}nul",
        "properties": {"orderId": {"enum": [f"o{NUL}1", "o-2"]}, f"k{NUL}": {}},
    }
    version = ok(client.post(f"{url}/versions", json={"schema": schema}, headers=orders), 201)
    assert ok(client.get(f"{url}/versions/{version['version']}"))["schema"] == schema
    payload = {"orderId": f"o{NUL}1", f"k{NUL}": {f"k{NUL}": [NUL]}}
    sample = ok(
        client.post(f"{url}/samples", json={"name": "nul", "payload": payload}, headers=orders), 201
    )
    assert (sample["payload"], sample["valid"]) == (payload, True)
    assert [s["payload"] for s in ok(client.get(f"{url}/samples"))["items"]] == [payload]
    assert ok(client.post(f"{url}/validate", json={"event": payload}))["valid"] is True
    pattern = {"detail": {"orderId": [f"o{NUL}1"]}}
    consumer = {
        "name": "billing",
        "bus": "orders-events",
        "pattern": pattern,
        "fields": [f"/k{NUL}"],
    }
    made = ok(client.post("/api/v1/consumers", json=consumer, headers=orders), 201)
    assert (made["pattern"], made["fields"]) == (pattern, [f"/k{NUL}"])
    assert client.get("/api/v1/audit").status_code == 200
    assert client.get("/events/orders/NulCarried").status_code == 200


def test_a_chunked_body_over_the_limit_is_413_before_it_is_parsed(database_url):
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "max_body_bytes": 1000,
        }
    )
    client = app.test_client()
    streamed = {"Content-Type": "application/json", "Transfer-Encoding": "chunked", **ADMIN}
    terminated = {"wsgi.input_terminated": True}  # what gunicorn and Werkzeug's server set
    with unchanged(app):
        big = b'{"slug": "big", "name": "' + b"x" * 5000 + b'"}'
        response = client.post(
            "/api/v1/teams", input_stream=io.BytesIO(big), headers=streamed, environ_base=terminated
        )
        assert response.status_code == 413
        assert "1,000 bytes (EVENTRY_MAX_BODY_BYTES)" in response.get_json()["detail"]
        sized = client.post(
            "/api/v1/teams", json={"slug": "big", "name": "x" * 5000}, headers=ADMIN
        )
        assert sized.status_code == 413
        assert "EVENTRY_MAX_BODY_BYTES" in sized.get_json()["detail"]
    head, tail = b'{"slug": "small", "name": "S", "description": "', b'"}'
    exact = head + b"x" * (1000 - len(head) - len(tail)) + tail  # exactly at the limit
    assert len(exact) == 1000
    response = client.post(
        "/api/v1/teams", input_stream=io.BytesIO(exact), headers=streamed, environ_base=terminated
    )
    assert response.status_code == 201, response.get_json()
    app.extensions["eventry"].engine.dispose()


def test_a_real_server_answers_413_to_a_chunked_body_over_the_limit(database_url):
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "max_body_bytes": 1000,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        chunks = [b'{"slug": "big", "name": "', b"x" * 4000, b'"}']
        connection.request(
            "POST",
            "/api/v1/teams",
            body=iter(chunks),
            headers={"Content-Type": "application/json", **ADMIN},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 413
        assert b"EVENTRY_MAX_BODY_BYTES" in response.read()
    finally:
        server.shutdown()
        app.extensions["eventry"].engine.dispose()


def test_an_answer_that_fails_after_the_commit_says_what_was_saved(app, client, teams, monkeypatch):
    from app.api import domains

    def broken(_domain):
        raise RuntimeError("the answer could not be built")

    monkeypatch.setattr(domains, "domain_json", broken)
    response = client.post(
        "/api/v1/domains", json={"slug": "saved", "name": "S", "owner": "checkout"}, headers=ADMIN
    )
    assert response.status_code == 500
    body = response.get_json()
    assert body["saved"] == ["domain:saved"]
    assert "domain:saved" in body["detail"] and "read it back" in body["detail"]
    monkeypatch.undo()
    assert client.get("/api/v1/domains/saved").status_code == 200
    # A refusal before any commit says nothing was saved.
    again = client.post(
        "/api/v1/domains", json={"slug": "saved", "name": "S", "owner": "checkout"}, headers=ADMIN
    )
    assert again.status_code == 409
    assert "saved" not in again.get_json()
