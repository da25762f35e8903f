"""Schema walking: properties, items, $ref/$defs/definitions, combinators, booleans, envelopes."""

from app.core.analysis import classify
from app.core.analysis import field_pointers as document_field_pointers
from app.core.analysis.envelope import unwrap
from app.core.schema import SchemaDocument


def field_pointers(schema):
    """The field pointers of a schema written here as a dict, checked into a document first."""
    return document_field_pointers(SchemaDocument.checked(schema))


def test_properties_nested_objects_and_array_items():
    schema = {
        "type": "object",
        "properties": {
            "order": {"type": "object", "properties": {"id": {"type": "string"}}},
            "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {}}}},
        },
    }
    assert field_pointers(schema) == {"/order", "/order/id", "/lines", "/lines/0/sku"}


def test_local_refs_defs_and_definitions_with_recursion_guard():
    schema = {
        "type": "object",
        "properties": {"node": {"$ref": "#/$defs/node"}, "money": {"$ref": "#/definitions/money"}},
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"name": {}, "child": {"$ref": "#/$defs/node"}},
            }
        },
        "definitions": {"money": {"type": "object", "properties": {"amount": {}, "currency": {}}}},
    }
    pointers = field_pointers(schema)
    assert {"/node/name", "/node/child", "/money/amount", "/money/currency"} <= pointers
    assert not any(p.count("child") > 1 for p in pointers)


def test_all_of_any_of_one_of_are_merged():
    schema = {
        "allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}],
        "anyOf": [{"properties": {"c": {}}}],
        "oneOf": [{"properties": {"d": {}}}, True, False],
    }
    assert field_pointers(schema) >= {"/a", "/b", "/c", "/d"}


def test_boolean_schemas_do_not_break_walking():
    assert field_pointers({"properties": {"x": True, "y": False}}) == {"/x", "/y"}
    assert classify(SchemaDocument.checked(True)).shape == "thin"


def test_eventbridge_schema_envelope_is_unwrapped():
    schema = {
        "type": "object",
        "properties": {
            "detail-type": {"type": "string"},
            "source": {"type": "string"},
            "time": {"type": "string"},
            "detail": {"type": "object", "properties": {"orderId": {"type": "string"}}},
        },
    }
    assert classify(SchemaDocument.checked(schema)).envelope == "eventbridge"
    assert "/orderId" in field_pointers(schema) and "/detail/orderId" in field_pointers(schema)


def test_cloudevents_data_and_generic_payload_are_unwrapped():
    ce = {"specversion": "1.0", "id": "1", "type": "t", "source": "/s", "data": {"a": 1}}
    assert unwrap(ce).kind == "cloudevents" and unwrap(ce).payload == {"a": 1}
    wrapped = {"id": "1", "type": "OrderPlaced", "payload": {"orderId": "o-1"}}
    assert unwrap(wrapped).kind == "payload" and unwrap(wrapped).payload == {"orderId": "o-1"}
    assert unwrap({"orderId": "o-1", "data": {"x": 1}}).kind is None


def test_sns_message_and_pubsub_data_are_decoded():
    sns = {"Type": "Notification", "MessageId": "m", "Message": '{"orderId": "o-1"}'}
    assert unwrap(sns).payload == {"orderId": "o-1"}
    pubsub = {"message": {"data": "eyJhIjogMX0=", "messageId": "1"}, "subscription": "s"}
    assert unwrap(pubsub).payload == {"a": 1}
