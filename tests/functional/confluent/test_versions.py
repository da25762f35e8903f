"""A subject's versions: registering (idempotent, shared ids, incompatible, explicit ids),
reading by number, latest and -1, deleting softly and permanently, referencedby, and the
newest version with given metadata."""

import json

from tests.functional.confluent.conftest import (
    ADMIN,
    BREAKING,
    V1_SCHEMA,
    V2_SCHEMA,
    fails,
    ok,
    register,
    registered,
    schema,
)


def test_a_registration_answers_id_version_guid_and_type(client):
    body = registered(client, "orders-value", V1_SCHEMA)
    assert set(body) >= {"id", "version", "guid", "schemaType"}
    assert body["version"] == 1
    assert isinstance(body["id"], int) and body["id"] >= 1
    assert body["schemaType"] == "JSON"
    assert len(body["guid"]) == 36


def test_registering_the_same_schema_again_returns_the_same_id_and_no_new_version(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    again = registered(client, "orders-value", V1_SCHEMA)
    assert again == first
    spaced = json.dumps(json.loads(V1_SCHEMA), indent=2)
    assert registered(client, "orders-value", spaced) == first
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]


def test_the_same_content_under_two_subjects_shares_its_id(client):
    text = schema(None, id="string")  # no title: each subject gets its own event type
    one = registered(client, "alpha-value", text)
    two = registered(client, "beta-value", text)
    assert (one["id"], one["guid"]) == (two["id"], two["guid"])
    assert (one["version"], two["version"]) == (1, 1)
    subjects = ok(client.get(f"/ccompat/schemas/ids/{one['id']}/subjects"))
    assert subjects == ["alpha-value", "beta-value"]


def test_a_compatible_schema_becomes_the_next_version_with_a_new_id(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    second = registered(client, "orders-value", V2_SCHEMA)
    assert second["version"] == 2
    assert second["id"] != first["id"]
    assert second["guid"] != first["guid"]
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1, 2]


def test_an_incompatible_schema_is_409_and_registers_nothing(client):
    registered(client, "orders-value", V1_SCHEMA)
    message = fails(register(client, "orders-value", BREAKING), 409, 409)
    assert "BACKWARD" in message
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]
    response = client.post("/ccompat/subjects/orders-value", json={"schema": BREAKING})
    fails(response, 404, 40403)


def test_explicit_id_or_version_outside_import_mode_is_42205(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(register(client, "orders-value", V2_SCHEMA, id=500), 422, 42205)
    fails(register(client, "orders-value", V2_SCHEMA, version=7), 422, 42205)
    fails(register(client, "fresh-value", V1_SCHEMA, id=500, version=1), 422, 42205)
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]
    fails(client.get("/ccompat/schemas/ids/500"), 404, 40403)


def test_id_and_version_zero_or_minus_one_let_the_registry_choose(client):
    first = registered(client, "orders-value", V1_SCHEMA, id=0, version=-1)
    assert first["version"] == 1
    second = registered(client, "orders-value", V2_SCHEMA, id=-1, version=0)
    assert second["version"] == 2


def test_a_registration_needs_a_token(client):
    fails(register(client, "orders-value", V1_SCHEMA, headers={}), 401, 40101)
    fails(client.get("/ccompat/subjects/orders-value/versions"), 404, 40401)


# --- reading versions ---


