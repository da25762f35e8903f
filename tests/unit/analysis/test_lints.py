"""Each lint with a passing and a failing case."""

import pytest

from app.core.analysis import lint as lint_document
from app.core.analysis.tense import is_past_tense
from app.core.schema import SchemaDocument

GOOD_EVENT = {
    "domain": "orders",
    "name": "OrderPlaced",
    "producer": "order-service",
    "aggregate": "Order",
    "bus_domain": "orders",
}
GOOD_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "eventId": {"type": "string", "description": "Unique id of this event."},
        "occurredAt": {"type": "string", "format": "date-time", "description": "When it happened."},
        "orderId": {"type": "string", "description": "The order."},
    },
}


def lint(event, schema, samples=None, shape=None):
    """The lints of a schema written here as a dict, checked into a document first."""
    document = SchemaDocument.checked(schema) if schema is not None else None
    return lint_document(event, document, samples, shape)


def _ids(findings):
    return {f.id for f in findings}


def test_a_good_event_has_no_findings():
    assert lint(GOOD_EVENT, GOOD_SCHEMA) == []


@pytest.mark.parametrize(
    "name",
    [
        "OrderPlaced",
        "InvoiceSent",
        "OrderPaymentFailed",
        "UserLoggedIn",
        "ReportWritten",
        "StockRebuilt",
        "PriceOverridden",
        "SMSSent",
        "ItemSold",
        "TaskDone",
    ],
)
def test_past_tense_names_pass(name):
    assert is_past_tense(name)
    assert "event-name-past-tense" not in _ids(lint({**GOOD_EVENT, "name": name}, GOOD_SCHEMA))


@pytest.mark.parametrize("name", ["PlaceOrder", "OrderPlace", "OrderFeed", "CustomerSpeed"])
def test_non_past_tense_names_fail(name):
    findings = lint({**GOOD_EVENT, "name": name}, GOOD_SCHEMA)
    assert "event-name-past-tense" in _ids(findings)


def test_command_like_name_gets_a_command_hint():
    finding = next(f for f in lint({**GOOD_EVENT, "name": "PlaceOrder"}, GOOD_SCHEMA))
    assert finding.severity == "error" and "command" in finding.hint


@pytest.mark.parametrize("name", ["order_placed", "orderPlaced", "Order.Placed", "ORDERPLACED", ""])
def test_pascal_case(name):
    assert "event-name-pascal-case" in _ids(lint({**GOOD_EVENT, "name": name}, GOOD_SCHEMA))


def test_event_id_and_occurred_at_missing():
    schema = {"type": "object", "properties": {"orderId": {"type": "string", "description": "x"}}}
    ids = _ids(lint(GOOD_EVENT, schema))
    assert {"event-id", "event-occurred-at"} <= ids


def test_event_id_and_time_found_in_an_envelope_sample():
    sample = {
        "id": "1",
        "detail-type": "x",
        "source": "s",
        "time": "2021-01-01T00:00:00Z",
        "detail": {"a": 1},
    }
    ids = _ids(lint(GOOD_EVENT, None, [sample]))
    assert not {"event-id", "event-occurred-at"} & ids


def test_property_description_points_at_the_schema_location():
    schema = {
        **GOOD_SCHEMA,
        "properties": {**GOOD_SCHEMA["properties"], "total": {"type": "number"}},
    }
    findings = [f for f in lint(GOOD_EVENT, schema) if f.id == "property-description"]
    assert [f.pointer for f in findings] == ["/properties/total"]


def test_open_additional_properties_on_a_full_event():
    props = {f"f{i}": {"type": "string", "description": "d"} for i in range(8)}
    schema = {"type": "object", "properties": {**GOOD_SCHEMA["properties"], **props}}
    assert "open-additional-properties" in _ids(lint(GOOD_EVENT, schema, shape="full"))
    closed = {**schema, "additionalProperties": False}
    assert "open-additional-properties" not in _ids(lint(GOOD_EVENT, closed, shape="full"))
    assert "open-additional-properties" not in _ids(lint(GOOD_EVENT, schema, shape="thin"))
    assert "open-additional-properties" in _ids(lint(GOOD_EVENT, schema))  # classified as full


def test_producer_and_aggregate_named():
    ids = _ids(lint({**GOOD_EVENT, "producer": "", "aggregate": None}, GOOD_SCHEMA))
    assert {"producer-named", "aggregate-named"} <= ids


def test_bus_of_another_domain():
    assert "bus-other-domain" in _ids(lint({**GOOD_EVENT, "bus_domain": "billing"}, GOOD_SCHEMA))
    assert "bus-other-domain" not in _ids(lint({**GOOD_EVENT, "bus_domain": None}, GOOD_SCHEMA))


def test_findings_are_sorted_by_severity():
    findings = lint({**GOOD_EVENT, "name": "placeOrder", "aggregate": ""}, {"type": "object"})
    order = ["error", "warning", "info"]
    assert [order.index(f.severity) for f in findings] == sorted(
        order.index(f.severity) for f in findings
    )


def test_a_keyword_the_dialect_ignores_is_a_lint_with_its_pointer():
    from app.core.analysis import lint
    from app.core.schema import SchemaDocument

    schema = {"type": "object", "properties": {"a": {"prefixItems": [{}]}}}
    event = {"domain": "orders", "name": "OrderPlaced", "producer": "p", "aggregate": "Order"}
    found = [f for f in lint(event, SchemaDocument.checked(schema)) if f.id == "keyword-ignored"]
    assert [(f.pointer, f.severity) for f in found] == [("/properties/a/prefixItems", "warning")]
    declared = {**schema, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    assert not [
        f for f in lint(event, SchemaDocument.checked(declared)) if f.id == "keyword-ignored"
    ]
