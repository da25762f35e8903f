"""Config and mode of a subject no event type answers to yet: set before its first registration
(as Confluent takes them), answered as Confluent answers them, adopted by the registration that
binds the subject, audited, and guarded by ownership."""

import pytest

from tests.functional.confluent.conftest import (
    ADMIN,
    BREAKING,
    V1_SCHEMA,
    V2_SCHEMA,
    audit,
    fails,
    ok,
    register,
    registered,
    schema,
)

CONFIG, MODE = "/ccompat/config/later-value", "/ccompat/mode/later-value"


def event_of(client, subject: str) -> dict:
    """The event type a subject answers to, through the native API."""
    ok(client.get(f"/ccompat/subjects/{subject}/versions/latest"))
    # A context's event name (:.orders:Refunds) is listed as orders.Refunds.
    listed = subject[2:].replace(":", ".", 1) if subject.startswith(":.") else subject
    for item in ok(client.get("/api/v1/events?limit=200"))["items"]:
        event = ok(client.get(f"/api/v1/events/{item['domain']}/{item['name']}"))
        if listed in event.get("subjects", []):
            return event
    raise AssertionError(f"no event type answers to {subject}")


def test_a_level_set_before_the_first_registration_is_answered_and_adopted(client):
    assert ok(client.put(CONFIG, json={"compatibility": "FULL"}, headers=ADMIN)) == {
        "compatibility": "FULL"
    }
    assert ok(client.get(CONFIG)) == {"compatibilityLevel": "FULL"}
    assert ok(client.get(f"{CONFIG}?defaultToGlobal=true")) == {"compatibilityLevel": "FULL"}
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}
    # A subject with settings only is no subject yet, as on Confluent.
    assert ok(client.get("/ccompat/subjects")) == []
    fails(client.get("/ccompat/subjects/later-value/versions"), 404, 40401)
    held = audit(client, action="subject.settings")
    assert held[0]["target"] == "subject:later-value"
    assert held[0]["after"]["compatibility"] == "FULL"

    registered(client, "later-value", V1_SCHEMA)
    assert event_of(client, "later-value")["compatibility"] == "FULL"
    assert ok(client.get(CONFIG)) == {"compatibilityLevel": "FULL"}
    # FULL is honoured: adding an optional field to a closed object is not FORWARD compatible.
    fails(register(client, "later-value", V2_SCHEMA), 409, 409)
    adopted = audit(client, action="subject.settings.adopt")[0]
    assert adopted["after"]["event"] == "unassigned.OrderPlaced"
    assert (adopted["before"]["compatibility"], adopted["after"]["compatibility"]) == (
        None,
        "FULL",
    )
    assert ok(client.get("/api/v1/config"))["subject_settings"] == []


def test_import_mode_set_before_a_migration_takes_explicit_ids(client):
    assert ok(client.put(MODE, json={"mode": "IMPORT"}, headers=ADMIN)) == {"mode": "IMPORT"}
    assert ok(client.get(MODE)) == {"mode": "IMPORT"}
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}
    body = registered(client, "later-value", V1_SCHEMA, id=500, version=7)
    assert (body["id"], body["version"]) == (500, 7)
    assert ok(client.get(MODE)) == {"mode": "IMPORT"}
    assert event_of(client, "later-value")["mode"] == "IMPORT"
    # Other subjects stay in READWRITE: an explicit id there is refused.
    other = schema("Other", id="string")
    refused = fails(register(client, "other-value", other, id=501, version=1), 422, 42205)
    assert refused.startswith("Subject other-value is not in import mode")


