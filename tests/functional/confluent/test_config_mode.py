"""Compatibility levels and groups (/config, /config/{subject}) and modes (/mode,
/mode/{subject}): reading, setting, deleting, their error codes, and that they are honoured."""

import pytest

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

LEVELS = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL"]


def test_the_global_level_is_backward_by_default(client):
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


@pytest.mark.parametrize("level", [*LEVELS, "FULL_TRANSITIVE"])
def test_the_global_level_is_set_read_and_reset(client, level):
    assert ok(client.put("/ccompat/config", json={"compatibility": level}, headers=ADMIN)) == {
        "compatibility": level
    }
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": level}
    assert ok(client.delete("/ccompat/config", headers=ADMIN)) == {"compatibilityLevel": level}
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


def test_the_global_level_is_honoured(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(register(client, "orders-value", BREAKING), 409, 409)
    ok(client.put("/ccompat/config", json={"compatibility": "NONE"}, headers=ADMIN))
    assert registered(client, "orders-value", BREAKING)["version"] == 2


def test_an_invalid_level_is_42203(client):
    for body in ({"compatibility": "SIDEWAYS"}, {"compatibility": 3}, {"compatibility": "NONE "}):
        fails(client.put("/ccompat/config", json=body, headers=ADMIN), 422, 42203)
    registered(client, "orders-value", V1_SCHEMA)
    response = client.put(
        "/ccompat/config/orders-value", json={"compatibility": "X"}, headers=ADMIN
    )
    fails(response, 422, 42203)
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


def test_the_global_level_takes_compatibility_level_too_and_ignores_unknown_fields(client):
    body = {"compatibilityLevel": "FULL", "alias": "x", "normalize": True}
    assert ok(client.put("/ccompat/config", json=body, headers=ADMIN)) == {"compatibility": "FULL"}
    assert ok(client.get("/ccompat/config"))["compatibilityLevel"] == "FULL"


def test_changing_the_global_level_needs_an_admin(client, catalogue):
    body = {"compatibility": "NONE"}
    fails(client.put("/ccompat/config", json=body), 401, 40101)
    fails(client.put("/ccompat/config", json=body, headers=catalogue["checkout"]), 403, 40301)
    fails(client.delete("/ccompat/config", headers=catalogue["checkout"]), 403, 40301)
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


# --- /config/{subject} ---


def test_a_subject_without_its_own_level_is_40408_unless_default_to_global(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(client.get("/ccompat/config/orders-value"), 404, 40408)
    found = ok(client.get("/ccompat/config/orders-value?defaultToGlobal=true"))
    assert found == {"compatibilityLevel": "BACKWARD"}
    # As Confluent's: a subject without schemas has no level of its own either.
    fails(client.get("/ccompat/config/nobody-value"), 404, 40408)
    found = ok(client.get("/ccompat/config/nobody-value?defaultToGlobal=true"))
    assert found == {"compatibilityLevel": "BACKWARD"}


def test_a_subject_level_is_set_read_honoured_and_deleted(client):
    registered(client, "orders-value", V1_SCHEMA)
    url = "/ccompat/config/orders-value"
    assert ok(client.put(url, json={"compatibility": "NONE"}, headers=ADMIN)) == {
        "compatibility": "NONE"
    }
    assert ok(client.get(url)) == {"compatibilityLevel": "NONE"}
    assert ok(client.get(f"{url}?defaultToGlobal=true")) == {"compatibilityLevel": "NONE"}
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}
    assert registered(client, "orders-value", BREAKING)["version"] == 2

    assert ok(client.delete(url, headers=ADMIN)) == {"compatibilityLevel": "NONE"}
    fails(client.get(url), 404, 40408)
    stricter = schema(
        "OrderPlaced",
        ("orderId", "currency", "region"),
        orderId="string",
        currency="string",
        region="string",
    )
    fails(register(client, "orders-value", stricter), 409, 409)  # back to BACKWARD


def test_deleting_a_subject_config_it_does_not_have_is_40401(client):
    registered(client, "orders-value", V1_SCHEMA)
    for url in ("/ccompat/config/orders-value", "/ccompat/config/nobody-value"):
        assert "not found" in fails(client.delete(url, headers=ADMIN), 404, 40401)
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


def test_a_team_sets_the_level_of_its_own_subject_only(client, catalogue):
    registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=catalogue["checkout"])
    url = "/ccompat/config/orders.OrderPlaced"
    body = {"compatibility": "FULL"}
    fails(client.put(url, json=body, headers=catalogue["solo"]), 403, 40301)
    fails(client.put(url, json=body), 401, 40101)
    ok(client.put(url, json=body, headers=catalogue["checkout"]))
    assert ok(client.get(url)) == {"compatibilityLevel": "FULL"}


