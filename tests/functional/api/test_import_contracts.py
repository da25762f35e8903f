"""The import routes restore what the Confluent door stores: each content's GUID, references,
metadata and rule set, the subjects bound to event types, and modes and compatibility groups."""

import pytest

from tests.functional.api.conftest import ADMIN, ok

IMPORTS = "/api/v1/import"
CUSTOMER = "/api/v1/events/customers/Customer"
ORDER = "/api/v1/events/orders/OrderSubmitted"
GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
OTHER_GUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
CUSTOMER_V1 = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
ORDER_V1 = {"type": "object", "properties": {"customer": {"$ref": "customer.json"}}}
METADATA = {"properties": {"owner": "crm"}}
RULE_SET = {"domainRules": []}
REFERENCES = [{"name": "customer.json", "subject": "customers-value", "version": 1}]


@pytest.fixture
def events(client, orders):
    """customers.Customer and orders.OrderSubmitted, without versions."""
    domain = {"slug": "customers", "name": "Customers", "owner": "checkout"}
    ok(client.post("/api/v1/domains", json=domain, headers=orders), 201)
    for event in (
        {"domain": "customers", "name": "Customer"},
        {"domain": "orders", "name": "OrderSubmitted"},
    ):
        ok(client.post("/api/v1/events", json=event, headers=orders), 201)
    return orders


@pytest.fixture
def registry_settings_reset(client):
    """The settings row outlives the test on PostgreSQL: put its mode and group back."""
    yield
    body = {"mode": "READWRITE", "compatibility_group": None}
    ok(client.put(f"{IMPORTS}/settings", json=body, headers=ADMIN))


def restore(client, path, status=201, **body):
    return ok(
        client.post(f"{IMPORTS}{path.removeprefix('/api/v1')}/versions", json=body, headers=ADMIN),
        status,
    )


def bind(client, path, *names, status=200):
    url = f"{IMPORTS}{path.removeprefix('/api/v1')}/subjects"
    return ok(client.put(url, json={"subjects": list(names)}, headers=ADMIN), status)


def test_a_version_keeps_its_guid_metadata_rule_set_and_references(client, events):
    bind(client, CUSTOMER, "customers-value")
    customer = restore(
        client,
        CUSTOMER,
        version=1,
        schema=CUSTOMER_V1,
        guid=GUID,
        metadata=METADATA,
        ruleSet=RULE_SET,
    )
    assert (customer["guid"], customer["metadata"], customer["ruleSet"]) == (
        GUID,
        METADATA,
        RULE_SET,
    )
    order = restore(
        client, ORDER, version=1, schema=ORDER_V1, guid=OTHER_GUID, references=REFERENCES
    )
    assert (order["guid"], order["references"]) == (OTHER_GUID, REFERENCES)
    users = ok(client.get(f"{CUSTOMER}/versions/1/referenced-by"))["items"]
    assert [(u["event"], u["version"]) for u in users] == [("orders.OrderSubmitted", 1)]
    [entry] = ok(client.get("/api/v1/audit?action=version.import&target=event:orders."))["items"]
    assert (entry["after"]["guid"], entry["after"]["references"]) == (OTHER_GUID, REFERENCES)


def test_the_same_content_elsewhere_keeps_its_one_guid(client, events):
    first = restore(client, CUSTOMER, version=1, schema=CUSTOMER_V1, guid=GUID)
    copy = restore(client, ORDER, version=1, schema=CUSTOMER_V1, guid=GUID)
    assert (copy["schema_id"], copy["guid"]) == (first["schema_id"], GUID)
    # Without a GUID a restored content gets a new one, as a registration does.
    fresh = restore(client, ORDER, version=2, schema={"type": "object"})
    assert fresh["guid"] not in (GUID, OTHER_GUID)


def test_a_guid_names_one_content(client, events):
    restore(client, CUSTOMER, version=1, schema=CUSTOMER_V1, guid=GUID)
    taken = client.post(
        f"{IMPORTS}/events/orders/OrderSubmitted/versions",
        json={"version": 1, "schema": {"type": "object"}, "guid": GUID},
        headers=ADMIN,
    )
    assert taken.status_code == 409 and GUID in taken.json["detail"]
    other = client.post(
        f"{IMPORTS}/events/orders/OrderSubmitted/versions",
        json={"version": 1, "schema": CUSTOMER_V1, "guid": OTHER_GUID},
        headers=ADMIN,
    )
    assert other.status_code == 409 and f"stored with GUID {GUID}" in other.json["detail"]
    malformed = client.post(
        f"{IMPORTS}/events/orders/OrderSubmitted/versions",
        json={"version": 1, "schema": CUSTOMER_V1, "guid": "not-a-guid"},
        headers=ADMIN,
    )
    assert malformed.status_code == 422
    assert ok(client.get(ORDER))["last_version"] == 0


