"""Schema references, data-contract metadata and rule sets, and Confluent subjects through the
native API: the same registry the Confluent-compatible API writes, seen through the other door."""

import re

import pytest

from tests.functional.api.conftest import ADMIN, ok

CUSTOMER = "/api/v1/events/customers/Customer"
ORDER = "/api/v1/events/orders/OrderSubmitted"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CUSTOMER_V1 = {
    "$id": "customer.json",
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
}
ORDER_V1 = {
    "type": "object",
    "required": ["orderId", "customer"],
    "properties": {"orderId": {"type": "string"}, "customer": {"$ref": "customer.json"}},
}
BY_NAME = [{"name": "customer.json", "subject": "customers.Customer", "version": 1}]
METADATA = {"properties": {"owner": "crm", "application.major.version": "1"}, "tags": {}}
RULE_SET = {
    "domainRules": [
        {"name": "checkEmail", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "true"}
    ]
}


@pytest.fixture
def shared(client, orders):
    """customers.Customer at version 1 (owned by checkout, like orders), and the empty event
    orders.OrderSubmitted."""
    domain = {"slug": "customers", "name": "Customers", "owner": "checkout"}
    ok(client.post("/api/v1/domains", json=domain, headers=orders), 201)
    for event in (
        {"domain": "customers", "name": "Customer"},
        {"domain": "orders", "name": "OrderSubmitted"},
    ):
        ok(client.post("/api/v1/events", json=event, headers=orders), 201)
    ok(client.post(f"{CUSTOMER}/versions", json={"schema": CUSTOMER_V1}, headers=orders), 201)
    return orders


def register(client, token, url, status=201, **body):
    return ok(client.post(f"{url}/versions", json=body, headers=token), status)


def test_a_version_references_a_shared_type_and_both_read_back(client, shared):
    customer = ok(client.get(f"{CUSTOMER}/versions/1"))
    assert GUID.match(customer["guid"]) and customer["references"] == []
    assert "metadata" not in customer and "ruleSet" not in customer

    created = register(client, shared, ORDER, schema=ORDER_V1, references=BY_NAME)
    assert (created["version"], created["references"]) == (1, BY_NAME)
    assert GUID.match(created["guid"]) and created["guid"] != customer["guid"]
    again = ok(client.get(f"{ORDER}/versions/1"))
    assert (again["schema"], again["references"], again["guid"]) == (
        ORDER_V1,
        BY_NAME,
        created["guid"],
    )
    listed = ok(client.get(f"{ORDER}/versions"))["items"]
    assert [(v["version"], v["references"]) for v in listed] == [(1, BY_NAME)]

    # The schema by its id: the text itself, as ever, and its details on request.
    raw = client.get(f"/api/v1/schemas/{created['schema_id']}")
    assert (raw.mimetype, raw.get_json()) == ("application/schema+json", ORDER_V1)
    details = client.get(f"/api/v1/schemas/{created['schema_id']}?details=true")
    assert details.headers["ETag"] != raw.headers["ETag"]
    body = ok(details)
    assert (body["id"], body["guid"], body["schema"]) == (
        created["schema_id"],
        created["guid"],
        ORDER_V1,
    )
    assert body["references"] == BY_NAME and "metadata" not in body

    # The $ref reaches into the referenced version: validation follows it.
    event = {"orderId": "o-1", "customer": {"email": "a@b.example"}}
    result = ok(client.post(f"{ORDER}/validate", json={"event": event}))
    assert result["valid"] is False
    assert any(error["path"] == "/customer" for error in result["errors"]), result
    event["customer"]["id"] = "c-1"
    assert ok(client.post(f"{ORDER}/validate", json={"event": event}))["valid"] is True


