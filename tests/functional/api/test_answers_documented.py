"""Every read of the API, on the demo catalogue, answers what the OpenAPI document describes
(app/api/answers.py), on SQLite and PostgreSQL. The fuzzer checks the same with generated input,
where a successful answer is rarer; this one reaches every operation that reads with real data."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from app import create_app
from app.api.openapi import build_document
from app.config import Settings
from app.services.bootstrap import bootstrap
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ok

# Query parameters an operation needs to answer 200.
QUERIES = {
    "/api/v1/events/{domain}/{name}/diff": {"from": "1"},
    "/api/v1/search": {"q": "order"},
}


@pytest.fixture
def demo(database_url):
    """The app on the demo catalogue, with a token of the checkout team to list and revoke."""
    bootstrap(Settings(database_url=database_url, demo=True, admin_token=ADMIN_TOKEN))
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    app = create_app({**config, "webhooks_allow_private": True})  # a webhook to 127.0.0.1
    yield app
    app.extensions["eventry"].engine.dispose()


def test_every_read_answers_the_shape_the_document_describes(demo):
    client = demo.test_client()
    document = build_document(demo)
    values = _path_values(client)
    checked = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        url = path.format(**{name: values[name] for name in _names(path)})
        answer = client.get(url, query_string=QUERIES.get(path, {}), headers=ADMIN)
        assert answer.status_code == 200, (url, answer.get_json())
        content = operations["get"]["responses"]["200"]["content"][answer.mimetype]
        if content["schema"] == {"type": "string"}:  # source text (code bindings), not JSON
            assert answer.get_data(as_text=True), url
            continue
        schema = {**content["schema"], "components": document["components"]}
        body = answer.get_json(force=True)
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
        assert errors == [], (url, errors[:3])
        checked.append(path)
    assert len(checked) > 25


def _path_values(client) -> dict[str, object]:
    event = ok(client.get("/api/v1/events", query_string={"limit": 200}))["items"]
    event = next(each for each in event if each["last_version"] >= 1)
    bus = ok(client.get("/api/v1/buses"))["items"][0]
    consumer = ok(client.get("/api/v1/consumers"))["items"][0]
    token = ok(client.post("/api/v1/teams/checkout/tokens", json={"name": "r"}, headers=ADMIN), 201)
    hook = {"url": "http://127.0.0.1:9/hook", "team": "checkout"}
    webhook = ok(client.post("/api/v1/webhooks", json=hook, headers=ADMIN), 201)
    ok(client.post(f"/api/v1/webhooks/{webhook['id']}/test", headers=ADMIN), 202)  # a log entry
    return {
        "domain": event["domain"],
        "name": event["name"],
        "number": "1",
        "bus": bus["slug"],
        "team": "checkout",
        "consumer_id": consumer["id"],
        "schema_id": ok(client.get(f"/api/v1/events/{event['domain']}/{event['name']}/versions/1"))[
            "schema_id"
        ],
        "token_id": token["id"],
        "webhook_id": webhook["id"],
        "language": "python",
        "field": "orderId",
    }


def _names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
