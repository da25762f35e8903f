"""One registry, two doors: what /ccompat registers is the native API's and the UI's event
type, what the native API registers is a /ccompat subject, both give the same verdicts, and
every write through /ccompat is audited like a native one (GET /api/v1/audit)."""

import json

from tests.functional.confluent.conftest import (
    ADMIN,
    BREAKING,
    V1_SCHEMA,
    V2_SCHEMA,
    audit,
    event,
    fails,
    native,
    ok,
    register,
    registered,
    schema,
)


def test_a_subject_registered_via_ccompat_is_a_native_event_type_and_a_ui_page(client):
    made = registered(client, "orders-value", V1_SCHEMA)
    found = native(client, "get", "/api/v1/events/unassigned/OrderPlaced", status=200)
    assert found["subjects"] == ["orders-value"]
    assert found["last_version"] == 1
    version = native(client, "get", "/api/v1/events/unassigned/OrderPlaced/versions/1", status=200)
    assert (version["schema_id"], version["guid"]) == (made["id"], made["guid"])
    assert version["schema"] == json.loads(V1_SCHEMA)

    page = client.get("/events/unassigned/OrderPlaced")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "OrderPlaced" in html
    assert "unassigned.OrderPlaced" in html


def test_a_version_registered_natively_is_visible_as_the_subject_domain_dot_name(client, catalogue):
    checkout = catalogue["checkout"]
    event(client, "orders", "OrderPlaced", "orders")
    body = {"schema": json.loads(V1_SCHEMA), "note": "first"}
    url = "/api/v1/events/orders/OrderPlaced/versions"
    made = native(client, "post", url, body, headers=checkout, status=201)

    for subject in ("orders.OrderPlaced", ":.orders:OrderPlaced"):
        found = ok(client.get(f"/ccompat/subjects/{subject}/versions/latest"))
        assert (found["version"], found["id"], found["guid"]) == (
            1,
            made["schema_id"],
            made["guid"],
        )
        assert found["subject"] == subject
        assert json.loads(found["schema"]) == json.loads(V1_SCHEMA)
    assert ok(client.get(f"/ccompat/schemas/ids/{made['schema_id']}/versions")) == [
        {"subject": "orders.OrderPlaced", "version": 1}
    ]
    # and the next version through /ccompat continues the same event type
    assert registered(client, "orders.OrderPlaced", V2_SCHEMA, headers=checkout)["version"] == 2
    versions = native(client, "get", f"{url}", status=200)["items"]
    assert [each["version"] for each in versions] == [1, 2]


def test_the_same_content_natively_and_via_ccompat_has_one_id(client, catalogue):
    event(client, "orders", "OrderPlaced", "orders")
    body = {"schema": json.loads(V1_SCHEMA)}
    url = "/api/v1/events/orders/OrderPlaced/versions"
    made = native(client, "post", url, body, headers=catalogue["checkout"], status=201)
    other = registered(client, "elsewhere-value", V1_SCHEMA)  # binds by title to the same event
    assert other == {**other, "id": made["schema_id"], "version": 1}
    assert ok(client.get("/ccompat/subjects/elsewhere-value/versions")) == [1]


def test_a_ccompat_refusal_is_the_native_verdict(client, catalogue):
    checkout = catalogue["checkout"]
    event(client, "orders", "OrderPlaced", "orders")
    url = "/api/v1/events/orders/OrderPlaced"
    native(client, "post", f"{url}/versions", {"schema": json.loads(V1_SCHEMA)}, checkout, 201)

    for candidate in (V2_SCHEMA, BREAKING):
        verdict = native(
            client, "post", f"{url}/compatibility", {"schema": json.loads(candidate)}, status=200
        )
        check = ok(
            client.post(
                "/ccompat/compatibility/subjects/orders.OrderPlaced/versions?verbose=true",
                json={"schema": candidate},
            )
        )
        assert check["is_compatible"] is verdict["compatible"]
        broken = [each for each in verdict["differences"] if not each["compatible"]]
        assert len(check["messages"]) == len(broken) + len(verdict["evidence"])
        for difference, message in zip(broken, check["messages"], strict=False):
            assert difference["message"].rstrip(".") in message

    native_refusal = client.post(
        f"{url}/versions", json={"schema": json.loads(BREAKING)}, headers=checkout
    )
    assert native_refusal.status_code == 409
    message = fails(register(client, "orders.OrderPlaced", BREAKING, headers=checkout), 409, 409)
    assert message == native_refusal.get_json()["detail"]