def major(value: str) -> dict:
    return {"metadata": {"properties": {"major": value}}}


def test_a_subject_compatibility_group_splits_the_versions(client):
    registered(client, "orders-value", V1_SCHEMA, **major("1"))
    url = "/ccompat/config/orders-value"
    body = {"compatibility": "BACKWARD", "compatibilityGroup": "major"}
    assert ok(client.put(url, json=body, headers=ADMIN)) == body
    assert ok(client.get(url)) == {"compatibilityLevel": "BACKWARD", "compatibilityGroup": "major"}

    fails(register(client, "orders-value", BREAKING, **major("1")), 409, 409)
    assert registered(client, "orders-value", BREAKING, **major("2"))["version"] == 2
    # the next "2" is judged against the "2" version only
    evolved = schema(
        "OrderPlaced", ("orderId", "currency"), orderId="string", currency="string", note="string"
    )
    assert registered(client, "orders-value", evolved, **major("2"))["version"] == 3
    assert registered(client, "orders-value", V2_SCHEMA, **major("1"))["version"] == 4


def test_the_global_compatibility_group_is_stored_and_honoured(client):
    body = {"compatibilityGroup": "major"}
    assert ok(client.put("/ccompat/config", json=body, headers=ADMIN)) == body
    assert ok(client.get("/ccompat/config")) == {
        "compatibilityLevel": "BACKWARD",
        "compatibilityGroup": "major",
    }
    registered(client, "orders-value", V1_SCHEMA, **major("1"))
    assert registered(client, "orders-value", BREAKING, **major("2"))["version"] == 2
    fails(register(client, "orders-value", BREAKING, **major("1")), 409, 409)
    ok(client.delete("/ccompat/config", headers=ADMIN))
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


def test_a_compatibility_check_honours_the_group_as_registration_does(client):
    body = {"compatibility": "BACKWARD", "compatibilityGroup": "major"}
    registered(client, "orders-value", V1_SCHEMA, **major("1"))
    ok(client.put("/ccompat/config/orders-value", json=body, headers=ADMIN))
    url = "/ccompat/compatibility/subjects/orders-value/versions"
    verdict = ok(client.post(url, json={"schema": BREAKING, **major("2")}))
    assert verdict == {"is_compatible": True}
    assert registered(client, "orders-value", BREAKING, **major("2"))["version"] == 2


# --- /mode ---


def test_the_registry_mode_is_readwrite_by_default_and_set_and_reset(client):
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}
    assert ok(client.put("/ccompat/mode", json={"mode": "READONLY"}, headers=ADMIN)) == {
        "mode": "READONLY"
    }
    assert ok(client.get("/ccompat/mode")) == {"mode": "READONLY"}
    assert ok(client.delete("/ccompat/mode", headers=ADMIN)) == {"mode": "READONLY"}
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}


def test_an_invalid_mode_is_42204(client):
    registered(client, "orders-value", V1_SCHEMA)
    for body in (
        {"mode": "READSOMETIMES"},
        {"mode": "FORWARD"},
        {},
        {"mode": 1},
        {"mode": "IMPORT "},
    ):
        fails(client.put("/ccompat/mode", json=body, headers=ADMIN), 422, 42204)
        fails(client.put("/ccompat/mode/orders-value", json=body, headers=ADMIN), 422, 42204)
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}


