"""The dialect rule through the REST API (issue #10, item 3), on SQLite and PostgreSQL.

A schema without ``$schema`` is registered in the registry's default dialect (draft-07 unless
EVENTRY_DEFAULT_DIALECT says otherwise); the version keeps that dialect, registration answers a
warning for each keyword the dialect ignores, and validation and compatibility answers say which
dialect they used.
"""

from __future__ import annotations

import pytest

from app.core.schema import Dialect
from app.core.schema.dialects import configure_default
from tests.functional.api.conftest import ok

S07 = "http://json-schema.org/draft-07/schema#"
S20 = "https://json-schema.org/draft/2020-12/schema"
TUPLE = {
    "type": "array",
    "items": [{"type": "string"}, {"type": "integer"}],
    "additionalItems": False,
}
CLOSED = {"type": "object", "unevaluatedProperties": False}


@pytest.fixture(autouse=True)
def no_setting(monkeypatch):
    monkeypatch.delenv("EVENTRY_DEFAULT_DIALECT", raising=False)


@pytest.fixture
def new_event(client, orders):
    """A factory of event types in the orders domain, without versions: it returns the URL of
    the event type; ``orders`` is the owning team's token."""

    def create(name: str) -> str:
        body = {"domain": "orders", "name": name}
        ok(client.post("/api/v1/events", json=body, headers=orders), 201)
        return f"/api/v1/events/orders/{name}"

    return create


def register(client, orders, event: str, schema, status: int = 201) -> dict:
    return ok(client.post(f"{event}/versions", json={"schema": schema}, headers=orders), status)


def test_a_draft_07_tuple_without_schema_is_registered_as_draft_07(client, orders, new_event):
    event = new_event("PairSent")
    body = register(client, orders, event, TUPLE)
    assert (body["version"], body["dialect"], body["warnings"]) == (1, "draft-07", [])
    assert ok(client.get(f"{event}/versions/1"))["dialect"] == "draft-07"
    assert ok(client.get(f"{event}/versions/latest"))["dialect"] == "draft-07"
    # Validated as a tuple, and the answer says in which dialect.
    assert ok(client.post(f"{event}/validate", json={"event": ["a", 1]})) == {
        "version": 1,
        "dialect": "draft-07",
        "valid": True,
        "errors": [],
    }
    refused = ok(client.post(f"{event}/validate", json={"event": ["a", "b", 3]}))
    assert refused["dialect"] == "draft-07"
    assert [(e["path"], e["schema_path"]) for e in refused["errors"]] == [
        ("", "/additionalItems"),
        ("/1", "/items/1/type"),
    ]


def test_a_keyword_the_default_ignores_is_registered_with_a_warning(client, orders, new_event):
    event = new_event("ClosedSent")
    body = register(client, orders, event, CLOSED)
    assert body["dialect"] == "draft-07"
    assert body["warnings"]
    [warning] = body["warnings"]
    assert warning["pointer"] == "/unevaluatedProperties"
    assert "draft-07" in warning["message"]
    assert S20 in warning["message"]
    # Ignored by validation, as the warning said.
    answer = ok(client.post(f"{event}/validate", json={"events": [{"extra": 1}, {}]}))
    assert (answer["dialect"], answer["valid"], answer["invalid"]) == ("draft-07", 2, 0)
    # Registering the same content again (200) answers the same warning.
    again = register(client, orders, event, CLOSED, status=200)
    assert (again["version"], again["warnings"]) == (1, body["warnings"])


def test_the_same_schema_in_2020_12_applies_it_without_a_warning(client, orders, new_event):
    event = new_event("ClosedIn2020")
    body = register(client, orders, event, {"$schema": S20, **CLOSED})
    assert (body["dialect"], body["warnings"]) == ("2020-12", [])
    answer = ok(client.post(f"{event}/validate", json={"event": {"extra": 1}}))
    assert (answer["dialect"], answer["valid"]) == ("2020-12", False)
    assert answer["errors"][0]["schema_path"] == "/unevaluatedProperties"


