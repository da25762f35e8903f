"""Bounded work for every input, over HTTP: each hostile request answers a clear 4xx naming
the limit and its setting, quickly, and changes nothing (docs/api.md, "Limits")."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from app import create_app
from app.core.limits import Limits
from app.db.models import AuditEntry, Sample, SchemaVersion
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ok

EVENT = "/api/v1/events/orders/OrderPlaced"
# Seconds of this process's CPU (the app runs in it) for one request: generous bounds, never
# benchmarks, and blind to other processes sharing the machine. The default work budget is a
# few seconds of one core per request (docs/api.md), on a slow machine several.
FAST = 10.0
REDOS = "^(a+)+$"
HOSTILE = "a" * 34 + "!"


def nested(depth: int, leaf: object = 1) -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def deep_schema(depth: int) -> dict:
    schema: dict = {"type": "object"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


@contextmanager
def unchanged(app) -> Iterator[None]:
    """Assert that the block leaves the audit log, the versions and the samples as they were."""
    before = _state(app)
    yield
    assert _state(app) == before


def _state(app) -> tuple[int, ...]:
    with app.extensions["eventry"].sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (AuditEntry, SchemaVersion, Sample)
        )


@contextmanager
def quick() -> Iterator[None]:
    started = time.process_time()
    yield
    assert time.process_time() - started < FAST


def refused(response, setting: str, status: int = 422) -> dict:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["limit"] == setting
    assert setting in body["detail"]
    return body


def post_json(client, url: str, text: str, headers=None):
    return client.post(url, data=text, content_type="application/json", headers=headers or {})


@pytest.fixture
def limited(database_url):
    """An app whose limits are small, to show each one is a setting."""
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "limits": Limits(max_events_per_batch=3, max_errors_per_event=5, max_enum_values=4),
        }
    )
    yield app
    app.extensions["eventry"].engine.dispose()


def test_an_event_nested_a_thousand_deep_is_refused_before_it_is_parsed(app, client, orders):
    with unchanged(app), quick():
        response = post_json(
            client, f"{EVENT}/validate", '{"event": ' + "[" * 1000 + "]" * 1000 + "}"
        )
    refused(response, "EVENTRY_MAX_EVENT_DEPTH")


def test_an_event_just_past_the_depth_limit_is_named_by_its_pointer(app, client, orders):
    with unchanged(app):
        response = client.post(f"{EVENT}/validate", json={"events": [{}, nested(65)]})
    body = refused(response, "EVENTRY_MAX_EVENT_DEPTH")
    assert body["errors"][0]["pointer"] == "/events/1"


def test_a_sample_nested_too_deep_is_not_stored(app, client, orders):
    with unchanged(app):
        response = client.post(
            f"{EVENT}/samples", json={"name": "deep", "payload": nested(65)}, headers=orders
        )
    refused(response, "EVENTRY_MAX_EVENT_DEPTH")


@pytest.mark.parametrize("depth", [400, 130])
def test_a_schema_nested_too_deep_is_refused(app, client, orders, depth):
    # 400 levels are refused by the scan of the body, 130 by the schema's own size check.
    with unchanged(app), quick():
        response = client.post(
            f"{EVENT}/versions", json={"schema": deep_schema(depth)}, headers=orders
        )
    assert response.status_code == 422
    assert "EVENTRY_MAX_SCHEMA_DEPTH" in json.dumps(response.get_json())


def test_integers_of_more_digits_than_allowed_are_refused(app, client, orders):
    with unchanged(app), quick():
        event = post_json(client, f"{EVENT}/validate", '{"event": ' + "9" * 5000 + "}")
        schema = post_json(
            client,
            f"{EVENT}/versions",
            '{"schema": {"enum": [' + "1" * 1001 + "]}}",
            orders,
        )
    refused(event, "EVENTRY_MAX_INTEGER_DIGITS")
    refused(schema, "EVENTRY_MAX_INTEGER_DIGITS")


@pytest.mark.parametrize(
    ("schema", "setting"),
    [
        ({"enum": list(range(1001))}, "EVENTRY_MAX_ENUM_VALUES"),
        ({"properties": {f"p{i}": {} for i in range(1001)}}, "EVENTRY_MAX_OBJECT_PROPERTIES"),
        ({"anyOf": [{"allOf": [{}] * 999}] * 60}, "EVENTRY_MAX_SCHEMA_NODES"),
    ],
)
def test_a_schema_beyond_a_size_limit_is_refused_naming_the_setting(
    app, client, orders, schema, setting
):
    with unchanged(app), quick():
        response = client.post(f"{EVENT}/versions", json={"schema": schema}, headers=orders)
        compared = client.post("/api/v1/compatibility", json={"old": {}, "new": schema})
    for answer in (response, compared):
        assert answer.status_code == 422
        assert setting in json.dumps(answer.get_json())


def test_the_limits_are_settings(limited):
    client = limited.test_client()
    ok(client.post("/api/v1/teams", json={"slug": "t", "name": "T"}, headers=ADMIN), 201)
    ok(
        client.post(
            "/api/v1/domains", json={"slug": "d", "name": "D", "owner": "t"}, headers=ADMIN
        ),
        201,
    )
    ok(client.post("/api/v1/events", json={"domain": "d", "name": "Happened"}, headers=ADMIN), 201)
    schema = {"type": "array", "items": {"type": "string"}}
    url = "/api/v1/events/d/Happened"
    ok(client.post(f"{url}/versions", json={"schema": schema}, headers=ADMIN), 201)
    refused(
        client.post(f"{url}/validate", json={"events": [1, 2, 3, 4]}),
        "EVENTRY_MAX_EVENTS_PER_BATCH",
    )
    result = ok(client.post(f"{url}/validate", json={"event": list(range(20))}))
    assert (len(result["errors"]), result["errors_cut"]) == (5, 15)
    enum = client.post(f"{url}/versions", json={"schema": {"enum": [1, 2, 3, 4, 5]}}, headers=ADMIN)
    assert "EVENTRY_MAX_ENUM_VALUES" in json.dumps(enum.get_json())


def test_a_valid_event_says_nothing_was_cut(client, orders):
    assert "errors_cut" not in ok(
        client.post(f"{EVENT}/validate", json={"event": {"orderId": "o"}})
    )


def test_a_small_request_against_a_100000_value_enum_gets_a_small_answer(database_url):
    # Stored under raised limits (as a registry that raised them would), then validated: the
    # 702-byte request that answered 98.9 MB answers a few kilobytes.
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "max_body_bytes": 4_000_000,
            "limits": Limits(max_enum_values=100_000, max_schema_nodes=200_000),
        }
    )
    client = app.test_client()
    ok(client.post("/api/v1/teams", json={"slug": "t", "name": "T"}, headers=ADMIN), 201)
    ok(
        client.post(
            "/api/v1/domains", json={"slug": "d", "name": "D", "owner": "t"}, headers=ADMIN
        ),
        201,
    )
    ok(client.post("/api/v1/events", json={"domain": "d", "name": "Coded"}, headers=ADMIN), 201)
    schema = {"type": "array", "items": {"enum": [f"code-{i:06d}" for i in range(100_000)]}}
    ok(client.post("/api/v1/events/d/Coded/versions", json={"schema": schema}, headers=ADMIN), 201)
    request = json.dumps({"event": ["x"] * 130})
    with quick():
        response = post_json(client, "/api/v1/events/d/Coded/validate", request)
    app.extensions["eventry"].engine.dispose()
    assert len(request) < 1000
    assert response.status_code == 200
    assert len(response.data) < 100_000
    result = response.get_json()
    assert (len(result["errors"]), result["errors_cut"]) == (100, 30)
    assert "99992 more" in result["errors"][0]["message"]


@pytest.fixture
def redos(client, orders):
    schema = {
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": REDOS}},
        "patternProperties": {REDOS: {"type": "integer"}},
        "propertyNames": {"pattern": REDOS},
    }
    url = "/api/v1/events/orders/PatternMatched"
    ok(
        client.post(
            "/api/v1/events", json={"domain": "orders", "name": "PatternMatched"}, headers=orders
        ),
        201,
    )
    ok(client.post(f"{url}/versions", json={"schema": schema}, headers=orders), 201)
    return url


def test_a_catastrophic_pattern_is_bounded_in_validation(app, client, redos):
    with unchanged(app), quick():
        body = ok(
            client.post(f"{redos}/validate", json={"events": [{"code": HOSTILE}, {HOSTILE: 1}]})
        )
    assert body["invalid"] == 2


def test_a_catastrophic_pattern_is_bounded_in_the_checks(client, redos, orders):
    candidate = {
        "type": "object",
        "properties": {HOSTILE: {"pattern": REDOS}},
        "patternProperties": {REDOS: {}},
    }
    # The bound is per request: each has its own work budget.
    with quick():
        stateless = client.post(
            "/api/v1/compatibility",
            json={"old": {"patternProperties": {REDOS: {}}}, "new": candidate},
        )
    with quick():
        against = client.post(f"{redos}/compatibility", json={"schema": candidate})
    with quick():
        analysis = client.post(
            "/api/v1/analysis", json={"schema": candidate, "samples": [{HOSTILE: HOSTILE}]}
        )
    assert (stateless.status_code, against.status_code, analysis.status_code) == (200, 200, 200)


def fan_out(levels: int = 10, width: int = 8) -> dict:
    definitions = {}
    for level in range(levels):
        below = {"$ref": f"#/definitions/d{level + 1}"} if level + 1 < levels else {}
        definitions[f"d{level}"] = {
            "type": "object",
            "properties": {f"p{i}": below for i in range(width)},
        }
    return {"$ref": "#/definitions/d0", "definitions": definitions}


def test_references_that_fan_out_are_refused_within_the_work_budget(app, client, orders):
    # Each request has its own budget, so each is bounded on its own.
    with unchanged(app):
        with quick():
            registered = client.post(
                f"{EVENT}/versions", json={"schema": fan_out()}, headers=orders
            )
        with quick():
            compared = client.post(
                "/api/v1/compatibility", json={"old": fan_out(9), "new": fan_out(9, 9)}
            )
    refused(registered, "EVENTRY_MAX_WORK_STEPS")
    refused(compared, "EVENTRY_MAX_WORK_STEPS")


def registered(client, token, name: str, schema: dict) -> str:
    """A new event type of orders with the schema as its version 1; returns its address."""
    event = {"domain": "orders", "name": name}
    ok(client.post("/api/v1/events", json=event, headers=token), 201)
    url = f"/api/v1/events/orders/{name}"
    ok(client.post(f"{url}/versions", json={"schema": schema}, headers=token), 201)
    return url


def test_validation_whose_branches_multiply_stops_within_the_work_budget(app, client, orders):
    branch = {"type": "array", "items": {"$ref": "#/definitions/n"}}
    schema = {
        "$ref": "#/definitions/n",
        "definitions": {"n": {"anyOf": [branch, {**branch, "maxItems": 9}]}},
    }
    url = registered(client, orders, "ListsNested", schema)
    with unchanged(app), quick():
        response = client.post(f"{url}/validate", json={"event": nested(40, "leaf")})
    refused(response, "EVENTRY_MAX_WORK_STEPS")


def test_unique_items_over_a_large_batch_is_linear(client, orders):
    url = registered(client, orders, "ItemsListed", {"type": "array", "uniqueItems": True})
    with quick():
        body = ok(client.post(f"{url}/validate", json={"event": [{"n": i} for i in range(30_000)]}))
    assert body["valid"] is True