def test_a_reference_may_name_a_bound_confluent_subject_and_the_latest_version(client, shared):
    binding = {"subjects": ["customers-value"]}
    bound = ok(
        client.put("/api/v1/import/events/customers/Customer/subjects", json=binding, headers=ADMIN)
    )
    assert bound["subjects"] == ["customers-value"]
    latest = [{"name": "customer.json", "subject": "customers-value", "version": -1}]
    created = register(client, shared, ORDER, schema=ORDER_V1, references=latest)
    # Stored as sent, with the number -1 stood for when it was registered.
    assert created["references"] == [
        {"name": "customer.json", "subject": "customers-value", "version": 1}
    ]

    customer = ok(client.get(CUSTOMER))
    assert (customer["subjects"], customer["mode"]) == (["customers-value"], None)
    order = ok(client.get(ORDER))
    assert (order["subjects"], order["mode"]) == (["orders.OrderSubmitted"], None)
    listed = ok(client.get("/api/v1/events?domain=customers"))["items"]
    assert [each["subjects"] for each in listed] == [["customers-value"]]


def test_referenced_by_lists_the_versions_whose_schemas_reference_a_version(client, shared):
    assert ok(client.get(f"{CUSTOMER}/versions/1/referenced-by")) == {"items": [], "next": None}
    created = register(client, shared, ORDER, schema=ORDER_V1, references=BY_NAME)
    items = ok(client.get(f"{CUSTOMER}/versions/1/referenced-by"))["items"]
    assert items == [
        {
            "event": "orders.OrderSubmitted",
            "version": 1,
            "schema_id": created["schema_id"],
            "deleted": False,
            "links": {"self": f"{ORDER}/versions/1"},
        }
    ]
    assert ok(client.get(f"{CUSTOMER}/versions/latest/referenced-by"))["items"] == items
    assert client.get(f"{CUSTOMER}/versions/9/referenced-by").status_code == 404
    assert client.get(f"{CUSTOMER}/versions/x/referenced-by").status_code == 422


def test_a_reference_to_a_missing_subject_or_version_is_422_naming_it(client, shared):
    missing = [{"name": "customer.json", "subject": "nobody-value", "version": 1}]
    problem = client.post(
        f"{ORDER}/versions", json={"schema": ORDER_V1, "references": missing}, headers=shared
    )
    assert problem.status_code == 422
    assert problem.mimetype == "application/problem+json"
    assert "nobody-value" in problem.json["detail"]
    absent = [{"name": "customer.json", "subject": "customers.Customer", "version": 7}]
    problem = client.post(
        f"{ORDER}/versions", json={"schema": ORDER_V1, "references": absent}, headers=shared
    )
    assert problem.status_code == 422
    assert "no version 7" in problem.json["detail"]
    # Without the reference the $ref names nothing.
    alone = client.post(f"{ORDER}/versions", json={"schema": ORDER_V1}, headers=shared)
    assert alone.status_code == 422
    assert ok(client.get(f"{ORDER}"))["last_version"] == 0


@pytest.mark.parametrize(
    "references",
    [
        {"name": "customer.json"},
        [{"name": "customer.json", "subject": "customers.Customer", "version": 0}],
        [{"name": "", "subject": "customers.Customer", "version": 1}],
        [{"name": "customer.json", "subject": "customers.Customer"}],
        BY_NAME + BY_NAME,
    ],
)
def test_malformed_references_are_422(client, shared, references):
    body = {"schema": ORDER_V1, "references": references}
    response = client.post(f"{ORDER}/versions", json=body, headers=shared)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"


def test_a_referenced_version_cannot_be_deleted_for_good(client, shared):
    register(client, shared, ORDER, schema=ORDER_V1, references=BY_NAME)
    ok(client.delete(f"{CUSTOMER}/versions/1", headers=shared))
    refused = client.delete(f"{CUSTOMER}/versions/1?permanent=true", headers=ADMIN)
    assert refused.status_code == 422
    assert "referenced by orders.OrderSubmitted version 1" in refused.json["detail"]
    kept = ok(client.get(f"{CUSTOMER}/versions?deleted=true"))["items"]
    assert [(v["version"], v["deleted"]) for v in kept] == [(1, True)]
    # The referencing version still reads its reference, and still validates through it.
    assert ok(client.get(f"{ORDER}/versions/1"))["references"] == BY_NAME
    event = {"orderId": "o-1", "customer": {}}
    assert ok(client.post(f"{ORDER}/validate", json={"event": event}))["valid"] is False


