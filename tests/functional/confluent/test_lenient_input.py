"""What /ccompat accepts on purpose, and its OpenAPI document says so (schemathesis fuzzes the
document, tests/fuzz): query booleans read as Confluent's Jersey reads them (``true`` in any case,
anything else false, never refused); ``null`` members of ``PUT /config`` as absent; an unknown
member ignored, ``compatibilityLevel`` included when ``compatibility`` is given; and a control
character anywhere in the URL refused with 400, which every operation documents."""

import pytest

from tests.functional.confluent.conftest import ADMIN, V1_SCHEMA, fails, ok, registered

FLAGS = ["deleted", "deletedOnly", "deleted_only", "latestOnly", "permanent", "verbose"]


@pytest.fixture
def document(client) -> dict:
    return client.get("/ccompat/openapi.json").get_json(force=True)


def test_every_operation_documents_400(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "400" in operation["responses"], (method, path)


@pytest.mark.parametrize(
    "url",
    [
        "/ccompat/subjects/a%0Fb/versions",
        "/ccompat/config/a%0Fb",
        "/ccompat/schemas?subjectPrefix=a%0F",
        "/ccompat/schemas/ids/1?subject=%0F",
    ],
)
def test_a_control_character_in_the_url_is_400(client, url):
    assert "control character" in fails(client.get(url), 400, 400)


def test_query_booleans_are_documented_as_the_strings_they_are_read_from(document):
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation["parameters"]:
                if parameter["name"] in FLAGS:
                    assert parameter["schema"]["type"] == "string", parameter


@pytest.mark.parametrize("value", ["null", "1", "yes", "", "tru"])
def test_a_query_boolean_other_than_true_is_false(client, value):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    assert ok(client.get(f"/ccompat/subjects?deleted={value}")) == []
    assert ok(client.get(f"/ccompat/subjects?deleted={value}&deleted=TRUE")) == []  # the first
    assert ok(client.get("/ccompat/subjects?deleted=TRUE")) == ["orders-value"]


def test_null_config_members_count_as_absent(client):
    body = {"compatibility": "FULL", "compatibilityGroup": None}
    assert ok(client.put("/ccompat/config", json=body, headers=ADMIN)) == {"compatibility": "FULL"}
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "FULL"}
    nothing = {"compatibility": None, "compatibilityGroup": None}
    fails(client.put("/ccompat/config", json=nothing, headers=ADMIN), 422, 42203)


def test_compatibility_level_is_ignored_beside_compatibility_and_read_alone(client):
    both = {"compatibility": "FORWARD", "compatibilityLevel": {}}
    assert ok(client.put("/ccompat/config", json=both, headers=ADMIN)) == {
        "compatibility": "FORWARD"
    }
    alone = {"compatibilityLevel": "full"}
    assert ok(client.put("/ccompat/config", json=alone, headers=ADMIN)) == {"compatibility": "FULL"}
    fails(client.put("/ccompat/config", json={"compatibilityLevel": {}}, headers=ADMIN), 422, 42203)
    ok(client.delete("/ccompat/config", headers=ADMIN))


@pytest.mark.parametrize(
    "url",
    [
        "/ccompat/compatibility/subjects/orders-value/versions",
        "/ccompat/compatibility/subjects/orders-value/versions/latest",
    ],
)
def test_a_compatibility_check_checks_the_registration_body_it_takes(client, url):
    registered(client, "orders-value", V1_SCHEMA)
    for member in ({"version": False}, {"id": "7"}, {"references": [{"name": {}}]}):
        message = fails(client.post(url, json={"schema": V1_SCHEMA, **member}), 422, 42201)
        assert next(iter(member)) in message
    # what a client sends for "let the registry choose", and unknown members, pass
    body = {"schema": V1_SCHEMA, "id": 0, "version": -1, "somethingNew": True}
    assert ok(client.post(url, json=body)) == {"is_compatible": True}


def test_an_empty_offset_or_limit_is_the_default(client):
    registered(client, "orders-value", V1_SCHEMA)
    everything = ok(client.get("/ccompat/schemas"))
    assert ok(client.get("/ccompat/schemas?offset=&limit=")) == everything
    fails(client.get("/ccompat/schemas?offset=x"), 400, 400)
