"""Subjects: listing (prefix, deleted, deletedOnly), looking a schema up under a subject, and
deleting a subject softly and permanently."""

import json

from tests.functional.confluent.conftest import (
    ADMIN,
    V1_SCHEMA,
    V2_SCHEMA,
    fails,
    ok,
    registered,
    schema,
)


def subjects(client, query: str = "") -> list[str]:
    return ok(client.get(f"/ccompat/subjects{query}"))


def test_an_empty_registry_lists_no_subjects(client):
    assert subjects(client) == []


def test_subjects_are_listed_sorted_and_filtered_by_prefix(client):
    for subject in ("payments-value", "orders-value", "orders-key"):
        registered(client, subject, schema(subject.title().replace("-", ""), id="string"))
    assert subjects(client) == ["orders-key", "orders-value", "payments-value"]
    assert subjects(client, "?subjectPrefix=orders") == ["orders-key", "orders-value"]
    assert subjects(client, "?subjectPrefix=pay") == ["payments-value"]
    assert subjects(client, "?subjectPrefix=nothing") == []
    assert subjects(client, "?subjectPrefix=:*:") == subjects(client)


def test_a_soft_deleted_subject_is_listed_only_when_asked(client):
    registered(client, "live-value", schema("LiveThing", id="string"))
    registered(client, "gone-value", schema("GoneThing", id="string"))
    assert ok(client.delete("/ccompat/subjects/gone-value", headers=ADMIN)) == [1]

    assert subjects(client) == ["live-value"]
    assert subjects(client, "?deleted=true") == ["gone-value", "live-value"]
    assert subjects(client, "?deleted=TRUE") == ["gone-value", "live-value"]
    assert subjects(client, "?deletedOnly=true") == ["gone-value"]
    assert subjects(client, "?deleted_only=true") == ["gone-value"]
    assert subjects(client, "?deletedOnly=True&subjectPrefix=live") == []
    assert subjects(client, "?deleted=false") == ["live-value"]


