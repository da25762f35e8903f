"""The plan: what pushing a tree to a registry changes, refuses, and only reports."""

from dataclasses import replace

from app.core.plan import make_plan
from app.core.tree import (
    BusSpec,
    CatalogSpec,
    ConsumerSpec,
    DomainSpec,
    EventSpec,
    SampleSpec,
    TeamSpec,
    VersionSpec,
)

V1 = {"type": "object", "properties": {"id": {"type": "string"}}}
V2 = {"type": "object", "properties": {"id": {"type": "string"}, "note": {}}}


def catalog(versions=(V1,), samples=(), bus_domain="orders", consumers=(), policy=None):
    event = EventSpec(
        "orders",
        "OrderPlaced",
        "orders/OrderPlaced",
        bus="orders-events",
        policy=policy,
        versions=tuple(VersionSpec(n, s, f"v{n}.json") for n, s in enumerate(versions, 1)),
        samples=tuple(SampleSpec(name, payload, True, "") for name, payload in samples),
    )
    return CatalogSpec(
        "BACKWARD",
        "strict",
        None,
        [TeamSpec("checkout", "Checkout")],
        [DomainSpec("orders", "Orders", "checkout")],
        [BusSpec("orders-events", bus_domain, "sns")],
        [event],
        list(consumers),
    )


def actions(plan):
    return [(c.action, c.kind, c.target) for c in plan.changes]


def test_the_same_catalogue_needs_no_change():
    plan = make_plan(catalog(), catalog())
    assert plan.empty and plan.drift == [] and plan.conflicts == []


def test_an_empty_registry_gets_everything_in_dependency_order():
    plan = make_plan(catalog(versions=(V1, V2), samples=[("s", {"id": "a"})]), CatalogSpec())
    assert actions(plan) == [
        ("config", "registry", "config"),
        ("create", "team", "checkout"),
        ("create", "domain", "orders"),
        ("create", "bus", "orders-events"),
        ("create", "event", "orders.OrderPlaced"),
        ("create", "sample", "orders.OrderPlaced/s"),
        ("register", "version", "orders.OrderPlaced v1"),
        ("register", "version", "orders.OrderPlaced v2"),
    ]


def test_samples_change_before_the_versions_they_are_evidence_for():
    wanted = catalog(versions=(V1, V2), samples=[("s", {"id": "b"})])
    plan = make_plan(wanted, catalog(samples=[("s", {"id": "a"})]))
    assert actions(plan) == [
        ("replace", "sample", "orders.OrderPlaced/s"),
        ("register", "version", "orders.OrderPlaced v2"),
    ]


def test_a_registration_carries_the_level_and_policy_the_tree_wants():
    plan = make_plan(catalog(versions=(V1, V2), policy="lenient"), catalog())
    register = next(c for c in plan.changes if c.action == "register")
    assert (register.details["level"], register.details["policy"]) == ("BACKWARD", "lenient")


def test_rewriting_or_repeating_a_version_is_a_conflict():
    rewritten = make_plan(catalog(versions=(V2,)), catalog(versions=(V1,)))
    assert [c.target for c in rewritten.conflicts] == ["orders.OrderPlaced v1"]
    repeated = make_plan(catalog(versions=(V1, V2, V1)), catalog(versions=(V1, V2)))
    assert [c.target for c in repeated.conflicts] == ["orders.OrderPlaced v3"]
    assert "repeats version 1" in repeated.conflicts[0].details["reason"]


def test_a_bus_in_another_domain_is_a_conflict_not_an_update():
    plan = make_plan(catalog(bus_domain="payments"), catalog())
    assert [(c.kind, c.target) for c in plan.conflicts] == [("bus", "orders-events")]
    assert not any(c.kind == "bus" for c in plan.changes)


def test_what_only_the_registry_has_is_drift():
    registry = catalog(versions=(V1, V2), samples=[("old", {})])
    plan = make_plan(catalog(), registry)
    assert {(d.kind, d.target) for d in plan.drift} == {
        ("version", "orders.OrderPlaced"),
        ("sample", "orders.OrderPlaced/old"),
    }
    assert plan.changes == []


