"""Confluent-style schema references: a schema names other registered schemas
(``references: [{"name", "subject", "version"}]``) and its ``$ref`` reaches them by that name.

Resolution stays local (the referenced documents are handed in, nothing is fetched): by the
name, by the name resolved against the schema's ``$id``, by the referenced schema's own ``$id``,
into fragments and anchors, transitively. Checks, fingerprints, validation and the
compatibility engine all see the referenced schemas.
"""

from __future__ import annotations

import dataclasses
import hashlib
import socket
from typing import Any

import pytest

from app.core import compatibility
from app.core.schema import Dialect, InvalidSchema, Reference, SchemaDocument
from app.core.validation import validate_event
from app.core.vocabulary import CompatibilityLevel

S20 = "https://json-schema.org/draft/2020-12/schema"
LOOP = "without reading any part of the value"


def customer(*names: str, closed: bool = True, **extra: Any) -> dict:
    """A customer schema with string properties ``names`` and an Address definition."""
    schema = {
        "type": "object",
        "properties": {name: {"type": "string"} for name in names},
        "required": ["id"],
        "$defs": {
            "Address": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            }
        },
        **extra,
    }
    if closed:
        schema["additionalProperties"] = False
    return schema


def ref(name: str, document: SchemaDocument, version: int = 1, subject: str = "") -> Reference:
    return Reference(name, subject or f"shared.{name.split('.')[0]}", version, document)


CUSTOMER_1 = customer("id", "name")
CUSTOMER_2 = customer("id")  # "name" removed from a closed object
CUSTOMER_3 = customer("id", "name", "email")  # "email" added to a closed object


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a reference was fetched over the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def with_customer(schema: Any, version: int = 1, raw: Any = None) -> SchemaDocument:
    referenced = SchemaDocument.checked(raw if raw is not None else CUSTOMER_1)
    return SchemaDocument.checked(schema, references=[ref("customer.json", referenced, version)])


def order(*refs: str) -> dict:
    return {
        "type": "object",
        "properties": {f"p{n}": {"$ref": each} for n, each in enumerate(refs)},
    }


# --- resolution --------------------------------------------------------------------------


def test_a_ref_by_the_reference_name_leads_into_the_referenced_schema():
    document = with_customer(order("customer.json"))
    target = document.resolve(document.raw["properties"]["p0"])
    assert target.schema == CUSTOMER_1
    assert target.pointer is None  # not in the document's own text
    assert (target.place.resource, target.place.pointer, target.uri) == (
        "customer.json",
        "",
        "customer.json",
    )
    where = document.locate("/properties/p0/properties/name", into_refs=True)
    assert where == type(where)("customer.json#/properties/name", ("/properties/p0/$ref",))


def test_a_relative_ref_resolves_against_the_schemas_id():
    schema = {
        "$id": "https://example.com/orders/order.json",
        **order("customer.json", "https://example.com/orders/customer.json"),
    }
    document = with_customer(schema)
    holders = document.raw["properties"]
    for name in ("p0", "p1"):
        assert document.resolve(holders[name]).schema == CUSTOMER_1
    assert document.resolve(holders["p0"]).uri == "https://example.com/orders/customer.json"
    assert validate_event(document, {"p0": {"id": "c1"}, "p1": {"id": "c2"}}) == []
    assert [e.path for e in validate_event(document, {"p1": {"id": 1}})] == ["/p1/id"]


def test_a_ref_by_the_referenced_schemas_own_id():
    identified = customer("id", "name", **{"$id": "https://example.com/shared/customer.json"})
    document = with_customer(order("https://example.com/shared/customer.json"), raw=identified)
    assert document.resolve(document.raw["properties"]["p0"]).schema == identified
    errors = validate_event(document, {"p0": {"id": "c1", "other": 1}})
    assert [(e.path, e.schema_path) for e in errors] == [
        ("/p0", "customer.json#/additionalProperties")
    ]


def test_fragments_and_anchors_inside_a_referenced_schema():
    # The referenced schema is 2020-12 (its $anchor is read by its own dialect's rules) while
    # the referring one is the default draft-07.
    anchored = customer("id", **{"$schema": S20})
    anchored["$defs"]["Address"]["$anchor"] = "address"
    document = with_customer(
        order("customer.json#/$defs/Address", "customer.json#address"), raw=anchored
    )
    assert document.dialect is Dialect.DRAFT7
    address = anchored["$defs"]["Address"]
    for name in ("p0", "p1"):
        target = document.resolve(document.raw["properties"][name])
        assert target.schema == address
        assert (target.place.resource, target.place.pointer) == ("customer.json", "/$defs/Address")
    errors = validate_event(document, {"p0": {}, "p1": {"city": 5}})
    assert [(e.path, e.schema_path, e.refs) for e in errors] == [
        ("/p0", "customer.json#/$defs/Address/required", ("/properties/p0/$ref",)),
        ("/p1/city", "customer.json#/$defs/Address/properties/city/type", ("/properties/p1/$ref",)),
    ]


