"""Validating events, storing samples, and asking about compatibility over REST."""

from tests.functional.api.conftest import ADMIN, ok

EVENT = "/api/v1/events/orders/OrderPlaced"


def test_a_valid_event_validates(client, orders):
    body = ok(
        client.post(
            f"{EVENT}/validate",
            json={"event": {"orderId": "o-1", "placedAt": "2026-11-26T10:00:00Z"}},
        )
    )
    assert body == {"version": 1, "dialect": "draft-07", "valid": True, "errors": []}


def test_every_error_is_reported_with_pointers_into_event_and_schema(client, orders):
    body = ok(
        client.post(f"{EVENT}/validate", json={"event": {"placedAt": "last tuesday", "extra": 1}})
    )
    assert body["valid"] is False
    errors = {(e["path"], e["schema_path"]) for e in body["errors"]}
    assert errors == {
        ("", "/required"),
        ("", "/additionalProperties"),
        ("/placedAt", "/properties/placedAt/format"),
    }


def test_a_batch_reports_each_event(client, orders):
    events = [{"orderId": "a"}, {"orderId": 1}, {"orderId": "c"}]
    body = ok(client.post(f"{EVENT}/validate", json={"events": events, "version": 1}))
    assert (body["valid"], body["invalid"]) == (2, 1)
    assert [r["valid"] for r in body["results"]] == [True, False, True]
    assert body["results"][1]["errors"][0]["path"] == "/orderId"


def test_more_than_ten_thousand_events_are_refused(client, orders):
    response = client.post(f"{EVENT}/validate", json={"events": [{}] * 10_001})
    assert response.status_code == 422
    assert response.json["errors"][0]["pointer"] == "/events"


def test_validating_against_a_missing_version_is_404(client, orders):
    response = client.post(f"{EVENT}/validate", json={"event": {}, "version": 7})
    assert response.status_code == 404


def test_samples_are_stored_and_shown_with_their_result(client, orders):
    good = ok(
        client.post(
            f"{EVENT}/samples",
            json={"name": "simple", "payload": {"orderId": "o-1"}},
            headers=orders,
        ),
        201,
    )
    bad = ok(
        client.post(
            f"{EVENT}/samples", json={"name": "invalid-no-id", "payload": {}}, headers=orders
        ),
        201,
    )
    assert (good["valid"], good["as_expected"]) == (True, True)
    assert (bad["expect_valid"], bad["valid"], bad["as_expected"]) == (False, False, True)
    listed = ok(client.get(f"{EVENT}/samples"))["items"]
    assert [s["name"] for s in listed] == ["invalid-no-id", "simple"]
    duplicate = client.post(
        f"{EVENT}/samples", json={"name": "simple", "payload": {}}, headers=orders
    )
    assert duplicate.status_code == 409
    assert client.delete(f"{EVENT}/samples/{good['id']}", headers=orders).status_code == 204
    assert [s["name"] for s in ok(client.get(f"{EVENT}/samples"))["items"]] == ["invalid-no-id"]


def test_a_compatibility_test_registers_nothing(client, orders):
    candidate = {"type": "object", "properties": {"orderId": {"type": "integer"}}}
    body = ok(client.post(f"{EVENT}/compatibility", json={"schema": candidate}))
    assert body["compatible"] is False
    assert body["level"] == "BACKWARD" and body["policy"] == "strict"
    assert any(d["type"] == "TYPE_CHANGED" and not d["compatible"] for d in body["differences"])
    relaxed = ok(client.post(f"{EVENT}/compatibility", json={"schema": candidate, "level": "NONE"}))
    assert relaxed["compatible"] is True
    assert [v["version"] for v in ok(client.get(f"{EVENT}/versions"))["items"]] == [1]


def test_stateless_compatibility_explains_the_open_model_rule(client):
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    strict = ok(client.post("/api/v1/compatibility", json={"old": old, "new": new}))
    assert strict["compatible"] is False
    [difference] = strict["differences"]
    assert difference["type"] == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    assert difference["path"] == "/properties/b"
    assert "additionalProperties" in difference["message"]
    lenient = ok(
        client.post("/api/v1/compatibility", json={"old": old, "new": new, "policy": "lenient"})
    )
    assert lenient["compatible"] is True


def test_event_config_overrides_and_inherits(client, orders):
    assert ok(client.get(f"{EVENT}/config")) == {
        "compatibility": "BACKWARD",
        "policy": "strict",
        "overrides": {"compatibility": None, "policy": None},
    }
    ok(client.put(f"{EVENT}/config", json={"policy": "lenient"}, headers=orders))
    assert ok(client.get(f"{EVENT}/config"))["policy"] == "lenient"
    ok(client.put("/api/v1/config", json={"compatibility": "FULL"}, headers=ADMIN))
    assert ok(client.get(f"{EVENT}/config"))["compatibility"] == "FULL"
    ok(client.delete(f"{EVENT}/config", headers=orders))
    assert ok(client.get(f"{EVENT}/config"))["overrides"] == {"compatibility": None, "policy": None}
    assert ok(client.get("/api/v1/config")) == {
        "compatibility": "FULL",
        "policy": "strict",
        "mode": "READWRITE",
        "compatibility_group": None,
        "subject_settings": [],
    }
    response = client.put("/api/v1/config", json={"compatibility": "SIDEWAYS"}, headers=ADMIN)
    assert response.status_code == 422


def test_samples_paginate_by_name(client, orders):
    for name in ("c", "a", "b"):
        ok(
            client.post(
                f"{EVENT}/samples",
                json={"name": name, "payload": {"orderId": name}},
                headers=orders,
            ),
            201,
        )
    first = ok(client.get(f"{EVENT}/samples?limit=2"))
    assert [s["name"] for s in first["items"]] == ["a", "b"]
    assert [s["name"] for s in ok(client.get(first["next"]))["items"]] == ["c"]