def test_a_readonly_subject_refuses_its_first_registration_and_binds_nothing(client):
    ok(client.put(MODE, json={"mode": "READONLY"}, headers=ADMIN))
    message = fails(register(client, "later-value", V1_SCHEMA), 422, 42205)
    assert message == "Subject later-value is in read-only mode"
    assert ok(client.get("/ccompat/subjects")) == []
    assert ok(client.get("/api/v1/events"))["items"] == []
    assert ok(client.get(MODE)) == {"mode": "READONLY"}  # still held, not adopted
    assert ok(client.delete(MODE, headers=ADMIN)) == {"mode": "READONLY"}
    fails(client.get(MODE), 404, 40409)
    assert ok(client.get(f"{MODE}?defaultToGlobal=true")) == {"mode": "READWRITE"}
    fails(client.delete(MODE, headers=ADMIN), 404, 40401)
    assert registered(client, "later-value", V1_SCHEMA)["version"] == 1


def test_a_group_alone_has_no_level_and_deletes_answer_what_was_set(client):
    body = {"compatibilityGroup": "major"}
    assert ok(client.put(CONFIG, json=body, headers=ADMIN)) == body
    fails(client.get(CONFIG), 404, 40408)
    assert ok(client.get(f"{CONFIG}?defaultToGlobal=true")) == {
        "compatibilityLevel": "BACKWARD",
        "compatibilityGroup": "major",
    }
    ok(client.put(CONFIG, json={"compatibility": "none"}, headers=ADMIN))
    assert ok(client.get(CONFIG)) == {"compatibilityLevel": "NONE", "compatibilityGroup": "major"}
    assert ok(client.delete(CONFIG, headers=ADMIN)) == {
        "compatibilityLevel": "NONE",
        "compatibilityGroup": "major",
    }
    fails(client.get(CONFIG), 404, 40408)
    fails(client.delete(CONFIG, headers=ADMIN), 404, 40401)
    assert ok(client.get("/api/v1/config"))["subject_settings"] == []


def test_held_settings_are_listed_by_the_native_api(client):
    ok(client.put(CONFIG, json={"compatibility": "FULL"}, headers=ADMIN))
    ok(client.put(MODE, json={"mode": "IMPORT"}, headers=ADMIN))
    ok(client.put("/ccompat/mode/:.orders:Refunds", json={"mode": "READONLY"}, headers=ADMIN))
    assert ok(client.get("/api/v1/config"))["subject_settings"] == [
        {"subject": ":.orders:Refunds", "mode": "READONLY"},
        {"subject": "later-value", "compatibility": "FULL", "mode": "IMPORT"},
    ]


@pytest.mark.parametrize(
    "subject",
    [
        "orders-value",  # the bus orders is in domain orders
        "orders.OrderShipped",  # an event type of domain orders, not created yet
        ":.orders:Refunds",  # the context orders
    ],
)
def test_a_subject_naming_a_domain_takes_settings_from_its_owner(client, catalogue, subject):
    body = {"compatibility": "NONE"}
    url = f"/ccompat/config/{subject}"
    fails(client.put(url, json=body), 401, 40101)
    fails(client.put(url, json=body, headers=catalogue["solo"]), 403, 40301)
    fails(
        client.put(f"/ccompat/mode/{subject}", json={"mode": "IMPORT"}, headers=catalogue["solo"]),
        403,
        40301,
    )
    assert ok(client.put(url, json=body, headers=catalogue["checkout"])) == {
        "compatibility": "NONE"
    }
    fails(client.delete(url, headers=catalogue["solo"]), 403, 40301)

    text = schema("OrderShipped", ("orderId",), orderId="string")
    registered(client, subject, text, headers=catalogue["checkout"])
    assert ok(client.get(url)) == {"compatibilityLevel": "NONE"}
    assert event_of(client, subject)["domain"] == "orders"
    # NONE is honoured: a breaking change is taken.
    breaking = schema("OrderShipped", ("orderId", "carrier"), orderId="string", carrier="string")
    assert registered(client, subject, breaking, headers=catalogue["checkout"])["version"] == 2


