"""IMPORT mode: registrations carry explicit ids and versions (a migration keeping another
registry's ids), skip the compatibility check, and leave later ids above the imported ones.
Every test runs on SQLite and on PostgreSQL (where ids come from a sequence)."""

from tests.functional.confluent.conftest import (
    ADMIN,
    BREAKING,
    V1_SCHEMA,
    V2_SCHEMA,
    event,
    fails,
    ok,
    register,
    registered,
    schema,
)


def import_mode(client, force: bool = True) -> None:
    url = "/ccompat/mode?force=true" if force else "/ccompat/mode"
    assert ok(client.put(url, json={"mode": "IMPORT"}, headers=ADMIN)) == {"mode": "IMPORT"}


def read_write(client) -> None:
    ok(client.put("/ccompat/mode", json={"mode": "READWRITE"}, headers=ADMIN))


def test_import_honours_explicit_ids_and_versions_and_skips_compatibility(client):
    import_mode(client)
    first = registered(client, "orders-value", V1_SCHEMA, id=100, version=5)
    assert (first["id"], first["version"]) == (100, 5)
    breaking = registered(client, "orders-value", BREAKING, id=101, version=6)
    assert (breaking["id"], breaking["version"]) == (101, 6)

    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [5, 6]
    five = ok(client.get("/ccompat/subjects/orders-value/versions/5"))
    assert (five["id"], five["version"]) == (100, 5)
    assert ok(client.get("/ccompat/schemas/ids/100"))["id"] == 100
    assert ok(client.get("/ccompat/schemas/ids/101/versions")) == [
        {"subject": "orders-value", "version": 6}
    ]
    fails(client.get("/ccompat/subjects/orders-value/versions/1"), 404, 40402)


def test_after_import_the_next_registration_gets_a_fresh_id_above_the_imported(client):
    import_mode(client)
    registered(client, "orders-value", V1_SCHEMA, id=100, version=5)
    registered(client, "other-value", schema(None, key="string"), id=7, version=1)
    read_write(client)

    evolved = registered(client, "orders-value", V2_SCHEMA)
    assert evolved["id"] > 100
    assert evolved["version"] == 6
    fresh = registered(client, "fresh-value", schema(None, something="string"))
    assert fresh["id"] > evolved["id"]
    assert fresh["version"] == 1
    assert ok(client.get(f"/ccompat/schemas/ids/{evolved['id']}"))["id"] == evolved["id"]


def test_an_imported_id_may_be_reused_for_the_same_content_only(client):
    import_mode(client)
    untitled = schema(None, orderId="string")  # no title: one event type per subject
    registered(client, "orders-value", untitled, id=100, version=1)
    other = schema(None, parcelId="string")
    message = fails(register(client, "shipped-value", other, id=100, version=1), 422, 42205)
    assert "100" in message
    # the same content under another subject keeps its id
    again = registered(client, "copy-value", untitled, id=100, version=3)
    assert (again["id"], again["version"]) == (100, 3)
    # the same content cannot take a second id
    fails(register(client, "third-value", untitled, id=200, version=1), 422, 42205)
    fails(client.get("/ccompat/schemas/ids/200"), 404, 40403)


def test_an_imported_version_number_holding_other_content_is_42205(client):
    import_mode(client)
    registered(client, "orders-value", V1_SCHEMA, id=10, version=2)
    fails(register(client, "orders-value", V2_SCHEMA, id=11, version=2), 422, 42205)
    # the same content at the same number is idempotent
    assert registered(client, "orders-value", V1_SCHEMA, id=10, version=2)["version"] == 2
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [2]


def test_an_id_alone_takes_the_next_version_number(client):
    import_mode(client)
    registered(client, "orders-value", V1_SCHEMA, id=40, version=3)
    nxt = registered(client, "orders-value", V2_SCHEMA, id=41)
    assert (nxt["id"], nxt["version"]) == (41, 4)


def test_a_subject_in_import_mode_takes_explicit_ids_while_others_do_not(client, teams):
    from tests.functional.confluent.conftest import domain

    domain(client, "orders", "checkout")
    event(client, "orders", "OrderPlaced")
    url = "/ccompat/mode/orders.OrderPlaced"
    assert ok(client.put(url, json={"mode": "IMPORT"}, headers=ADMIN)) == {"mode": "IMPORT"}
    made = registered(client, "orders.OrderPlaced", V1_SCHEMA, id=300, version=9)
    assert (made["id"], made["version"]) == (300, 9)
    fails(register(client, "elsewhere-value", V1_SCHEMA, id=301, version=1), 422, 42205)
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}

    ok(client.delete(url, headers=ADMIN))
    later = registered(client, "orders.OrderPlaced", V2_SCHEMA)
    assert later["id"] > 300
    assert later["version"] == 10


def test_import_on_a_subject_with_versions_needs_force(client):
    registered(client, "orders-value", V1_SCHEMA)
    url = "/ccompat/mode/orders-value"
    fails(client.put(url, json={"mode": "IMPORT"}, headers=ADMIN), 422, 42205)
    fails(client.get(url), 404, 40409)
    assert ok(client.put(f"{url}?force=true", json={"mode": "IMPORT"}, headers=ADMIN)) == {
        "mode": "IMPORT"
    }
    made = registered(client, "orders-value", BREAKING, id=77, version=4)
    assert (made["id"], made["version"]) == (77, 4)


def test_import_on_the_registry_with_subjects_needs_force(client):
    registered(client, "orders-value", V1_SCHEMA)
    response = client.put("/ccompat/mode", json={"mode": "IMPORT"}, headers=ADMIN)
    fails(response, 422, 42205)
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}
    import_mode(client, force=True)
    assert ok(client.get("/ccompat/mode")) == {"mode": "IMPORT"}


def test_import_on_an_empty_registry_needs_no_force(client):
    import_mode(client, force=False)
    assert registered(client, "orders-value", V1_SCHEMA, id=5, version=1)["id"] == 5


def test_a_soft_deleted_registry_still_counts_as_not_empty(client):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value", headers=ADMIN))
    response = client.put("/ccompat/mode", json={"mode": "IMPORT"}, headers=ADMIN)
    fails(response, 422, 42205)