def test_versions_are_read_by_number_latest_and_minus_one(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    second = registered(client, "orders-value", V2_SCHEMA)
    one = ok(client.get("/ccompat/subjects/orders-value/versions/1"))
    assert one == {
        "subject": "orders-value",
        "version": 1,
        "id": first["id"],
        "guid": first["guid"],
        "schemaType": "JSON",
        "schema": one["schema"],
        "references": [],
        "deleted": False,
    }
    assert json.loads(one["schema"]) == json.loads(V1_SCHEMA)
    for alias in ("latest", "-1", "2"):
        found = ok(client.get(f"/ccompat/subjects/orders-value/versions/{alias}"))
        assert (found["version"], found["id"]) == (2, second["id"])


def test_the_schema_alone_is_the_raw_text(client):
    registered(client, "orders-value", V1_SCHEMA)
    for alias in ("1", "latest", "-1"):
        response = client.get(f"/ccompat/subjects/orders-value/versions/{alias}/schema")
        assert response.status_code == 200
        assert json.loads(response.get_data(as_text=True)) == json.loads(V1_SCHEMA)


def test_an_invalid_version_is_42202(client):
    registered(client, "orders-value", V1_SCHEMA)
    for bad in ("abc", "0", "-2", "1.5"):
        fails(client.get(f"/ccompat/subjects/orders-value/versions/{bad}"), 422, 42202)
        fails(client.get(f"/ccompat/subjects/orders-value/versions/{bad}/schema"), 422, 42202)
        response = client.delete(f"/ccompat/subjects/orders-value/versions/{bad}", headers=ADMIN)
        fails(response, 422, 42202)


def test_a_missing_version_is_40402_and_a_missing_subject_40401(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(client.get("/ccompat/subjects/orders-value/versions/99"), 404, 40402)
    fails(client.get("/ccompat/subjects/orders-value/versions/99/schema"), 404, 40402)
    fails(client.get("/ccompat/subjects/nobody-value/versions"), 404, 40401)
    fails(client.get("/ccompat/subjects/nobody-value/versions/1"), 404, 40401)
    fails(client.get("/ccompat/subjects/nobody-value/versions/latest/schema"), 404, 40401)


# --- deleting versions ---


def test_a_soft_deleted_version_is_hidden_unless_asked_for(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    assert ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN)) == 1

    fails(client.get("/ccompat/subjects/orders-value/versions/1"), 404, 40402)
    kept = ok(client.get("/ccompat/subjects/orders-value/versions/1?deleted=true"))
    assert (kept["version"], kept["deleted"]) == (1, True)
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [2]
    assert ok(client.get("/ccompat/subjects/orders-value/versions?deleted=TRUE")) == [1, 2]
    assert ok(client.get("/ccompat/subjects/orders-value/versions?deletedOnly=true")) == [1]
    assert ok(client.get("/ccompat/subjects/orders-value/versions?deleted_only=true")) == [1]


def test_deleting_latest_deletes_the_newest_live_version(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    assert ok(client.delete("/ccompat/subjects/orders-value/versions/latest", headers=ADMIN)) == 2
    assert ok(client.get("/ccompat/subjects/orders-value/versions/latest"))["version"] == 1


def test_a_second_soft_delete_of_a_version_is_40406(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    response = client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN)
    fails(response, 404, 40406)


def test_a_permanent_delete_of_a_live_version_is_40407(client):
    registered(client, "orders-value", V1_SCHEMA)
    url = "/ccompat/subjects/orders-value/versions/1?permanent=true"
    fails(client.delete(url, headers=ADMIN), 404, 40407)
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]


def test_a_permanent_delete_after_a_soft_one_removes_the_version(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    url = "/ccompat/subjects/orders-value/versions/1?permanent=true"
    assert ok(client.delete(url, headers=ADMIN)) == 1
    fails(client.get("/ccompat/subjects/orders-value/versions/1?deleted=true"), 404, 40402)
    assert ok(client.get("/ccompat/subjects/orders-value/versions?deleted=true")) == [2]


def test_a_permanent_version_delete_needs_an_admin(client, catalogue):
    checkout = catalogue["checkout"]
    registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=checkout)
    registered(client, "orders.OrderPlaced", V2_SCHEMA, headers=checkout)
    url = "/ccompat/subjects/orders.OrderPlaced/versions/1"
    assert ok(client.delete(url, headers=checkout)) == 1
    fails(client.delete(f"{url}?permanent=true", headers=checkout), 403, 40301)
    other = "/ccompat/subjects/orders.OrderPlaced/versions/2"
    fails(client.delete(other, headers=catalogue["solo"]), 403, 40301)
    assert ok(client.get("/ccompat/subjects/orders.OrderPlaced/versions")) == [2]
    assert ok(client.delete(f"{url}?permanent=true", headers=ADMIN)) == 1


def test_deleting_a_missing_version_is_40402(client):
    registered(client, "orders-value", V1_SCHEMA)
    url = "/ccompat/subjects/orders-value/versions/5"
    fails(client.delete(url, headers=ADMIN), 404, 40402)
    fails(client.delete(f"{url}?permanent=true", headers=ADMIN), 404, 40402)
    fails(client.delete("/ccompat/subjects/nobody-value/versions/1", headers=ADMIN), 404, 40401)


def test_deleting_a_version_needs_a_token(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(client.delete("/ccompat/subjects/orders-value/versions/1"), 401, 40101)
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]


# --- referencedby and metadata ---


def test_an_unreferenced_version_is_referenced_by_nothing(client):
    registered(client, "orders-value", V1_SCHEMA)
    assert ok(client.get("/ccompat/subjects/orders-value/versions/1/referencedby")) == []
    assert ok(client.get("/ccompat/subjects/orders-value/versions/latest/referencedby")) == []
    fails(client.get("/ccompat/subjects/orders-value/versions/9/referencedby"), 404, 40402)
    fails(client.get("/ccompat/subjects/orders-value/versions/x/referencedby"), 422, 42202)
    fails(client.get("/ccompat/subjects/nobody-value/versions/1/referencedby"), 404, 40401)


def test_the_newest_version_with_given_metadata_properties_is_found(client):
    def with_owner(text, owner, tier):
        properties = {"owner": owner, "tier": tier}
        return registered(client, "orders-value", text, metadata={"properties": properties})

    with_owner(V1_SCHEMA, "checkout", "gold")
    with_owner(V2_SCHEMA, "checkout", "silver")
    url = "/ccompat/subjects/orders-value/metadata"
    assert ok(client.get(f"{url}?key=owner&value=checkout"))["version"] == 2
    gold = ok(client.get(f"{url}?key=owner&value=checkout&key=tier&value=gold"))
    assert gold["version"] == 1
    assert gold["metadata"] == {"properties": {"owner": "checkout", "tier": "gold"}}
    assert ok(client.get(url))["version"] == 2
    fails(client.get(f"{url}?key=owner&value=billing"), 404, 40402)
    fails(client.get("/ccompat/subjects/nobody-value/metadata?key=a&value=b"), 404, 40401)


def test_metadata_lookup_sees_soft_deleted_versions_only_with_deleted(client):
    registered(client, "orders-value", V1_SCHEMA, metadata={"properties": {"tier": "gold"}})
    registered(client, "orders-value", V2_SCHEMA, metadata={"properties": {"tier": "silver"}})
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    url = "/ccompat/subjects/orders-value/metadata?key=tier&value=gold"
    fails(client.get(url), 404, 40402)
    assert ok(client.get(f"{url}&deleted=true"))["version"] == 1