def test_metadata_and_a_rule_set_are_kept_exactly_as_sent(client, shared):
    created = register(
        client, shared, CUSTOMER, schema=CUSTOMER_V1, metadata=METADATA, ruleSet=RULE_SET
    )
    assert created["version"] == 2
    assert (created["metadata"], created["ruleSet"]) == (METADATA, RULE_SET)
    again = ok(client.get(f"{CUSTOMER}/versions/2"))
    assert (again["metadata"], again["ruleSet"]) == (METADATA, RULE_SET)
    details = ok(client.get(f"/api/v1/schemas/{created['schema_id']}?details=true"))
    assert (details["metadata"], details["ruleSet"]) == (METADATA, RULE_SET)
    # Sent again, it is the same content: the same version.
    same = register(
        client, shared, CUSTOMER, 200, schema=CUSTOMER_V1, metadata=METADATA, ruleSet=RULE_SET
    )
    assert (same["version"], same["schema_id"]) == (2, created["schema_id"])


def test_the_same_schema_with_other_metadata_is_other_content(client, shared):
    first = ok(client.get(f"{CUSTOMER}/versions/1"))
    tagged = register(client, shared, CUSTOMER, schema=CUSTOMER_V1, metadata=METADATA)
    retagged = {**METADATA, "properties": {**METADATA["properties"], "owner": "billing"}}
    other = register(client, shared, CUSTOMER, schema=CUSTOMER_V1, metadata=retagged)
    ids = [first["schema_id"], tagged["schema_id"], other["schema_id"]]
    assert len(set(ids)) == 3
    assert len({first["guid"], tagged["guid"], other["guid"]}) == 3
    assert first["fingerprint"] != tagged["fingerprint"] != other["fingerprint"]
    # The same content elsewhere has the same id.
    copy = register(client, shared, ORDER, schema=CUSTOMER_V1, metadata=METADATA)
    assert (copy["schema_id"], copy["guid"]) == (tagged["schema_id"], tagged["guid"])


def test_an_event_type_shows_its_own_mode(client, shared):
    settings = "/api/v1/import/events/customers/Customer/settings"
    shown = ok(client.put(settings, json={"mode": "READONLY"}, headers=ADMIN))
    assert (shown["mode"], shown["compatibility_group"]) == ("READONLY", None)
    assert ok(client.get(CUSTOMER))["mode"] == "READONLY"
    refused = client.post(
        f"{CUSTOMER}/versions", json={"schema": {"type": "object"}}, headers=shared
    )
    assert refused.status_code == 422 and "read-only" in refused.json["detail"]
    ok(client.put(settings, json={"mode": None}, headers=ADMIN))
    assert ok(client.get(CUSTOMER))["mode"] is None
    assert ok(client.get("/api/v1/config"))["mode"] == "READWRITE"


def test_the_openapi_document_describes_references_and_referenced_by(client):
    document = ok(client.get("/api/v1/openapi.json"))
    register_body = document["components"]["schemas"]["version-register"]["properties"]
    assert {"references", "metadata", "ruleSet"} <= set(register_body)
    path = "/api/v1/events/{domain}/{name}/versions/{number}/referenced-by"
    assert "get" in document["paths"][path]
    parameters = document["paths"]["/api/v1/schemas/{schema_id}"]["get"]["parameters"]
    assert "details" in {each["name"] for each in parameters}


def test_the_compatibility_test_judges_a_schema_with_its_references(client, shared):
    register(client, shared, ORDER, schema=ORDER_V1, references=BY_NAME)
    url = f"{ORDER}/compatibility"
    same = ok(client.post(url, json={"schema": ORDER_V1, "references": BY_NAME}))
    assert same["compatible"] is True
    # without its references the $ref names nothing: refused as an invalid schema
    refused = client.post(url, json={"schema": ORDER_V1})
    assert refused.status_code == 422
    assert "customer.json" in refused.get_data(as_text=True)
    missing = [{**BY_NAME[0], "version": 9}]
    assert client.post(url, json={"schema": ORDER_V1, "references": missing}).status_code == 422