def test_a_subject_with_one_live_version_of_two_is_not_deleted_only(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    assert subjects(client) == ["orders-value"]
    assert subjects(client, "?deletedOnly=true") == []


# --- POST /subjects/{subject}: is this schema registered under the subject? ---


def test_a_lookup_finds_the_version_holding_the_schema(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    second = registered(client, "orders-value", V2_SCHEMA)
    found = ok(client.post("/ccompat/subjects/orders-value", json={"schema": V1_SCHEMA}))
    assert found["subject"] == "orders-value"
    assert (found["version"], found["id"], found["guid"]) == (1, first["id"], first["guid"])
    assert json.loads(found["schema"]) == json.loads(V1_SCHEMA)
    assert found["schemaType"] == "JSON"
    assert found["deleted"] is False
    again = ok(client.post("/ccompat/subjects/orders-value", json={"schema": V2_SCHEMA}))
    assert (again["version"], again["id"]) == (2, second["id"])


def test_a_lookup_ignores_key_order_and_whitespace(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    document = json.loads(V1_SCHEMA)
    reordered = dict(reversed(list(document.items())))
    spaced = json.dumps(reordered, indent=4, separators=(" ,  ", " :  "))
    assert spaced != V1_SCHEMA
    found = ok(client.post("/ccompat/subjects/orders-value", json={"schema": spaced}))
    assert (found["version"], found["id"]) == (1, first["id"])


def test_a_lookup_under_an_unknown_subject_is_40401(client):
    response = client.post("/ccompat/subjects/nobody-value", json={"schema": V1_SCHEMA})
    assert "nobody-value" in fails(response, 404, 40401)


def test_a_lookup_of_a_schema_the_subject_does_not_hold_is_40403(client):
    registered(client, "orders-value", V1_SCHEMA)
    response = client.post("/ccompat/subjects/orders-value", json={"schema": V2_SCHEMA})
    fails(response, 404, 40403)


def test_a_lookup_finds_a_soft_deleted_version_only_with_deleted_true(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))

    response = client.post("/ccompat/subjects/orders-value", json={"schema": V1_SCHEMA})
    fails(response, 404, 40403)
    found = ok(
        client.post("/ccompat/subjects/orders-value?deleted=true", json={"schema": V1_SCHEMA})
    )
    assert (found["version"], found["deleted"]) == (1, True)


def test_a_lookup_in_a_wholly_soft_deleted_subject_needs_deleted_true(client):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value", headers=ADMIN))
    response = client.post("/ccompat/subjects/orders-value", json={"schema": V1_SCHEMA})
    fails(response, 404, 40401)
    found = ok(
        client.post("/ccompat/subjects/orders-value?deleted=True", json={"schema": V1_SCHEMA})
    )
    assert found["deleted"] is True


def test_a_lookup_checks_the_schema_it_is_given(client):
    registered(client, "orders-value", V1_SCHEMA)
    response = client.post("/ccompat/subjects/orders-value", json={"schema": "{not json"})
    fails(response, 422, 42201)


# --- DELETE /subjects/{subject} ---


def test_a_soft_delete_answers_the_versions_and_hides_the_subject(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    assert ok(client.delete("/ccompat/subjects/orders-value", headers=ADMIN)) == [1, 2]

    fails(client.get("/ccompat/subjects/orders-value/versions"), 404, 40401)
    fails(client.get("/ccompat/subjects/orders-value/versions/latest"), 404, 40401)
    assert ok(client.get("/ccompat/subjects/orders-value/versions?deleted=true")) == [1, 2]
    kept = ok(client.get("/ccompat/subjects/orders-value/versions/1?deleted=true"))
    assert kept["deleted"] is True


def test_a_second_soft_delete_is_40404(client):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value", headers=ADMIN))
    fails(client.delete("/ccompat/subjects/orders-value", headers=ADMIN), 404, 40404)


def test_a_permanent_delete_without_a_soft_delete_first_is_40405(client):
    registered(client, "orders-value", V1_SCHEMA)
    response = client.delete("/ccompat/subjects/orders-value?permanent=true", headers=ADMIN)
    fails(response, 404, 40405)
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]


def test_a_permanent_delete_after_a_soft_one_removes_the_subject(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    ok(client.delete("/ccompat/subjects/orders-value", headers=ADMIN))
    gone = client.delete("/ccompat/subjects/orders-value?permanent=TRUE", headers=ADMIN)
    assert ok(gone) == [1, 2]

    fails(client.get("/ccompat/subjects/orders-value/versions?deleted=true"), 404, 40401)
    fails(client.get("/ccompat/subjects/orders-value/versions/1?deleted=true"), 404, 40401)
    response = client.post(
        "/ccompat/subjects/orders-value?deleted=true", json={"schema": V1_SCHEMA}
    )
    fails(response, 404, 40401)
    # a new registration starts the subject again; the purged content keeps its id
    assert registered(client, "orders-value", V1_SCHEMA)["id"] == first["id"]


def test_deleting_an_unknown_subject_is_40401(client):
    fails(client.delete("/ccompat/subjects/nobody-value", headers=ADMIN), 404, 40401)
    response = client.delete("/ccompat/subjects/nobody-value?permanent=true", headers=ADMIN)
    fails(response, 404, 40401)


def test_a_team_soft_deletes_its_own_subject_but_only_an_admin_purges_it(client, catalogue):
    checkout = catalogue["checkout"]
    registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=checkout)
    assert ok(client.delete("/ccompat/subjects/orders.OrderPlaced", headers=checkout)) == [1]

    response = client.delete(
        "/ccompat/subjects/orders.OrderPlaced?permanent=true", headers=checkout
    )
    fails(response, 403, 40301)
    assert ok(client.get("/ccompat/subjects/orders.OrderPlaced/versions?deleted=true")) == [1]
    response = client.delete("/ccompat/subjects/orders.OrderPlaced?permanent=true", headers=ADMIN)
    assert ok(response) == [1]


def test_a_team_may_not_delete_another_teams_subject(client, catalogue):
    registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=catalogue["checkout"])
    response = client.delete("/ccompat/subjects/orders.OrderPlaced", headers=catalogue["solo"])
    fails(response, 403, 40301)
    assert ok(client.get("/ccompat/subjects/orders.OrderPlaced/versions")) == [1]


def test_deleting_a_subject_needs_a_token(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(client.delete("/ccompat/subjects/orders-value"), 401, 40101)
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]
