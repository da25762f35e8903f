"""Drift is reported for what the tree declares, unless the whole registry is asked for."""

from app.core.plan import make_plan
from app.core.tree import BusSpec, CatalogSpec, ConsumerSpec, DomainSpec, EventSpec, TeamSpec


def registry() -> CatalogSpec:
    """A shared registry: orders (checkout) and payments (payments) with a team and a domain
    of the same slug, each with a bus, an event type and a consumer."""
    return CatalogSpec(
        "BACKWARD",
        "strict",
        None,
        [TeamSpec("checkout", "Checkout"), TeamSpec("payments", "Payments")],
        [
            DomainSpec("orders", "Orders", "checkout"),
            DomainSpec("payments", "Payments", "payments"),
        ],
        [BusSpec("orders-events", "orders", "sns"), BusSpec("payments-events", "payments", "sns")],
        [
            EventSpec("orders", "OrderPlaced", "orders/OrderPlaced", bus="orders-events"),
            EventSpec("orders", "OrderArchived", "orders/OrderArchived", bus="orders-events"),
            EventSpec("payments", "PaymentTaken", "payments/PaymentTaken", bus="payments-events"),
        ],
        [
            ConsumerSpec("mailer", "orders-events", "", "", team="checkout"),
            ConsumerSpec("ledger", "payments-events", "", "", team="payments"),
        ],
    )


def orders_tree() -> CatalogSpec:
    """A tree that declares only the orders domain (owned by checkout) and one of its events."""
    return CatalogSpec(
        "BACKWARD",
        "strict",
        None,
        [],
        [DomainSpec("orders", "Orders", "checkout")],
        [BusSpec("orders-events", "orders", "sns")],
        [EventSpec("orders", "OrderPlaced", "orders/OrderPlaced", bus="orders-events")],
        [],
    )


def drift(plan):
    return {(d.kind, d.target) for d in plan.drift}


def test_a_one_domain_tree_hears_only_about_its_domain_and_team():
    assert drift(make_plan(orders_tree(), registry())) == {
        ("event", "orders.OrderArchived"),
        ("consumer", "mailer@orders-events"),
    }


def test_drift_all_reports_the_whole_registry_with_kinds_apart():
    found = drift(make_plan(orders_tree(), registry(), all_drift=True))
    assert ("team", "payments") in found and ("domain", "payments") in found
    assert ("bus", "payments-events") in found and ("event", "payments.PaymentTaken") in found
    assert ("consumer", "ledger@payments-events") in found
    assert ("team", "checkout") in found  # not in the tree's registry.yaml: drift when asked