def test_validation_names_the_dialect_of_the_version_asked_for(client, orders, new_event):
    event = new_event("Renamed")
    register(client, orders, event, {"type": "object"})
    ok(client.put(f"{event}/config", json={"compatibility": "NONE"}, headers=orders))
    register(client, orders, event, {"$schema": S20, "type": "object"})
    answers = {
        version: ok(client.post(f"{event}/validate", json={"event": {}, "version": version}))
        for version in (1, 2, "latest")
    }
    assert {version: a["dialect"] for version, a in answers.items()} == {
        1: "draft-07",
        2: "2020-12",
        "latest": "2020-12",
    }


def test_the_setting_changes_only_schemas_registered_later(client, orders, new_event, monkeypatch):
    event = new_event("Settled")
    register(client, orders, event, {"type": "object", "properties": {"a": {}}})
    configure_default(Dialect.DRAFT2020)  # as a restart with EVENTRY_DEFAULT_DIALECT=2020-12
    ok(client.put(f"{event}/config", json={"compatibility": "NONE"}, headers=orders))
    later = register(client, orders, event, {"type": "array", "prefixItems": [{"type": "string"}]})
    assert (later["dialect"], later["warnings"]) == ("2020-12", [])
    assert ok(client.post(f"{event}/validate", json={"event": [1]}))["valid"] is False
    assert ok(client.get(f"{event}/versions/1"))["dialect"] == "draft-07"
    assert ok(client.get(f"{event}/versions/2"))["dialect"] == "2020-12"


# --- the stateless compatibility check ------------------------------------------------------

OPEN = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}


def compare(client, old, new, level="BACKWARD") -> dict:
    body = {"old": old, "new": new, "level": level, "policy": "strict"}
    return ok(client.post("/api/v1/compatibility", json=body))


def test_the_stateless_check_names_both_dialects(client):
    answer = compare(client, OPEN, {"$schema": S20, **OPEN})
    assert (answer["old_dialect"], answer["dialect"]) == ("draft-07", "2020-12")
    assert answer["compatible"] is True
    assert answer["warnings"] == []


def test_the_stateless_check_ignores_what_the_dialect_ignores(client):
    new = {**OPEN, "dependentRequired": {"a": ["b"]}}
    in_draft7 = compare(client, OPEN, new)
    assert (in_draft7["old_dialect"], in_draft7["dialect"]) == ("draft-07", "draft-07")
    assert (in_draft7["compatible"], in_draft7["differences"]) == (True, [])
    assert [w["pointer"] for w in in_draft7["warnings"]] == ["/dependentRequired"]
    in_2020 = compare(client, {"$schema": S20, **OPEN}, {"$schema": S20, **new})
    assert in_2020["compatible"] is False
    assert [(d["type"], d["path"]) for d in in_2020["differences"]] == [
        ("DEPENDENCY_ARRAY_ADDED", "/dependentRequired/a")
    ]


# --- first versions with the resolver's harder rules register; NONE registers anything valid -

FIRST_VERSIONS = {
    "dynamicRef": {
        "$schema": S20,
        "$id": "https://example.com/strings",
        "$defs": {
            "list": {
                "$id": "list",
                "type": "array",
                "items": {"$dynamicRef": "#T"},
                "$defs": {"default": {"$dynamicAnchor": "T"}},
            },
            "string": {"$dynamicAnchor": "T", "type": "string"},
        },
        "$ref": "list",
    },
    "embedded $id": {
        "$id": "https://example.com/order.json",
        "definitions": {"addr": {"$id": "address.json", "required": ["city"]}},
        "properties": {"ship": {"$ref": "address.json"}},
    },
    "draft-07 meta-schema": {"properties": {"schema": {"$ref": S07}}},
}
GOOD_AND_BAD = {
    "dynamicRef": (["a"], ["a", 1], "/$defs/string/type"),
    "embedded $id": ({"ship": {"city": "Oslo"}}, {"ship": {}}, "/definitions/addr/required"),
    "draft-07 meta-schema": (
        {"schema": {"type": "string"}},
        {"schema": {"type": "text"}},
        f"{S07}/properties/type/anyOf",
    ),
}


