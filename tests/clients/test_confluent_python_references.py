"""Schema references through confluent-kafka 2.16.1: a shared Customer schema, an Order that
``$ref``s it by the reference's name, serialized and read back, and the compatibility of a new
Customer version. The Customer carries ``"$id": "customer.json"`` too, so that the Node client
(which resolves references by ``$id``, not by name) reads the same schemas."""

from __future__ import annotations

import json

import pytest
from confluent_kafka.schema_registry import (
    Schema,
    SchemaReference,
    SchemaRegistryClient,
    SchemaRegistryError,
)
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, SerializationError

from tests.clients.conftest import basic_conf, closed, event_of
from tests.conftest import ADMIN_TOKEN

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def customer(*required: str, **more: str) -> str:
    document = json.loads(
        closed("Customer", ("customerId", *required), customerId="string", name="string", **more)
    )
    return json.dumps({"$id": "customer.json", **document})


CUSTOMER_V1 = customer()
CUSTOMER_V2 = customer(email="string")  # a new optional field: BACKWARD compatible
CUSTOMER_BREAKING = customer("email", email="string")  # a new required one: not
ORDER_WITH_CUSTOMER = json.dumps(
    {
        "$schema": DRAFT_07,
        "title": "OrderPlaced",
        "type": "object",
        "additionalProperties": False,
        "required": ["orderId", "customer"],
        "properties": {"orderId": {"type": "string"}, "customer": {"$ref": "customer.json"}},
    }
)
ORDER = {"orderId": "o-1", "customer": {"customerId": "c-1", "name": "Ada"}}
TOPIC = {"subject.name.strategy.type": "TOPIC"}


def order_schema(customer_version: int) -> Schema:
    reference = SchemaReference("customer.json", "Customer", customer_version)
    return Schema(ORDER_WITH_CUSTOMER, "JSON", [reference])


def value_of(topic: str = "orders") -> SerializationContext:
    return SerializationContext(topic, MessageField.VALUE)


def read(served, data: bytes) -> object:
    with SchemaRegistryClient(basic_conf(served.url, ADMIN_TOKEN)) as fresh:
        return JSONDeserializer(None, schema_registry_client=fresh, conf=TOPIC)(data, value_of())


def test_an_order_referencing_a_customer(registry, served, native):
    shared = registry.register_schema_full_response("Customer", Schema(CUSTOMER_V1, "JSON"))
    serializer = JSONSerializer(order_schema(1), registry, conf=TOPIC)
    assert served.sent("GET", "/subjects/Customer/versions/1?deleted=true")  # resolved up front
    data = serializer(ORDER, value_of())
    with pytest.raises(SerializationError):  # the referenced schema validates too
        serializer({**ORDER, "customer": {"name": "Ada"}}, value_of())

    order = registry.get_latest_version("orders-value")
    assert order.schema_id == int.from_bytes(data[1:5], "big")
    assert order.schema.references == [SchemaReference("customer.json", "Customer", 1)]
    assert registry.get_schema(order.schema_id).references == order.schema.references
    assert registry.lookup_schema("orders-value", order_schema(1)).version == 1
    assert registry.get_referenced_by("Customer", 1) == [order.schema_id]

    served.forget()
    assert read(served, data) == ORDER
    assert served.sent("GET", "/subjects/Customer/versions/1?deleted=true")

    # A soft-deleted Customer version still resolves (the clients ask with deleted=true), but
    # cannot be deleted for good while the order uses it.
    assert registry.delete_version("Customer", 1) == 1
    assert read(served, data) == ORDER
    with pytest.raises(SchemaRegistryError) as raised:
        registry.delete_version("Customer", 1, permanent=True)
    assert (raised.value.http_status_code, raised.value.error_code) == (422, 42206)

    assert event_of(native, "unassigned", "Customer")["subjects"] == ["Customer"]
    placed = event_of(native, "unassigned", "OrderPlaced")
    assert (placed["subjects"], placed["last_version"]) == (["orders-value"], 1)
    assert shared.schema_id != order.schema_id


def test_a_new_customer_version_and_the_orders_that_use_it(registry, served, native):
    registry.register_schema("Customer", Schema(CUSTOMER_V1, "JSON"))
    first = JSONSerializer(order_schema(1), registry, conf=TOPIC)(ORDER, value_of())

    assert registry.test_compatibility("Customer", Schema(CUSTOMER_V2, "JSON")) is True
    assert registry.test_compatibility("Customer", Schema(CUSTOMER_BREAKING, "JSON")) is False
    with pytest.raises(SchemaRegistryError) as raised:
        registry.register_schema("Customer", Schema(CUSTOMER_BREAKING, "JSON"))
    assert (raised.value.http_status_code, raised.value.error_code) == (409, 409)
    assert (
        registry.register_schema_full_response("Customer", Schema(CUSTOMER_V2, "JSON")).version == 2
    )

    # The order pointing at Customer version 2 is a new content, compatible with version 1.
    assert registry.test_compatibility("orders-value", order_schema(2)) is True
    assert registry.test_compatibility_all_versions("orders-value", order_schema(2)) is True
    with_email = {**ORDER, "customer": {**ORDER["customer"], "email": "ada@example.com"}}
    second = JSONSerializer(order_schema(2), registry, conf=TOPIC)(with_email, value_of())
    assert second[1:5] != first[1:5]
    assert registry.get_versions("orders-value") == [1, 2]
    assert registry.get_referenced_by("Customer", 2) == [int.from_bytes(second[1:5], "big")]

    assert read(served, first) == ORDER
    assert read(served, second) == with_email
    assert event_of(native, "unassigned", "Customer")["last_version"] == 2
    assert event_of(native, "unassigned", "OrderPlaced")["last_version"] == 2