def test_readonly_refuses_registrations_and_deletes_with_42205(client):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.put("/ccompat/mode", json={"mode": "READONLY"}, headers=ADMIN))
    fails(register(client, "orders-value", V2_SCHEMA), 422, 42205)
    fails(register(client, "fresh-value", V1_SCHEMA), 422, 42205)
    url = "/ccompat/subjects/orders-value"
    fails(client.delete(f"{url}/versions/1", headers=ADMIN), 422, 42205)
    fails(client.delete(url, headers=ADMIN), 422, 42205)
    # reads still work
    assert ok(client.get(f"{url}/versions")) == [1]
    assert ok(client.post(url, json={"schema": V1_SCHEMA}))["version"] == 1
    ok(client.put("/ccompat/mode", json={"mode": "READWRITE"}, headers=ADMIN))
    assert registered(client, "orders-value", V2_SCHEMA)["version"] == 2


def test_changing_the_registry_mode_needs_an_admin(client, catalogue):
    fails(client.put("/ccompat/mode", json={"mode": "READONLY"}), 401, 40101)
    checkout = catalogue["checkout"]
    fails(client.put("/ccompat/mode", json={"mode": "READONLY"}, headers=checkout), 403, 40301)
    fails(client.delete("/ccompat/mode", headers=checkout), 403, 40301)
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}


# --- /mode/{subject} ---


def test_a_subject_without_its_own_mode_is_40409_unless_default_to_global(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(client.get("/ccompat/mode/orders-value"), 404, 40409)
    assert ok(client.get("/ccompat/mode/orders-value?defaultToGlobal=true")) == {
        "mode": "READWRITE"
    }
    # As Confluent's: a subject without schemas has no mode of its own either; deleting a mode
    # a subject does not have is 40401.
    fails(client.get("/ccompat/mode/nobody-value"), 404, 40409)
    assert ok(client.get("/ccompat/mode/nobody-value?defaultToGlobal=true")) == {
        "mode": "READWRITE"
    }
    fails(client.delete("/ccompat/mode/nobody-value", headers=ADMIN), 404, 40401)
    fails(client.delete("/ccompat/mode/orders-value", headers=ADMIN), 404, 40401)


def test_a_subject_mode_binds_that_subject_only(client):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "payments-value", schema("PaymentTaken", id="string"))
    url = "/ccompat/mode/orders-value"
    assert ok(client.put(url, json={"mode": "READONLY"}, headers=ADMIN)) == {"mode": "READONLY"}
    assert ok(client.get(url)) == {"mode": "READONLY"}
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}

    fails(register(client, "orders-value", V2_SCHEMA), 422, 42205)
    fails(client.delete("/ccompat/subjects/orders-value", headers=ADMIN), 422, 42205)
    paid = schema("PaymentTaken", id="string", amount="number")
    assert registered(client, "payments-value", paid)["version"] == 2

    assert ok(client.delete(url, headers=ADMIN)) == {"mode": "READONLY"}
    fails(client.get(url), 404, 40409)
    assert registered(client, "orders-value", V2_SCHEMA)["version"] == 2


def test_a_subject_mode_overrides_a_readonly_registry(client):
    registered(client, "orders-value", V1_SCHEMA)
    ok(client.put("/ccompat/mode/orders-value", json={"mode": "READWRITE"}, headers=ADMIN))
    ok(client.put("/ccompat/mode", json={"mode": "READONLY"}, headers=ADMIN))
    assert registered(client, "orders-value", V2_SCHEMA)["version"] == 2
    assert ok(client.get("/ccompat/mode/orders-value")) == {"mode": "READWRITE"}


def test_a_team_sets_the_mode_of_its_own_subject_only(client, catalogue):
    registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=catalogue["checkout"])
    url = "/ccompat/mode/orders.OrderPlaced"
    body = {"mode": "READONLY"}
    fails(client.put(url, json=body, headers=catalogue["solo"]), 403, 40301)
    fails(client.put(url, json=body), 401, 40101)
    assert ok(client.put(url, json=body, headers=catalogue["checkout"])) == body
    fails(client.delete(url, headers=catalogue["solo"]), 403, 40301)
