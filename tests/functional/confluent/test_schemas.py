"""Schemas by global id and GUID, the schema list, the types served, and compatibility checks
of a candidate against a subject's versions."""

import json

from tests.functional.confluent.conftest import (
    ADMIN,
    BREAKING,
    V1_SCHEMA,
    V2_SCHEMA,
    fails,
    ok,
    registered,
    schema,
)

SHARED = schema(None, id="string")  # no title: each subject gets an event type of its own


def arrange(client) -> dict[str, dict]:
    """orders-value at 1 and 2, payments-value and refunds-value sharing one schema, version 1
    of orders-value soft-deleted."""
    made = {
        "o1": registered(client, "orders-value", V1_SCHEMA),
        "o2": registered(client, "orders-value", V2_SCHEMA),
        "p1": registered(client, "payments-value", SHARED),
        "r1": registered(client, "refunds-value", SHARED),
    }
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    return made


def pairs(found: list[dict]) -> list[tuple[str, int]]:
    return [(each["subject"], each["version"]) for each in found]


def test_the_schema_list_holds_every_live_version_by_subject(client):
    made = arrange(client)
    found = ok(client.get("/ccompat/schemas"))
    assert pairs(found) == [("orders-value", 2), ("payments-value", 1), ("refunds-value", 1)]
    assert found[0]["id"] == made["o2"]["id"]
    assert found[0]["guid"] == made["o2"]["guid"]
    assert found[0]["schemaType"] == "JSON"
    assert json.loads(found[0]["schema"]) == json.loads(V2_SCHEMA)
    assert found[1]["id"] == found[2]["id"] == made["p1"]["id"]


def test_the_schema_list_filters_pages_and_shows_deleted_when_asked(client):
    arrange(client)
    every = [("orders-value", 1), ("orders-value", 2), ("payments-value", 1), ("refunds-value", 1)]
    assert pairs(ok(client.get("/ccompat/schemas?deleted=true"))) == every
    deleted = ok(client.get("/ccompat/schemas?deleted=TRUE&subjectPrefix=orders"))
    assert [each["deleted"] for each in deleted] == [True, False]
    assert pairs(ok(client.get("/ccompat/schemas?subjectPrefix=pay"))) == [("payments-value", 1)]
    assert pairs(ok(client.get("/ccompat/schemas?subjectPrefix=zzz"))) == []
    assert pairs(ok(client.get("/ccompat/schemas?latestOnly=true&deleted=true"))) == [
        ("orders-value", 2),
        ("payments-value", 1),
        ("refunds-value", 1),
    ]
    assert pairs(ok(client.get("/ccompat/schemas?offset=1&limit=1"))) == [("payments-value", 1)]
    assert pairs(ok(client.get("/ccompat/schemas?offset=2"))) == [("refunds-value", 1)]
    assert pairs(ok(client.get("/ccompat/schemas?limit=2"))) == [
        ("orders-value", 2),
        ("payments-value", 1),
    ]
    assert pairs(ok(client.get("/ccompat/schemas?limit=-1"))) == pairs(
        ok(client.get("/ccompat/schemas"))
    )
    assert ok(client.get("/ccompat/schemas?offset=10")) == []


