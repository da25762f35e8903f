"""Field consistency across the catalogue: the field index of one schema, and the type and
format conflicts between event types (app.core.analysis.consistency)."""

from app.core.analysis.consistency import ConflictKind, FieldUse, conflicts, index_fields
from app.core.schema import SchemaDocument


def fields_of(event: str, schema: dict, version: int = 1) -> list[FieldUse]:
    document = SchemaDocument.checked(schema)
    return [FieldUse(event, version, found) for found in index_fields(document)]


def customer(kind, fmt=None) -> dict:
    field = {"type": kind, **({"format": fmt} if fmt else {})}
    return {"type": "object", "properties": {"customerId": field}}


def test_the_index_follows_references_into_array_items_with_name_type_format_and_required():
    schema = {
        "type": "object",
        "required": ["customerId"],
        "properties": {
            "customerId": {"type": "string", "format": "uuid", "description": "Who ordered."},
            "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}},
        },
        "$defs": {"line": {"type": "object", "properties": {"sku": {"type": ["string", "null"]}}}},
    }
    found = {f.pointer: f for f in index_fields(SchemaDocument.checked(schema))}
    assert set(found) == {"/customerId", "/lines", "/lines/0/sku"}
    assert found["/customerId"].required and not found["/lines"].required
    customer_id = found["/customerId"]
    assert (customer_id.format, customer_id.description) == ("uuid", "Who ordered.")
    sku = found["/lines/0/sku"]
    assert (sku.name, sku.json_type, sku.types) == ("sku", "string", "string | null")


def test_a_name_with_two_json_types_in_two_event_types_is_a_type_conflict():
    uses = fields_of("orders.OrderPlaced", customer("string"))
    uses += fields_of("payments.PaymentTaken", customer("integer"))
    (conflict,) = conflicts(uses)
    assert (conflict.kind, conflict.name) == (ConflictKind.TYPE, "customerId")
    assert conflict.events == ["orders.OrderPlaced", "payments.PaymentTaken"]
    finding = conflict.finding("payments.PaymentTaken")
    assert (finding.id, finding.severity, finding.pointer) == (
        "field-type-conflict",
        "warning",
        "/customerId",
    )
    assert "integer in payments.PaymentTaken (/customerId)" in finding.message
    assert "string in orders.OrderPlaced (/customerId)" in finding.message


def test_same_type_with_different_formats_is_a_format_conflict():
    uses = fields_of("orders.OrderPlaced", customer("string", "uuid"))
    uses += fields_of("payments.PaymentTaken", customer("string", "uri"))
    (conflict,) = conflicts(uses)
    assert conflict.kind is ConflictKind.FORMAT
    assert conflict.to_dict()["id"] == "field-format-conflict"


def test_agreement_nullability_no_type_no_format_and_one_event_are_no_conflict():
    nullable = {"type": "object", "properties": {"customerId": {"type": ["string", "null"]}}}
    untyped = {"type": "object", "properties": {"customerId": {"description": "anything"}}}
    uses = fields_of("orders.OrderPlaced", customer("string", "uuid"))
    uses += fields_of("orders.OrderShipped", nullable)
    uses += fields_of("orders.OrderPacked", untyped)
    uses += fields_of("orders.OrderPaid", customer("string"))
    assert conflicts(uses) == []
    inner = {
        "type": "object",
        "properties": {
            "customerId": {"type": "string"},
            "legacy": {"type": "object", "properties": {"customerId": {"type": "integer"}}},
        },
    }
    assert conflicts(fields_of("orders.OrderPlaced", inner)) == []


def test_a_container_and_a_value_of_one_name_are_no_conflict():
    # A Money object around an integer amount, and Stripe's expandable references (an id here,
    # the expanded object there), are designs, not disagreements.
    money = {"type": "object", "properties": {"amount": {"type": "integer"}}}
    uses = fields_of("payments.PaymentTaken", {"type": "object", "properties": {"amount": money}})
    uses += fields_of(
        "orders.OrderPlaced", {"type": "object", "properties": {"amount": {"type": "integer"}}}
    )
    customer_object = {"type": "object", "properties": {"id": {"type": "string"}}}
    uses += fields_of("orders.OrderPaid", customer("string"))
    uses += fields_of(
        "billing.InvoiceSent", {"type": "object", "properties": {"customerId": customer_object}}
    )
    listed = {
        "type": "object",
        "properties": {"customerId": {"type": "array", "items": {"type": "string"}}},
    }
    uses += fields_of("billing.InvoiceMerged", listed)
    assert conflicts(uses) == []
    uses += fields_of("orders.OrderRefunded", customer("integer"))
    assert [(c.kind, c.name) for c in conflicts(uses)] == [(ConflictKind.TYPE, "customerId")]