@pytest.mark.parametrize("kind", list(FIRST_VERSIONS))
def test_a_first_version_with_a_hard_reference_registers(client, orders, new_event, kind):
    event = new_event("Hard" + "".join(c for c in kind.title() if c.isalnum()))
    response = client.post(
        f"{event}/versions", json={"schema": FIRST_VERSIONS[kind]}, headers=orders
    )
    assert response.status_code == 201, response.get_json()
    assert "cannot be compared" not in response.get_data(as_text=True)
    assert "CONSTRUCT_NOT_COMPARED" not in response.get_data(as_text=True)
    good, bad, schema_path = GOOD_AND_BAD[kind]
    assert ok(client.post(f"{event}/validate", json={"event": good}))["valid"] is True
    answer = ok(client.post(f"{event}/validate", json={"event": bad}))
    assert answer["valid"] is False
    assert schema_path in [error["schema_path"] for error in answer["errors"]]


@pytest.mark.parametrize("kind", list(FIRST_VERSIONS))
def test_a_second_version_under_none_registers_whatever_it_is(client, orders, new_event, kind):
    event = new_event("Free" + "".join(c for c in kind.title() if c.isalnum()))
    register(client, orders, event, {"type": "object", "required": ["id"]})
    ok(client.put(f"{event}/config", json={"compatibility": "NONE"}, headers=orders))
    second = register(client, orders, event, FIRST_VERSIONS[kind])
    assert second["version"] == 2
    third = register(client, orders, event, {"type": "string", "maxLength": 3})
    assert (third["version"], third["dialect"]) == (3, "draft-07")
    # … but an invalid schema is still refused.
    response = client.post(f"{event}/versions", json={"schema": {"type": "text"}}, headers=orders)
    assert response.status_code == 422
    assert [error["pointer"] for error in response.get_json()["errors"]] == ["/type"]


def test_an_unsupported_schema_uri_is_422_at_its_pointer(client, orders, new_event):
    event = new_event("Draft3")
    schema = {"$schema": "http://json-schema.org/draft-03/schema#", "type": "object"}
    response = client.post(f"{event}/versions", json={"schema": schema}, headers=orders)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["pointer"] == "/$schema"
    assert "draft-03" in error["message"]


def test_a_remote_reference_is_422_at_the_ref_keyword(client, orders, new_event):
    event = new_event("Remote")
    schema = {"properties": {"money": {"$ref": "https://example.com/money.json"}}}
    response = client.post(f"{event}/versions", json={"schema": schema}, headers=orders)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["pointer"] == "/properties/money/$ref"
    assert "https://example.com/money.json" in error["message"]


def test_content_stored_earlier_keeps_its_dialect_when_the_default_changes(
    client, orders, new_event
):
    first, second = new_event("StoredFirst"), new_event("StoredSecond")
    before = register(client, orders, first, CLOSED)
    assert before["dialect"] == "draft-07" and before["warnings"]
    configure_default(Dialect.DRAFT2020)
    after = register(client, orders, second, CLOSED)
    # One content, one schema id, one meaning: the answer, the warnings and validation agree.
    assert (after["schema_id"], after["dialect"]) == (before["schema_id"], "draft-07")
    assert after["warnings"] == before["warnings"]
    assert ok(client.post(f"{second}/validate", json={"event": {"x": 1}}))["valid"] is True


def test_the_app_settings_decide_the_default(database_url):
    from app import create_app
    from app.core.schema import default_dialect

    made = create_app({"database_url": database_url, "demo": False, "default_dialect": "2019-09"})
    try:
        assert default_dialect() is Dialect.DRAFT2019
    finally:
        made.extensions["eventry"].engine.dispose()
