"""The demo catalogue's events are classified as examples/catalog/README.md documents them."""

import pytest

from app.config import DEMO_CATALOG
from app.core.analysis import classify, ordering_hazard
from app.services.tree_reader import read_tree

DOCUMENTED = {
    "thin": {
        "orders.OrderCancelled", "orders.OrderCompleted", "payments.PaymentCaptured",
        "payments.PaymentFailed", "shipping.DeliveryAttemptFailed", "shipping.ParcelDelivered",
        "customers.CustomerErased", "inventory.StockReserved", "inventory.StockReservationReleased",
        "returns.ReturnReceived", "products.ProductDiscontinued",
    },
    "delta": {
        "customers.CustomerAddressChanged", "products.ProductPriceChanged",
        "shipping.ShipmentDelayed", "inventory.StockLevelChanged",
        "customers.CustomerMarketingConsentChanged", "returns.ReturnInspected",
    },
    "full": {
        "orders.OrderPlaced", "orders.OrderAmended", "payments.PaymentAuthorised",
        "payments.RefundIssued", "shipping.ShipmentDispatched", "customers.CustomerRegistered",
        "customers.CustomerProfileSnapshotted", "inventory.GoodsReceived",
        "returns.ReturnRequested", "products.ProductUpdated",
    },
}  # fmt: skip
EXPECTED = {ref: shape for shape, refs in DOCUMENTED.items() for ref in refs}

CATALOG, PROBLEMS = read_tree(DEMO_CATALOG)
EVENTS = {event.ref: event for event in CATALOG.events}
ROUTERS = {bus.slug: bus.router for bus in CATALOG.buses}


def latest_and_samples(ref):
    event = EVENTS[ref]
    samples = [s.payload for s in event.samples if s.expect_valid] or None
    return event.versions[-1].document, samples


def test_every_demo_event_has_a_documented_shape():
    assert PROBLEMS == []
    assert set(EVENTS) == set(EXPECTED)


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_the_demo_event_is_classified_as_documented(ref):
    schema, samples = latest_and_samples(ref)
    assert classify(schema, samples).shape == EXPECTED[ref]


def test_the_deliberate_ordering_hazards_are_found_and_only_they():
    hazards = set()
    for ref, event in EVENTS.items():
        schema, samples = latest_and_samples(ref)
        shape = classify(schema, samples).shape
        if ordering_hazard(shape, ROUTERS.get(event.bus), schema, samples):
            hazards.add(ref)
    assert hazards == {"orders.OrderAmended", "payments.RefundIssued"}