def test_a_native_level_is_the_ccompat_subject_level_and_back(client, catalogue):
    checkout = catalogue["checkout"]
    event(client, "orders", "OrderPlaced", "orders")
    url = "/api/v1/events/orders/OrderPlaced/config"
    native(client, "put", url, {"compatibility": "FULL"}, checkout, 200)
    assert ok(client.get("/ccompat/config/orders.OrderPlaced")) == {"compatibilityLevel": "FULL"}
    body = {"compatibility": "NONE"}
    ok(client.put("/ccompat/config/orders.OrderPlaced", json=body, headers=checkout))
    assert native(client, "get", url, status=200)["compatibility"] == "NONE"
    ok(client.put("/ccompat/config", json={"compatibility": "FORWARD"}, headers=ADMIN))
    assert native(client, "get", "/api/v1/config", status=200)["compatibility"] == "FORWARD"


# --- every write through /ccompat is audited ---


def entries_since(client, before: int) -> list[tuple[str, str, str]]:
    return [
        (each["actor"], each["action"], each["target"])
        for each in reversed(audit(client))
        if each["id"] > before
    ]


def last_id(client) -> int:
    items = audit(client)
    return items[0]["id"] if items else 0


def test_every_ccompat_write_leaves_an_audit_entry(client):
    target = "event:unassigned.OrderPlaced"
    subject = "/ccompat/subjects/orders-value"
    v1, v2 = {"schema": V1_SCHEMA}, {"schema": V2_SCHEMA}
    config, none = "/ccompat/config/orders-value", {"compatibility": "NONE"}
    steps = [  # (method, url, body, the audit action and target it must leave)
        ("post", f"{subject}/versions", v1, "subject.bind", "subject:orders-value"),
        ("post", f"{subject}/versions", v2, "version.register", f"{target}/versions/2"),
        ("delete", f"{subject}/versions/1", None, "version.delete", f"{target}/versions/1"),
        ("delete", f"{subject}/versions/1?permanent=true", None, "version.purge", f"{target}/versions/1"),  # noqa: E501
        ("put", config, none, "event.config", f"{target}/config"),
        ("delete", config, None, "event.config", f"{target}/config"),
        ("put", "/ccompat/config", {"compatibility": "FULL"}, "config.update", "config"),
        ("delete", "/ccompat/config", None, "config.update", "config"),
        ("put", "/ccompat/mode/orders-value", {"mode": "READONLY"}, "event.mode", f"{target}/mode"),
        ("delete", "/ccompat/mode/orders-value", None, "event.mode", f"{target}/mode"),
        ("put", "/ccompat/mode", {"mode": "READONLY"}, "config.mode", "config"),
        ("delete", "/ccompat/mode", None, "config.mode", "config"),
        ("delete", subject, None, "version.delete", f"{target}/versions/2"),
        ("delete", f"{subject}?permanent=true", None, "subject.unbind", "subject:orders-value"),
    ]  # fmt: skip
    for method, url, body, action, where in steps:
        before = last_id(client)
        response = getattr(client, method)(url, json=body, headers=ADMIN)
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        found = entries_since(client, before)
        assert ("EVENTRY_ADMIN_TOKEN", action, where) in found, (method, url, found)


def test_the_first_registration_audits_the_binding_and_how_it_was_chosen(client):
    registered(client, "orders-value", V1_SCHEMA)
    bind = audit(client, action="subject.bind")[0]
    assert bind["target"] == "subject:orders-value"
    assert bind["after"]["event"] == "unassigned.OrderPlaced"
    assert "default domain" in bind["after"]["chosen"]
    creations = {each["action"] for each in audit(client)}
    assert {"team.create", "domain.create", "event.create", "version.register"} <= creations


def test_a_team_write_is_audited_under_its_token(client, catalogue):
    registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=catalogue["checkout"])
    entry = audit(client, action="version.register")[0]
    assert entry["actor"] == "checkout ci"
    assert entry["target"] == "event:orders.OrderPlaced/versions/1"


def test_refused_writes_leave_no_audit_entry(client, catalogue):
    registered(client, "orders-value", V1_SCHEMA)
    before = audit(client)
    fails(register(client, "orders-value", BREAKING), 409, 409)
    fails(register(client, "orders-value", schema("X", id="nonsense-type")), 422, 42201)
    fails(register(client, "orders.Lost", V1_SCHEMA, headers=catalogue["solo"]), 403, 40301)
    fails(client.put("/ccompat/config", json={"compatibility": "X"}, headers=ADMIN), 422, 42203)
    fails(client.put("/ccompat/mode", json={"mode": "X"}, headers=ADMIN), 422, 42204)
    fails(client.delete("/ccompat/subjects/orders-value?permanent=true", headers=ADMIN), 404, 40405)
    assert audit(client) == before
