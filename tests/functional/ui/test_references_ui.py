"""The event page shows what the Confluent door registers: each version's references ("Uses")
and the versions that reference it ("Used by"), the event's subjects and its mode."""

from __future__ import annotations

import pytest

from app.core.access import Actor
from app.core.contract import Contract
from app.services import catalog, restore, versions
from tests.functional.ui.conftest import ESCAPED, XSS, html

SYSTEM = Actor.system("test")
CUSTOMER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id"],
    "properties": {"id": {"type": "string"}},
}
CUSTOMER_V2 = {**CUSTOMER, "properties": {**CUSTOMER["properties"], "email": {"type": "string"}}}
ORDER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["orderId"],
    "properties": {"orderId": {"type": "string"}, "customer": {"$ref": "customer.json"}},
}
ORDER_V2 = {**ORDER, "properties": {**ORDER["properties"], "note": {"type": "string"}}}


def uses(subject: str, version: int, name: str = "customer.json") -> Contract:
    return Contract([{"name": name, "subject": subject, "version": version}])


@pytest.fixture
def shared(session):
    """customers.Customer (v1, v2; bound to the subject customers-value); orders.OrderSubmitted
    v1 using Customer v1 and v2 using Customer v2; orders.OrderCancelled v1 using Customer v1."""
    catalog.create_team(session, SYSTEM, "crm", "CRM")
    for slug in ("customers", "orders"):
        catalog.create_domain(session, SYSTEM, slug, slug.title(), "crm")
    for domain, name in (
        ("customers", "Customer"),
        ("orders", "OrderSubmitted"),
        ("orders", "OrderCancelled"),
    ):
        catalog.create_event_type(session, SYSTEM, domain, name)
    restore.restore_subjects(session, SYSTEM, "customers", "Customer", ["customers-value"])
    versions.register_version(session, SYSTEM, "customers", "Customer", CUSTOMER)
    versions.register_version(session, SYSTEM, "customers", "Customer", CUSTOMER_V2)
    for name, schema, version in (
        ("OrderSubmitted", ORDER, 1),
        ("OrderSubmitted", ORDER_V2, 2),
        ("OrderCancelled", ORDER, 1),
    ):
        contract = uses("customers-value", version)
        versions.register_version(session, SYSTEM, "orders", name, schema, contract=contract)


def version_item(page: str, number: int) -> str:
    """The part of the event page's version list about one version."""
    start = page.index(f'<span class="badge version">v{number}</span></a>\n')
    rest = page[start:]
    end = rest.find("</li>")
    return rest[:end]


def test_the_shared_type_says_which_versions_use_each_of_its_versions(client, shared):
    page = html(client.get("/events/customers/Customer"))
    assert "<dt>Subjects</dt><dd><code>customers-value</code></dd>" in page
    assert "<dt>Mode</dt>" not in page
    assert "2 versions</span></h2>" in page
    first, second = version_item(page, 1), version_item(page, 2)
    assert "Used by 2 versions:" in first and "Uses" not in first
    assert 'href="/events/orders/OrderCancelled/versions/1"' in first
    assert 'href="/events/orders/OrderSubmitted/versions/1"' in first
    assert "Used by 1 version:" in second
    assert 'href="/events/orders/OrderSubmitted/versions/2"' in second
    assert "OrderCancelled" not in second


def test_a_referencing_version_links_to_the_version_it_uses(client, shared):
    page = html(client.get("/events/orders/OrderSubmitted"))
    assert "<dt>Subjects</dt><dd><code>orders.OrderSubmitted</code></dd>" in page
    first, second = version_item(page, 1), version_item(page, 2)
    assert "Uses 1 version:" in first and "Used by" not in first
    assert 'href="/events/customers/Customer/versions/1"' in first
    assert "as <code>customer.json</code>" in first
    assert 'href="/events/customers/Customer/versions/2"' in second


def test_the_version_page_shows_uses_and_used_by_and_opens_soft_deleted_versions(
    client, shared, session
):
    page = html(client.get("/events/orders/OrderCancelled/versions/1"))
    assert "Uses 1 version:" in page
    assert 'href="/events/customers/Customer/versions/1"' in page
    page = html(client.get("/events/customers/Customer/versions/1"))
    assert "Used by 2 versions:" in page
    versions.delete_version(session, SYSTEM, "customers", "Customer", 1, permanent=False)
    page = html(client.get("/events/orders/OrderCancelled/versions/1"))
    link = page[page.index('href="/events/customers/Customer/versions/1"') :]
    assert link.index("deleted") < link.index("</p>")
    deleted = html(client.get("/events/customers/Customer/versions/1"))
    assert '<span class="badge bad">deleted' in deleted
    assert "Validate against v1" not in deleted


def test_a_mode_other_than_readwrite_is_shown(client, shared, session):
    restore.restore_event_settings(session, SYSTEM, "customers", "Customer", "READONLY", None)
    page = html(client.get("/events/customers/Customer"))
    assert (
        '<dt>Mode</dt><dd><code>READONLY</code> <span class="dim">set for this event</span>' in page
    )
    other = html(client.get("/events/orders/OrderSubmitted"))
    assert "<dt>Mode</dt>" not in other


def test_the_registry_mode_shows_on_every_event_page(client, shared, session):
    restore.restore_settings(session, SYSTEM, "IMPORT", None)
    try:
        page = html(client.get("/events/orders/OrderSubmitted"))
        assert '<dt>Mode</dt><dd><code>IMPORT</code> <span class="dim">registry-wide</span>' in page
    finally:  # the settings row outlives the test on PostgreSQL
        restore.restore_settings(session, SYSTEM, "READWRITE", None)


def test_subject_and_reference_names_are_escaped(client, shared, session):
    restore.restore_subjects(session, SYSTEM, "orders", "OrderSubmitted", [XSS])
    contract = uses("customers.Customer", 2, name=XSS)
    versions.register_version(
        session, SYSTEM, "orders", "OrderCancelled", {"type": "object"}, contract=contract
    )
    for path in ("/events/orders/OrderSubmitted", "/events/orders/OrderCancelled"):
        page = html(client.get(path))
        assert "<script>" not in page and ESCAPED in page


def test_the_demo_shipment_shows_the_referenced_address_and_the_address_its_user(client, demo):
    page = html(client.get("/events/shipping/ShipmentDispatched"))
    assert "Uses 1 version:" in version_item(page, 2)
    assert 'href="/events/customers/CustomerAddressChanged/versions/1"' in version_item(page, 2)
    # the field table follows the $ref into the referenced version's Address
    for field in ("deliveryAddress", "recipientName", "postalCode", "countryCode"):
        assert f">{field}</code>" in page, field
    used = html(client.get("/events/customers/CustomerAddressChanged"))
    assert 'href="/events/shipping/ShipmentDispatched/versions/2"' in version_item(used, 1)