def test_a_reference_needs_its_subject_bound_and_its_version_restored_first(client, events):
    restore(client, CUSTOMER, version=1, schema=CUSTOMER_V1)
    unbound = client.post(
        f"{IMPORTS}/events/orders/OrderSubmitted/versions",
        json={"version": 1, "schema": ORDER_V1, "references": REFERENCES},
        headers=ADMIN,
    )
    assert unbound.status_code == 422 and "customers-value" in unbound.json["detail"]
    bind(client, CUSTOMER, "customers-value")
    later = [{**REFERENCES[0], "version": 2}]
    missing = client.post(
        f"{IMPORTS}/events/orders/OrderSubmitted/versions",
        json={"version": 1, "schema": ORDER_V1, "references": later},
        headers=ADMIN,
    )
    assert missing.status_code == 422 and "no version 2" in missing.json["detail"]
    restore(client, ORDER, version=1, schema=ORDER_V1, references=REFERENCES)


def test_subjects_bind_once_and_only_names_that_need_binding(client, events):
    bound = bind(client, CUSTOMER, "customers-value", "Customer")
    assert bound["subjects"] == ["Customer", "customers-value"]
    assert bind(client, CUSTOMER, "customers-value")["subjects"] == ["Customer", "customers-value"]
    elsewhere = client.put(
        f"{IMPORTS}/events/orders/OrderSubmitted/subjects",
        json={"subjects": ["customers-value"]},
        headers=ADMIN,
    )
    assert elsewhere.status_code == 409 and "customers.Customer" in elsewhere.json["detail"]
    direct = client.put(
        f"{IMPORTS}/events/orders/OrderSubmitted/subjects",
        json={"subjects": ["orders.OrderSubmitted"]},
        headers=ADMIN,
    )
    assert direct.status_code == 422
    actions = ok(client.get("/api/v1/audit?action=subject.import"))["items"]
    assert sorted(entry["target"] for entry in actions) == [
        "subject:Customer",
        "subject:customers-value",
    ]


def test_modes_and_compatibility_groups_are_restored(client, events, registry_settings_reset):
    settings = {"mode": "IMPORT", "compatibility_group": "application.major.version"}
    shown = ok(
        client.put(f"{IMPORTS}/events/customers/Customer/settings", json=settings, headers=ADMIN)
    )
    assert (shown["mode"], shown["compatibility_group"]) == ("IMPORT", "application.major.version")
    registry = {"mode": "READONLY", "compatibility_group": "major"}
    assert ok(client.put(f"{IMPORTS}/settings", json=registry, headers=ADMIN)) == registry
    config = ok(client.get("/api/v1/config"))
    assert (config["mode"], config["compatibility_group"]) == ("READONLY", "major")
    # READONLY refuses registrations, not an import.
    refused = client.post(f"{ORDER}/versions", json={"schema": {"type": "object"}}, headers=events)
    assert refused.status_code == 422
    restore(client, ORDER, version=1, schema={"type": "object"})
    bad = client.put(f"{IMPORTS}/settings", json={"mode": "SIDEWAYS"}, headers=ADMIN)
    assert bad.status_code == 422


def test_only_an_admin_restores_subjects_and_settings(client, events):
    team = events
    attempts = [
        client.put(
            f"{IMPORTS}/events/customers/Customer/subjects", json={"subjects": ["c"]}, headers=team
        ),
        client.put(
            f"{IMPORTS}/events/customers/Customer/settings", json={"mode": "READONLY"}, headers=team
        ),
        client.put(f"{IMPORTS}/settings", json={"mode": "READONLY"}, headers=team),
    ]
    assert [attempt.status_code for attempt in attempts] == [403, 403, 403]
    assert ok(client.get(CUSTOMER))["subjects"] == ["customers.Customer"]