def test_a_consumer_without_a_team_in_the_tree_keeps_the_registry_team():
    tree = ConsumerSpec("planner", "orders-events", "", "", event="orders.OrderPlaced")
    stored = ConsumerSpec(
        "planner", "orders-events", "", "", team="checkout", event="orders.OrderPlaced"
    )
    assert make_plan(catalog(consumers=[tree]), catalog(consumers=[stored])).empty
    moved = ConsumerSpec(
        "planner", "orders-events", "", "", team="fulfilment", event="orders.OrderPlaced"
    )
    plan = make_plan(catalog(consumers=[moved]), catalog(consumers=[stored]))
    assert actions(plan) == [("update", "consumer", "planner@orders-events/orders.OrderPlaced")]


V3 = {"type": "object", "properties": {"id": {"type": "string"}, "more": {}}}
GONE = "2026-02-01T00:00:00Z"


def with_history(*versions, purged=()):
    """The catalogue with versions given as (number, schema, soft-deleted?)."""
    specs = tuple(
        VersionSpec(n, s, f"v{n}.json", deleted_at=GONE if gone else None)
        for n, s, gone in versions
    )
    base = catalog()
    base.events = [replace(base.events[0], versions=specs, purged=tuple(purged))]
    return base


def test_versions_match_by_number_with_their_state():
    tree = with_history((1, V1, False), (2, V2, True), (3, V3, False))
    assert make_plan(tree, tree).empty
    live = with_history((1, V1, False), (2, V2, False), (3, V3, False))
    plan = make_plan(tree, live)
    assert actions(plan) == [("delete", "version", "orders.OrderPlaced v2")]
    back = make_plan(live, tree)
    assert [c.details["reason"] for c in back.conflicts] == [
        "it is soft-deleted in the registry; a deleted version does not come back"
    ]


def test_a_version_the_tree_soft_deletes_is_registered_then_deleted_after_the_others():
    tree = with_history((1, V1, False), (2, V2, True), (3, V3, False))
    plan = make_plan(tree, with_history((1, V1, False)))
    assert actions(plan) == [
        ("register", "version", "orders.OrderPlaced v2"),
        ("register", "version", "orders.OrderPlaced v3"),
        ("delete", "version", "orders.OrderPlaced v2"),
    ]


def test_numbers_the_registry_would_not_give_are_conflicts():
    purged_in_tree = with_history((1, V1, False), (3, V2, False), purged=[2])
    plan = make_plan(purged_in_tree, with_history((1, V1, False)))
    assert [c.details["reason"] for c in plan.conflicts] == [
        "the registry would number it v2: only `eventry import` into an empty registry keeps "
        "numbers deleted permanently"
    ]
    purged_in_registry = with_history((1, V1, False), (3, V2, False), purged=[2])
    plan = make_plan(with_history((1, V1, False), (2, V2, False)), purged_in_registry)
    assert "gave number 2 already and deleted it permanently" in plan.conflicts[0].details["reason"]
    assert [d.target for d in plan.drift] == ["orders.OrderPlaced"]  # its v3 is not in the tree


def test_content_of_a_soft_deleted_version_may_come_back_as_a_new_number():
    tree = with_history((1, V1, False), (2, V2, True), (3, V2, False))
    plan = make_plan(tree, with_history((1, V1, False), (2, V2, True)))
    assert actions(plan) == [("register", "version", "orders.OrderPlaced v3")]


def _with_version_stage(tree: CatalogSpec, lifecycle: dict | None) -> CatalogSpec:
    event = tree.events[0]
    first = replace(event.versions[0], lifecycle=lifecycle)
    return replace(tree, events=[replace(event, versions=(first, *event.versions[1:]))])


def test_a_version_lifecycle_is_planned_after_the_consumers_and_only_when_it_differs():
    server = catalog(versions=(V1, V2))
    deprecated = {"state": "deprecated", "since": "2026-11-01", "reason": "r", "successor": 2}
    tree = _with_version_stage(server, deprecated)
    changes = make_plan(tree, server).changes
    assert [(c.action, c.kind, c.target) for c in changes] == [
        ("update", "version", "orders.OrderPlaced v1")
    ]
    assert changes[0].details["stage"]["to"] == deprecated
    assert changes[0].details["stage"]["from"]["state"] == "active"
    assert make_plan(tree, tree).changes == []
    withdrawn = make_plan(server, tree).changes  # the tree says active again
    assert [c.details["stage"]["to"]["state"] for c in withdrawn] == ["active"]
