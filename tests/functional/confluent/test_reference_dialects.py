"""A referenced schema keeps its own dialect through both doors, on both databases.

A shared ``Card`` type registered without ``$schema`` is stored as draft-07 (the registry's
default, as Confluent's); an event declaring 2020-12 references it. Validation (native API),
compatibility (/ccompat and native registration) and the UI's field table read the card's
keywords as draft-07 means them: ``dependencies``, the array form of ``items`` with
``additionalItems``, and siblings of ``$ref`` (ignored before 2019-09).
"""

import json

from tests.functional.confluent.conftest import ADMIN, fails, native, ok, register, registered

S20 = "https://json-schema.org/draft/2020-12/schema"
CARD = {
    "title": "Card",
    "type": "object",
    "properties": {
        "number": {"type": "string", "description": "The card's number"},
        "billing": {"type": "string"},
        "expiry": {"items": [{"type": "integer"}, {"type": "integer"}], "additionalItems": False},
        "brand": {"$ref": "#/definitions/Brand", "maxLength": 2},
    },
    "definitions": {"Brand": {"type": "string"}},
}
CARD_V2 = {**CARD, "dependencies": {"number": ["billing"]}}
CHARGED = {
    "$schema": S20,
    "title": "CardCharged",
    "type": "object",
    "required": ["card"],
    "properties": {"card": {"$ref": "card.json"}},
}
EVENT = "/api/v1/events/unassigned/CardCharged"


def card_reference(version: int = 1) -> list[dict]:
    return [{"name": "card.json", "subject": "cards-value", "version": version}]


def arrange(client) -> None:
    registered(client, "cards-value", json.dumps(CARD))
    registered(client, "charges-value", json.dumps(CHARGED), references=card_reference())


def validate(client, event: dict) -> list[dict]:
    return native(client, "post", f"{EVENT}/validate", {"event": event}, status=200)["errors"]


def test_each_schema_keeps_its_stored_dialect(client):
    arrange(client)
    card = native(client, "get", "/api/v1/events/unassigned/Card/versions/1", status=200)
    charged = native(client, "get", f"{EVENT}/versions/1", status=200)
    assert (card["dialect"], charged["dialect"]) == ("draft-07", "2020-12")


def test_an_event_is_validated_with_the_referenced_type_in_its_own_dialect(client):
    arrange(client)
    assert validate(client, {"card": {"number": "4111", "expiry": [12, 30], "brand": "VISA"}}) == []
    [tuple_error] = validate(client, {"card": {"expiry": ["12"]}})
    assert (tuple_error["path"], tuple_error["schema_path"]) == (
        "/card/expiry/0",
        "card.json#/properties/expiry/items/0/type",
    )
    [extra] = validate(client, {"card": {"expiry": [12, 30, 1]}})
    assert extra["path"] == "/card/expiry"


def test_a_dependency_added_to_the_draft7_type_is_incompatible_through_both_doors(client):
    arrange(client)
    ok(client.put("/ccompat/config/cards-value", json={"compatibility": "NONE"}, headers=ADMIN))
    registered(client, "cards-value", json.dumps(CARD_V2))
    url = "/ccompat/compatibility/subjects/charges-value/versions/latest?verbose=true"
    body = {"schema": json.dumps(CHARGED), "references": card_reference(2)}
    verdict = ok(client.post(url, json=body))
    assert verdict["is_compatible"] is False
    assert any("DEPENDENCY_ARRAY_ADDED" in message for message in verdict["messages"])
    fails(
        register(client, "charges-value", json.dumps(CHARGED), references=card_reference(2)),
        409,
        409,
    )
    refused = native(
        client,
        "post",
        f"{EVENT}/versions",
        {"schema": CHARGED, "references": card_reference(2)},
        status=409,
    )
    assert "DEPENDENCY_ARRAY_ADDED" in json.dumps(refused)
    # in the referrer's 2020-12 `dependencies` means nothing: once it is required, validation
    # of the draft-07 type applies it
    ok(client.put("/ccompat/config/charges-value", json={"compatibility": "NONE"}, headers=ADMIN))
    registered(client, "charges-value", json.dumps(CHARGED), references=card_reference(2))
    [missing] = validate(client, {"card": {"number": "4111"}})
    assert missing["path"] == "/card"


def test_a_sibling_of_ref_in_the_draft7_type_is_ignored_by_validation_and_compatibility(client):
    arrange(client)
    assert validate(client, {"card": {"brand": "longer than two"}}) == []
    narrower = {**CARD, "properties": {**CARD["properties"]}}
    narrower["properties"]["brand"] = {"$ref": "#/definitions/Brand", "maxLength": 1}
    registered(client, "cards-value", json.dumps(narrower))  # BACKWARD: nothing changed
    url = "/ccompat/compatibility/subjects/charges-value/versions/latest"
    body = {"schema": json.dumps(CHARGED), "references": card_reference(2)}
    assert ok(client.post(url, json=body)) == {"is_compatible": True}


def test_the_field_table_follows_the_reference_into_the_referenced_version(client):
    arrange(client)
    html = client.get("/events/unassigned/CardCharged").get_data(as_text=True)
    for name in ("number", "billing", "expiry", "brand"):
        assert f">{name}<" in html, name
    assert "The card&#39;s number" in html or "The card's number" in html
    # the card itself is an object (it was shown as one field of any type)
    assert '<span class="type">object</span>' in html
