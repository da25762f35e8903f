"""References: a schema names other registered versions ({name, subject, version}) and uses
them with "$ref": <name>; the references are stored, returned, part of the identity, block the
permanent removal of what they reference, and show up in referencedby.
The core resolves "$ref" into a reference's document (JSON Schema validation and
compatibility both see the referenced schema)."""

import json

from tests.functional.confluent.conftest import (
    ADMIN,
    audit,
    fails,
    ok,
    register,
    registered,
)

ADDRESS = json.dumps(
    {
        "title": "Address",
        "type": "object",
        "additionalProperties": False,
        "required": ["city"],
        "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
    }
)
ADDRESS_V2 = json.dumps(
    {
        "title": "Address",
        "type": "object",
        "additionalProperties": False,
        "required": ["city"],
        "properties": {
            "city": {"type": "string"},
            "zip": {"type": "string"},
            "street": {"type": "string"},
        },
    }
)
CUSTOMER = json.dumps(
    {
        "title": "CustomerMoved",
        "type": "object",
        "additionalProperties": False,
        "required": ["customerId", "address"],
        "properties": {
            "customerId": {"type": "string"},
            "address": {"$ref": "address.json"},
        },
    }
)


def reference(version: int = 1, subject: str = "address-value") -> list[dict]:
    return [{"name": "address.json", "subject": subject, "version": version}]


def arrange(client) -> tuple[dict, dict]:
    address = registered(client, "address-value", ADDRESS)
    customer = registered(client, "customers-value", CUSTOMER, references=reference())
    return address, customer


def test_a_schema_with_a_reference_registers_and_returns_its_references(client):
    address, customer = arrange(client)
    assert customer["version"] == 1
    assert customer["id"] != address["id"]
    found = ok(client.get("/ccompat/subjects/customers-value/versions/1"))
    assert found["references"] == reference()
    assert json.loads(found["schema"]) == json.loads(CUSTOMER)
    by_id = ok(client.get(f"/ccompat/schemas/ids/{customer['id']}"))
    assert by_id["references"] == reference()
    assert ok(client.get(f"/ccompat/schemas/guids/{customer['guid']}"))["references"] == reference()


def test_registering_the_same_schema_and_references_again_is_idempotent(client):
    _, customer = arrange(client)
    again = registered(client, "customers-value", CUSTOMER, references=reference())
    assert again == customer
    found = ok(
        client.post(
            "/ccompat/subjects/customers-value",
            json={"schema": CUSTOMER, "references": reference()},
        )
    )
    assert (found["version"], found["id"]) == (1, customer["id"])


def test_references_are_part_of_the_identity(client):
    _, customer = arrange(client)
    registered(client, "address-value", ADDRESS_V2)
    newer = registered(client, "customers-value", CUSTOMER, references=reference(2))
    assert newer["id"] != customer["id"]
    assert newer["version"] == 2
    assert ok(client.get("/ccompat/subjects/customers-value/versions/2"))["references"] == (
        reference(2)
    )


def test_version_minus_one_references_the_latest_live_version(client):
    registered(client, "address-value", ADDRESS)
    registered(client, "address-value", ADDRESS_V2)
    made = registered(client, "customers-value", CUSTOMER, references=reference(-1))
    found = ok(client.get(f"/ccompat/schemas/ids/{made['id']}"))
    assert found["references"] == reference(2)


def test_a_reference_to_a_missing_subject_or_version_is_42201(client):
    registered(client, "address-value", ADDRESS)
    missing_subject = reference(1, "nowhere-value")
    message = fails(
        register(client, "customers-value", CUSTOMER, references=missing_subject), 422, 42201
    )
    assert "nowhere-value" in message
    fails(register(client, "customers-value", CUSTOMER, references=reference(7)), 422, 42201)
    fails(client.get("/ccompat/subjects/customers-value/versions"), 404, 40401)


def test_a_ref_to_a_name_no_reference_gives_is_42201(client):
    fails(register(client, "customers-value", CUSTOMER), 422, 42201)


def test_referencedby_names_the_ids_that_reference_a_version(client):
    _, customer = arrange(client)
    other = json.dumps(
        {
            "title": "ShopOpened",
            "type": "object",
            "properties": {"address": {"$ref": "address.json"}},
        }
    )
    shop = registered(client, "shops-value", other, references=reference())
    url = "/ccompat/subjects/address-value/versions/1/referencedby"
    assert ok(client.get(url)) == sorted([customer["id"], shop["id"]])
    assert ok(client.get("/ccompat/subjects/customers-value/versions/1/referencedby")) == []


def test_a_referenced_version_cannot_be_deleted_permanently(client):
    arrange(client)
    url = "/ccompat/subjects/address-value/versions/1"
    assert ok(client.delete(url, headers=ADMIN)) == 1  # a soft delete is allowed
    fails(client.delete(f"{url}?permanent=true", headers=ADMIN), 422, 42206)
    fails(
        client.delete("/ccompat/subjects/address-value?permanent=true", headers=ADMIN), 422, 42206
    )
    assert ok(client.get("/ccompat/subjects/address-value/versions?deleted=true")) == [1]


def test_once_the_referencing_subject_is_purged_the_referenced_version_may_go(client):
    address, customer = arrange(client)
    url = "/ccompat/subjects/address-value/versions/1"
    ok(client.delete(url, headers=ADMIN))
    ok(client.delete("/ccompat/subjects/customers-value", headers=ADMIN))
    ok(client.delete("/ccompat/subjects/customers-value?permanent=true", headers=ADMIN))
    assert ok(client.delete(f"{url}?permanent=true", headers=ADMIN)) == 1
    # hard-deleted content answers 40403, as on Confluent; the purged referrer's reference is
    # dropped, with an audit entry
    fails(client.get(f"/ccompat/schemas/ids/{customer['id']}"), 404, 40403)
    fails(client.get(f"/ccompat/schemas/ids/{address['id']}"), 404, 40403)
    dropped = audit(client, action="schema.unreference")
    assert [entry["target"] for entry in dropped] == [f"schema:{customer['id']}"]
    # and no id is ever given to other content (SQLite would reuse the highest row id)
    other = registered(client, "others-value", schema_text("Other"))
    assert other["id"] > max(address["id"], customer["id"])


def schema_text(title: str) -> str:
    return json.dumps({"title": title, "type": "object"})


def test_a_referenced_schema_is_used_when_validating_compatibility(client):
    arrange(client)
    loose = json.loads(CUSTOMER)
    loose["required"] = ["customerId", "address", "since"]
    loose["properties"]["since"] = {"type": "string"}
    url = "/ccompat/compatibility/subjects/customers-value/versions/latest"
    body = {"schema": json.dumps(loose), "references": reference()}
    assert ok(client.post(url, json=body)) == {"is_compatible": False}
    same = {"schema": CUSTOMER, "references": reference()}
    assert ok(client.post(url, json=same)) == {"is_compatible": True}
