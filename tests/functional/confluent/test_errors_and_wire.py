"""The wire format: media types in and out, lenient bodies, case-insensitive flags, schema
types and invalid schemas (42201), authentication (Bearer and Basic), Confluent-shaped errors
for unknown paths, contexts, the registry id, and metadata and rule sets kept exactly."""

import json
import sqlite3

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from tests.conftest import ADMIN_TOKEN
from tests.functional.confluent.conftest import (
    ADMIN,
    SR,
    V1,
    V1_SCHEMA,
    V2_SCHEMA,
    fails,
    ok,
    register,
    registered,
)

MEDIA_TYPES = [V1, SR, "application/json"]


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_each_media_type_is_taken_as_the_request_body(client, media_type):
    headers = {**ADMIN, "Content-Type": media_type}
    body = json.dumps({"schema": V1_SCHEMA})
    response = client.post("/ccompat/subjects/orders-value/versions", data=body, headers=headers)
    assert ok(response)["version"] == 1
    lookup = client.post("/ccompat/subjects/orders-value", data=body, headers=headers)
    assert ok(lookup)["version"] == 1


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_answers_come_in_the_media_type_accepted(client, media_type):
    registered(client, "orders-value", V1_SCHEMA)
    response = client.get("/ccompat/subjects/orders-value/versions", headers={"Accept": media_type})
    assert ok(response) == [1]
    assert response.mimetype == media_type
    error = client.get("/ccompat/subjects/nobody-value/versions", headers={"Accept": media_type})
    assert error.mimetype == media_type
    assert error.get_json(force=True)["error_code"] == 40401


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        f"{V1}, {SR}; q=0.9, application/json; q=0.5",  # what Confluent's clients send
        "text/html",
    ],
)
def test_the_v1_media_type_is_the_default_answer(client, accept):
    headers = {} if accept is None else {"Accept": accept}
    assert client.get("/ccompat/schemas/types", headers=headers).mimetype == V1
    error = client.get("/ccompat/schemas/ids/999", headers=headers)
    assert (error.status_code, error.mimetype) == (404, V1)


def test_unknown_request_fields_are_accepted(client):
    made = registered(
        client, "orders-value", V1_SCHEMA, normalize=True, propagateSchemaTags=False, x={"y": 1}
    )
    assert made["version"] == 1
    body = {"schema": V1_SCHEMA, "unknownField": [1, 2], "schemaType": "JSON"}
    assert ok(client.post("/ccompat/subjects/orders-value", json=body))["version"] == 1
    assert ok(
        client.put("/ccompat/config", json={"compatibility": "FULL", "z": 1}, headers=ADMIN)
    ) == {"compatibility": "FULL"}


def test_boolean_flags_are_case_insensitive(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    url = "/ccompat/subjects/orders-value/versions"
    for word in ("TRUE", "True", "true", "tRuE"):
        assert ok(client.get(f"{url}?deleted={word}")) == [1, 2]
        assert ok(client.get(f"{url}?deletedOnly={word}")) == [1]
    for word in ("yes", "1", "false", ""):
        assert ok(client.get(f"{url}?deleted={word}")) == [2]
    assert ok(client.delete(f"{url}/1?permanent=True", headers=ADMIN)) == 1
    assert ok(client.get(f"{url}?deleted=TRUE")) == [2]


@pytest.mark.parametrize("kind", ["AVRO", "PROTOBUF", "XML"])
def test_schema_types_other_than_json_are_42201(client, kind):
    avro = json.dumps({"type": "record", "name": "OrderPlaced", "fields": []})
    message = fails(register(client, "orders-value", avro, schemaType=kind), 422, 42201)
    assert "JSON" in message
    assert kind in message
    response = client.post(
        "/ccompat/subjects/orders-value", json={"schema": avro, "schemaType": kind}
    )
    fails(response, 422, 42201)
    fails(client.get("/ccompat/subjects/orders-value/versions"), 404, 40401)


def test_schema_type_json_is_accepted_explicitly(client):
    assert registered(client, "orders-value", V1_SCHEMA, schemaType="JSON")["version"] == 1


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"type": "nonsense"}),
        json.dumps({"type": "object", "properties": 5}),
        json.dumps({"type": "object", "required": "orderId"}),
    ],
)
def test_an_invalid_json_schema_is_42201(client, text):
    fails(register(client, "orders-value", text), 422, 42201)
    fails(client.get("/ccompat/subjects/orders-value/versions"), 404, 40401)