def test_references_of_a_referenced_schema_are_followed():
    address = SchemaDocument.checked(
        {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    )
    shared = {
        "$id": "https://example.com/shared/customer.json",
        "type": "object",
        "properties": {"address": {"$ref": "address.json"}},
    }
    referenced = SchemaDocument.checked(shared, references=[ref("address.json", address)])
    schema = {"$id": "https://example.com/orders/order.json", **order("customer.json")}
    document = SchemaDocument.checked(schema, references=[ref("customer.json", referenced)])
    where = document.locate("/properties/p0/properties/address/properties/city", into_refs=True)
    assert where.pointer == "address.json#/properties/city"
    assert where.refs == ("/properties/p0/$ref", "customer.json#/properties/address/$ref")
    assert validate_event(document, {"p0": {"address": {"city": "Oslo"}}}) == []
    errors = validate_event(document, {"p0": {"address": {"city": 3}}})
    assert [(e.path, e.schema_path) for e in errors] == [
        ("/p0/address/city", "address.json#/properties/city/type")
    ]


def test_a_ref_naming_no_reference_is_refused_with_its_pointer():
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked(order("#/$defs/Here", "customer.json"))
    problems = [(p.pointer, p.message) for p in caught.value.problems]
    assert [pointer for pointer, _ in problems] == ["/properties/p0/$ref", "/properties/p1/$ref"]
    assert '"customer.json" does not resolve' in problems[1][1]
    assert "Confluent-style references" in problems[1][1]
    assert "never fetches remote references" in problems[1][1]


def test_a_ref_into_a_missing_fragment_of_a_referenced_schema_is_refused():
    with pytest.raises(InvalidSchema) as caught:
        with_customer(order("customer.json#/$defs/Nothing"))
    [problem] = caught.value.problems
    assert problem.pointer == "/properties/p0/$ref"
    assert "nothing is at that JSON pointer" in problem.message


def test_two_references_of_one_name_are_refused():
    referenced = SchemaDocument.checked(CUSTOMER_1)
    twice = [ref("customer.json", referenced, 1), ref("customer.json", referenced, 2)]
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked(order("customer.json"), references=twice)
    assert "two references are named" in caught.value.problems[0].message


# --- loops that cross documents ------------------------------------------------------------


def test_a_loop_back_through_a_referenced_schema_is_refused():
    # b.json's $ref names the referring schema's own $id: A -> B -> A, reading nothing.
    back = SchemaDocument.stored('{"$ref":"https://example.com/a.json"}', Dialect.DRAFT7)
    schema = {"$schema": S20, "$id": "https://example.com/a.json", "$ref": "b.json"}
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked(schema, references=[ref("b.json", back)])
    [problem] = caught.value.problems
    assert problem.pointer == "/$ref"
    assert "leads back to itself" in problem.message and LOOP in problem.message


def test_a_loop_between_referenced_schemas_is_refused():
    # b.json refers to c.json, whose own reference "b.json" is b.json again (one name, one
    # schema): B -> C -> B, reached from the new schema.
    text_b = '{"$ref":"c.json"}'
    first_b = SchemaDocument.stored(text_b, Dialect.DRAFT7)
    c = SchemaDocument.stored(
        '{"allOf":[{"$ref":"b.json"}]}', Dialect.DRAFT7, [ref("b.json", first_b)]
    )
    b = SchemaDocument.stored(text_b, Dialect.DRAFT7, [ref("c.json", c)])
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked(order("b.json"), references=[ref("b.json", b, 2)])
    [problem] = caught.value.problems
    assert problem.pointer == "/properties/p0/$ref"
    assert "leads into a loop of references" in problem.message and LOOP in problem.message


def test_recursion_through_a_referenced_schema_that_reads_the_value_is_accepted():
    children = {"type": "array", "items": {"$ref": "#"}}
    tree = SchemaDocument.checked({"type": "object", "properties": {"children": children}})
    document = SchemaDocument.checked(order("tree.json"), references=[ref("tree.json", tree)])
    assert validate_event(document, {"p0": {"children": [{"children": []}]}}) == []
    errors = validate_event(document, {"p0": {"children": [{"children": 1}]}})
    assert [e.path for e in errors] == ["/p0/children/0/children"]


# --- fingerprints and the references' JSON -------------------------------------------------


def test_the_fingerprint_without_references_is_the_texts():
    document = SchemaDocument.checked({"type": "string"})
    assert document.references == ()
    assert document.fingerprint == hashlib.sha256(b'{"type":"string"}').hexdigest()
    assert document.references_json() == []
    stored = SchemaDocument.stored(document.canonical, document.dialect)
    assert stored.fingerprint == document.fingerprint


def test_the_same_text_with_other_references_is_other_content():
    plain = SchemaDocument.checked(order("#"))
    one = with_customer(order("customer.json"), version=1)
    again = with_customer(order("customer.json"), version=1)
    two = with_customer(order("customer.json"), version=2, raw=CUSTOMER_2)
    assert one.canonical == two.canonical
    assert one.fingerprint == again.fingerprint
    assert len({plain.fingerprint, one.fingerprint, two.fingerprint}) == 3
    assert one.fingerprint != hashlib.sha256(one.canonical.encode()).hexdigest()
    assert two.references_json() == [
        {"name": "customer.json", "subject": "shared.customer", "version": 2}
    ]
    stored = SchemaDocument.stored(one.canonical, one.dialect, one.references)
    assert stored.fingerprint == one.fingerprint
    trusted = SchemaDocument.trusted(order("customer.json"), references=one.references)
    assert trusted.fingerprint == one.fingerprint


def test_a_reference_is_a_frozen_value():
    reference = ref("customer.json", SchemaDocument.checked(CUSTOMER_1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        reference.name = "other.json"  # type: ignore[misc]


# --- validation ----------------------------------------------------------------------------


def test_events_validate_through_a_reference():
    document = with_customer(order("customer.json"))
    assert validate_event(document, {"p0": {"id": "c1", "name": "Ada"}}) == []
    errors = validate_event(document, {"p0": {"name": 7}})
    assert [e.to_dict() for e in errors] == [
        {
            "path": "/p0",
            "schema_path": "customer.json#/required",
            "message": '"id" is a required property',
            "refs": ["/properties/p0/$ref"],
        },
        {
            "path": "/p0/name",
            "schema_path": "customer.json#/properties/name/type",
            "message": '7 is not of type "string"',
            "refs": ["/properties/p0/$ref"],
        },
    ]


def test_the_validator_is_built_once_per_document():
    from app.core.validation import compiled

    document = with_customer(order("customer.json"))
    assert compiled(document) is compiled(document)


# --- compatibility across referenced versions ----------------------------------------------


def versions(second: dict) -> tuple[SchemaDocument, SchemaDocument]:
    # The same text on both sides (one object, even): only the referenced version differs.
    schema = order("customer.json")
    return with_customer(schema, 1, CUSTOMER_1), with_customer(schema, 2, second)


def test_a_property_removed_from_a_closed_referenced_schema_breaks_backward():
    old, new = versions(CUSTOMER_2)
    [difference] = compatibility.compare(old, new)
    assert difference.type == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    assert difference.path == "/properties/p0/properties/name"
    assert difference.old_pointer == "customer.json#/properties/name"
    assert difference.new_pointer is None
    assert difference.refs == (("/properties/p0/$ref",), ("/properties/p0/$ref",))
    result = compatibility.check([(1, old)], new, CompatibilityLevel.BACKWARD)
    assert (result.compatible, result.failed_version, result.direction) == (
        False,
        1,
        "backward",
    )
    assert compatibility.check([(1, old)], new, CompatibilityLevel.FORWARD).compatible


def test_a_property_added_to_a_closed_referenced_schema_breaks_forward():
    old, new = versions(CUSTOMER_3)
    assert compatibility.check([(1, old)], new, CompatibilityLevel.BACKWARD).compatible
    result = compatibility.check([(1, old)], new, CompatibilityLevel.FORWARD)
    assert (result.compatible, result.direction) == (False, "forward")
    assert [d.path for d in result.differences] == ["/properties/p0/properties/email"]
    assert [d.new_pointer for d in result.differences] == ["customer.json#/properties/email"]
    assert not compatibility.check([(1, old)], new, CompatibilityLevel.FULL).compatible


def test_the_same_referenced_schema_under_another_version_number_is_compatible():
    old, new = versions(CUSTOMER_1)
    assert compatibility.compare(old, new) == []
    assert compatibility.check([(1, old)], new, CompatibilityLevel.FULL_TRANSITIVE).compatible


def test_an_open_referenced_schema_gaining_an_optional_property_follows_the_policy():
    old = with_customer(order("customer.json"), 1, customer("id", closed=False))
    new = with_customer(order("customer.json"), 2, customer("id", "email", closed=False))
    [difference] = compatibility.compare(old, new)
    assert difference.type == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    assert difference.new_pointer == "customer.json#/properties/email"
    # Strict: old data may carry "email" of any type; lenient takes Confluent's view.
    assert not compatibility.check([(1, old)], new, CompatibilityLevel.FULL).compatible
    assert compatibility.check([(1, old)], new, CompatibilityLevel.FULL, "lenient").compatible