def test_the_latest_only_list_takes_the_newest_live_version(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    assert pairs(ok(client.get("/ccompat/schemas?latestOnly=true"))) == [("orders-value", 2)]
    ok(client.delete("/ccompat/subjects/orders-value/versions/2", headers=ADMIN))
    assert pairs(ok(client.get("/ccompat/schemas?latestOnly=True"))) == [("orders-value", 1)]


def test_offset_and_limit_must_be_whole_numbers(client):
    fails(client.get("/ccompat/schemas?offset=x"), 400, 400)
    fails(client.get("/ccompat/schemas?offset=-1"), 400, 400)
    fails(client.get("/ccompat/schemas?limit=abc"), 400, 400)


# --- by global id ---


def test_a_schema_is_read_by_its_id(client):
    made = registered(client, "orders-value", V1_SCHEMA)
    found = ok(client.get(f"/ccompat/schemas/ids/{made['id']}"))
    assert found["id"] == made["id"]
    assert found["guid"] == made["guid"]
    assert found["schemaType"] == "JSON"
    assert found["references"] == []
    assert json.loads(found["schema"]) == json.loads(V1_SCHEMA)
    raw = client.get(f"/ccompat/schemas/ids/{made['id']}/schema")
    assert raw.status_code == 200
    assert json.loads(raw.get_data(as_text=True)) == json.loads(V1_SCHEMA)


def test_an_unknown_id_is_40403(client):
    fails(client.get("/ccompat/schemas/ids/4242"), 404, 40403)
    fails(client.get("/ccompat/schemas/ids/4242/schema"), 404, 40403)
    fails(client.get("/ccompat/schemas/ids/4242/subjects"), 404, 40403)
    fails(client.get("/ccompat/schemas/ids/4242/versions"), 404, 40403)


def test_a_non_numeric_id_is_a_confluent_shaped_404(client):
    fails(client.get("/ccompat/schemas/ids/abc"), 404, 40401)


def test_the_subjects_and_versions_of_an_id_filter_by_subject_and_deleted(client):
    made = arrange(client)
    shared = made["p1"]["id"]
    assert ok(client.get(f"/ccompat/schemas/ids/{shared}/subjects")) == [
        "payments-value",
        "refunds-value",
    ]
    assert ok(client.get(f"/ccompat/schemas/ids/{shared}/versions")) == [
        {"subject": "payments-value", "version": 1},
        {"subject": "refunds-value", "version": 1},
    ]
    url = f"/ccompat/schemas/ids/{shared}/versions?subject=refunds-value"
    assert ok(client.get(url)) == [{"subject": "refunds-value", "version": 1}]
    url = f"/ccompat/schemas/ids/{shared}/subjects?subject=refunds-value"
    assert ok(client.get(url)) == ["refunds-value"]

    first = made["o1"]["id"]  # its only version is soft-deleted
    assert ok(client.get(f"/ccompat/schemas/ids/{first}/subjects")) == []
    assert ok(client.get(f"/ccompat/schemas/ids/{first}/versions")) == []
    assert ok(client.get(f"/ccompat/schemas/ids/{first}/subjects?deleted=true")) == ["orders-value"]
    assert ok(client.get(f"/ccompat/schemas/ids/{first}/versions?deleted=TRUE")) == [
        {"subject": "orders-value", "version": 1}
    ]


# --- by GUID, and the types ---


def test_a_schema_is_read_by_its_guid(client):
    made = registered(client, "orders-value", V1_SCHEMA)
    found = ok(client.get(f"/ccompat/schemas/guids/{made['guid']}"))
    assert (found["id"], found["guid"]) == (made["id"], made["guid"])
    assert json.loads(found["schema"]) == json.loads(V1_SCHEMA)
    assert found["schemaType"] == "JSON"


def test_an_unknown_guid_is_40403(client):
    fails(client.get("/ccompat/schemas/guids/00000000-0000-0000-0000-000000000000"), 404, 40403)
    fails(client.get("/ccompat/schemas/guids/not-a-guid"), 404, 40403)


def test_json_schema_is_the_one_type_served(client):
    assert ok(client.get("/ccompat/schemas/types")) == ["JSON"]


# --- POST /compatibility/subjects/{subject}/versions[/{version}] ---


def check(client, subject: str, version: str | None, text: str, query: str = "") -> dict:
    tail = "" if version is None else f"/{version}"
    url = f"/ccompat/compatibility/subjects/{subject}/versions{tail}{query}"
    return ok(client.post(url, json={"schema": text}))


def test_a_compatible_candidate_is_compatible_against_latest_one_and_all(client):
    registered(client, "orders-value", V1_SCHEMA)
    assert check(client, "orders-value", "latest", V2_SCHEMA) == {"is_compatible": True}
    assert check(client, "orders-value", "1", V2_SCHEMA) == {"is_compatible": True}
    assert check(client, "orders-value", "-1", V2_SCHEMA) == {"is_compatible": True}
    assert check(client, "orders-value", None, V2_SCHEMA) == {"is_compatible": True}
    verbose = check(client, "orders-value", "latest", V2_SCHEMA, "?verbose=true")
    assert verbose == {"is_compatible": True, "messages": []}
    assert ok(client.get("/ccompat/subjects/orders-value/versions")) == [1]  # nothing registered


def test_an_incompatible_candidate_is_not_and_verbose_says_why(client):
    registered(client, "orders-value", V1_SCHEMA)
    for version in ("latest", "1", None):
        assert check(client, "orders-value", version, BREAKING) == {"is_compatible": False}
    verbose = check(client, "orders-value", "latest", BREAKING, "?verbose=TRUE")
    assert verbose["is_compatible"] is False
    assert verbose["messages"] and all(isinstance(each, str) for each in verbose["messages"])
    assert any("currency" in each for each in verbose["messages"])
    everything = check(client, "orders-value", None, BREAKING, "?verbose=true")
    assert everything["is_compatible"] is False and everything["messages"]


def test_a_check_against_one_old_version_ignores_the_others(client):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.put("/ccompat/config/orders-value", json={"compatibility": "NONE"}, headers=ADMIN))
    registered(client, "orders-value", BREAKING)
    ok(client.delete("/ccompat/config/orders-value", headers=ADMIN))
    # BREAKING itself is compatible with version 2 (itself) but not with version 1
    assert check(client, "orders-value", "2", BREAKING) == {"is_compatible": True}
    assert check(client, "orders-value", "1", BREAKING) == {"is_compatible": False}


def test_checks_report_unknown_subjects_versions_and_bad_input(client):
    registered(client, "orders-value", V1_SCHEMA)
    url = "/ccompat/compatibility/subjects"
    fails(client.post(f"{url}/orders-value/versions/9", json={"schema": V2_SCHEMA}), 404, 40402)
    fails(client.post(f"{url}/orders-value/versions/x", json={"schema": V2_SCHEMA}), 422, 42202)
    fails(client.post(f"{url}/orders-value/versions/0", json={"schema": V2_SCHEMA}), 422, 42202)
    fails(client.post(f"{url}/nobody-value/versions/1", json={"schema": V2_SCHEMA}), 404, 40401)
    fails(client.post(f"{url}/orders-value/versions", json={"schema": "{x"}), 422, 42201)
    body = {"schema": V2_SCHEMA, "schemaType": "AVRO"}
    fails(client.post(f"{url}/orders-value/versions/latest", json=body), 422, 42201)