def test_a_subject_naming_no_domain_is_held_by_the_team_that_set_it(client, catalogue):
    url = "/ccompat/config/Gadget"
    ok(client.put(url, json={"compatibility": "NONE"}, headers=catalogue["solo"]))
    message = fails(
        client.put(url, json={"compatibility": "FULL"}, headers=catalogue["fulfilment"]), 403, 40301
    )
    assert "team 'solo'" in message
    fails(client.delete(url, headers=catalogue["fulfilment"]), 403, 40301)
    ok(client.put(url, json={"compatibility": "FULL"}, headers=catalogue["solo"]))
    assert ok(client.get(url)) == {"compatibilityLevel": "FULL"}
    # solo owns billing only: its first registration lands there and adopts the level.
    registered(client, "Gadget", schema("Gadget", id="string"), headers=catalogue["solo"])
    assert event_of(client, "Gadget")["domain"] == "billing"
    assert ok(client.get(url)) == {"compatibilityLevel": "FULL"}


def test_settings_a_team_set_never_reach_another_teams_event_type(client, catalogue):
    ok(client.put("/ccompat/mode/Gizmo", json={"mode": "IMPORT"}, headers=catalogue["solo"]))
    ok(
        client.put(
            "/ccompat/config/Gizmo", json={"compatibility": "NONE"}, headers=catalogue["solo"]
        )
    )
    # checkout owns orders only: the event type is created there, and solo's settings dropped.
    registered(client, "Gizmo", schema("Gizmo", id="string"), headers=catalogue["checkout"])
    assert event_of(client, "Gizmo")["domain"] == "orders"
    fails(client.get("/ccompat/config/Gizmo"), 404, 40408)
    fails(client.get("/ccompat/mode/Gizmo"), 404, 40409)
    dropped = audit(client, action="subject.settings.drop")[0]
    assert dropped["before"] == {
        "compatibility": "NONE",
        "compatibility_group": None,
        "mode": "IMPORT",
    }
    assert "set by team solo" in dropped["after"]["dropped"]


def test_an_admin_binding_a_subject_natively_adopts_its_settings(client, catalogue):
    ok(client.put("/ccompat/config/parcels-value", json={"compatibility": "FULL"}, headers=ADMIN))
    body = {"subjects": ["parcels-value"]}
    ok(
        client.put(
            "/api/v1/import/events/shipping/ParcelShipped/subjects", json=body, headers=ADMIN
        )
    )
    assert ok(client.get("/api/v1/events/shipping/ParcelShipped"))["compatibility"] == "FULL"
    assert ok(client.get("/api/v1/config"))["subject_settings"] == []


def test_bad_settings_for_an_unknown_subject_change_nothing(client):
    for body in ({"compatibility": "SIDEWAYS"}, {}, {"compatibilityGroup": 3}):
        fails(client.put(CONFIG, json=body, headers=ADMIN), 422, 42203)
    fails(client.put(MODE, json={"mode": "FORWARD"}, headers=ADMIN), 422, 42204)
    fails(
        client.put("/ccompat/config/%20", json={"compatibility": "FULL"}, headers=ADMIN), 422, 422
    )
    fails(client.put(CONFIG, data="[1]", headers=ADMIN), 400, 400)
    assert ok(client.get("/api/v1/config"))["subject_settings"] == []
    assert audit(client, action="subject.settings") == []


def test_a_breaking_first_registration_keeps_the_held_settings(client):
    """The registration's transaction holds the adoption: a refused registration (here an
    invalid schema) leaves the settings held under the name."""
    ok(client.put(CONFIG, json={"compatibility": "NONE"}, headers=ADMIN))
    fails(register(client, "later-value", '{"type": "strin"}'), 422, 42201)
    assert ok(client.get("/api/v1/config"))["subject_settings"] == [
        {"subject": "later-value", "compatibility": "NONE"}
    ]
    registered(client, "later-value", V1_SCHEMA)
    assert registered(client, "later-value", BREAKING)["version"] == 2