@pytest.mark.parametrize("text", ["{not json", "", "{'single': 'quotes'}", '{"a": 1} trailing'])
def test_a_schema_string_that_is_not_json_is_42201(client, text):
    fails(register(client, "orders-value", text), 422, 42201)


def test_a_body_without_a_schema_is_42201(client):
    response = client.post("/ccompat/subjects/orders-value/versions", json={}, headers=ADMIN)
    fails(response, 422, 42201)


def test_a_body_that_is_not_a_json_object_is_400(client):
    url = "/ccompat/subjects/orders-value/versions"
    headers = {**ADMIN, "Content-Type": V1}
    fails(client.post(url, data="nope", headers=headers), 400, 400)
    fails(client.post(url, data="[1, 2]", headers=headers), 400, 400)


@pytest.mark.parametrize(
    "extra",
    [
        {"metadata": "owner"},
        {"ruleSet": 5},
        {"references": "address"},
        {"references": [{"name": "a"}]},
    ],
)
def test_badly_shaped_metadata_rule_sets_and_references_are_42201(client, extra):
    fails(register(client, "orders-value", V1_SCHEMA, **extra), 422, 42201)


def test_an_overlong_subject_is_refused(client):
    fails(register(client, "s" * 256, V1_SCHEMA), 422, 422)


# --- paths Eventry does not serve, contexts, the registry id ---


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_an_unknown_path_is_a_confluent_shaped_404(client, method):
    response = getattr(client, method)("/ccompat/no/such/endpoint", headers=ADMIN)
    message = fails(response, 404, 40401)
    assert "/ccompat/no/such/endpoint" in message


@pytest.mark.parametrize("path", ["/associations", "/associations/subjects/x", "/associations/x/y"])
def test_associations_are_a_confluent_shaped_404(client, path):
    fails(client.get(f"/ccompat{path}"), 404, 40401)


def test_a_method_not_served_is_a_confluent_shaped_405(client):
    fails(client.patch("/ccompat/subjects", headers=ADMIN), 405, 405)
    # a known path with a method it does not serve is 405, not the catch-all's 404
    for method, path in (
        ("put", "/ccompat/subjects"),
        ("put", "/ccompat/subjects/orders-value"),
        ("delete", "/ccompat/schemas/types"),
        ("post", "/ccompat/config"),
        ("post", "/ccompat/schemas/ids/1"),
    ):
        response = getattr(client, method)(path, headers=ADMIN)
        fails(response, 405, 405)
        assert method.upper() not in response.headers["Allow"]
    fails(client.put("/ccompat/no/such/path", headers=ADMIN), 404, 40401)


def test_contexts_are_the_default_one_and_one_per_domain(client, catalogue):
    assert ok(client.get("/ccompat/contexts")) == [
        ".",
        ".billing",
        ".orders",
        ".shipping",
        ".warehouse",
    ]


def test_the_registry_id_is_confluents_shape(client):
    found = ok(client.get("/ccompat/v1/metadata/id"))
    assert found["scope"]["path"] == []
    assert set(found["scope"]["clusters"]) == {"kafka-cluster", "schema-registry-cluster"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_database_that_cannot_write_is_a_confluent_shaped_503(database_url):
    # The production budget (1 s), not the shared fixture's long one: this test waits it out.
    app = create_app({"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False})
    client = app.test_client()
    registered(client, "orders-value", V1_SCHEMA)
    holder = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer holds the lock
    try:
        response = register(client, "orders-value", V2_SCHEMA)
        fails(response, 503, 50002)
        assert int(response.headers["Retry-After"]) > 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert registered(client, "orders-value", V2_SCHEMA)["version"] == 2
    app.extensions["eventry"].engine.dispose()
