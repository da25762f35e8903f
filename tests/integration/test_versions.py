"""Registering schema versions: numbering, deduplication, schema ids, concurrency, audit."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app import create_app
from app.core.access import Actor
from app.core.errors import Conflict, InvalidInput, NotFound
from app.db.models import AuditEntry, Schema
from app.services import catalog
from app.services.samples import add_sample
from app.services.versions import register_version

ACTOR = Actor.system("test")
ANA = Actor("ana", team="checkout")
ORDER_V1 = {"type": "object", "properties": {"orderId": {"type": "string"}}}
ORDER_V2 = {"type": "object", "properties": {"orderId": {"type": "string"}, "note": {}}}


@pytest.fixture
def orders(session):
    catalog.create_team(session, ACTOR, "checkout", "Checkout")
    catalog.create_domain(session, ACTOR, "orders", "Orders", "checkout")
    catalog.create_bus(session, ACTOR, "orders-events", "orders", "eventbridge")
    catalog.create_event_type(session, ACTOR, "orders", "OrderPlaced", bus="orders-events")
    catalog.create_event_type(session, ACTOR, "orders", "OrderCancelled", bus="orders-events")
    catalog.create_event_type(session, ACTOR, "orders", "OrderNoted", compatibility="NONE")
    return session


def test_versions_are_numbered_from_one(orders):
    first = register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1, note="first")
    second = register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V2)
    assert (first.created, first.version.version, first.version.note) == (True, 1, "first")
    assert (second.created, second.version.version) == (True, 2)
    assert first.version.author == "ana"


def test_identical_content_returns_the_existing_version(orders):
    first = register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    reordered = {"properties": {"orderId": {"type": "string"}}, "type": "object"}
    again = register_version(orders, Actor("bob", admin=True), "orders", "OrderPlaced", reordered)
    assert again.created is False
    assert again.version.id == first.version.id


def test_the_same_content_keeps_one_global_schema_id_across_event_types(orders):
    placed = register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    cancelled = register_version(orders, ANA, "orders", "OrderCancelled", ORDER_V1)
    assert cancelled.created is True
    assert cancelled.version.schema_id == placed.version.schema_id
    assert len(orders.scalars(select(Schema)).all()) == 1


def test_an_invalid_schema_is_refused_with_every_problem_and_nothing_stored(orders):
    bad = {"type": "object", "properties": {"a": {"type": "text"}}, "required": "a"}
    with pytest.raises(InvalidInput) as refused:
        register_version(orders, ANA, "orders", "OrderPlaced", bad)
    assert {e["pointer"] for e in refused.value.errors} == {"/properties/a/type", "/required"}
    assert orders.scalars(select(Schema)).all() == []


def test_an_unknown_event_type_is_not_found(orders):
    with pytest.raises(NotFound, match=r"orders\.OrderLost"):
        register_version(orders, ANA, "orders", "OrderLost", ORDER_V1)


def test_every_registration_is_in_the_audit_log(orders):
    register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    entries = orders.scalars(select(AuditEntry).where(AuditEntry.action == "version.register"))
    assert [(e.actor, e.target) for e in entries] == [
        ("ana", "event:orders.OrderPlaced/versions/1")
    ]


def test_concurrent_registrations_never_duplicate_or_skip_numbers(database_url, orders):
    # Threads queue on the event type's lock: give them a patient database wait rather than the
    # 1 s request budget, so that a loaded machine cannot fail what this test is about.
    patient = create_app({"database_url": database_url, "demo": False, "db_timeout_ms": 60000})
    sessions = patient.extensions["eventry"].sessions

    def register(index: int) -> int:
        schema = {"type": "object", "properties": {f"field{index}": {"type": "string"}}}
        with sessions() as own_session:
            outcome = register_version(own_session, ACTOR, "orders", "OrderNoted", schema)
            return outcome.version.version

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            numbers = list(pool.map(register, range(12)))
    finally:
        patient.extensions["eventry"].engine.dispose()
    assert sorted(numbers) == list(range(1, 13))


def test_an_incompatible_schema_is_refused_with_its_differences(orders):
    register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    narrowed = {"type": "object", "properties": {"orderId": {"type": "integer"}}}
    with pytest.raises(Conflict) as refused:
        register_version(orders, ANA, "orders", "OrderPlaced", narrowed)
    [difference] = refused.value.errors
    assert difference["type"] == "TYPE_CHANGED"
    assert difference["path"] == "/properties/orderId"
    assert difference["compatible"] is False
    assert refused.value.extensions["compatibility"]["failed_version"] == 1
    assert "not BACKWARD compatible with version 1" in refused.value.detail


def test_the_policy_decides_about_an_optional_property_on_an_open_model(orders):
    register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    with_currency = {
        "type": "object",
        "properties": {"orderId": {"type": "string"}, "currency": {"type": "string"}},
    }
    with pytest.raises(Conflict, match="open object"):
        register_version(orders, ANA, "orders", "OrderPlaced", with_currency)
    catalog.get_event_type(orders, "orders", "OrderPlaced").policy = "lenient"
    orders.commit()
    assert register_version(orders, ANA, "orders", "OrderPlaced", with_currency).created


def test_a_stored_sample_that_breaks_refuses_what_the_rules_allow(orders):
    catalog.get_event_type(orders, "orders", "OrderPlaced").policy = "lenient"
    orders.commit()
    register_version(orders, ANA, "orders", "OrderPlaced", ORDER_V1)
    add_sample(
        orders, ANA, "orders", "OrderPlaced", "with-numeric-note", {"orderId": "o", "note": 4}
    )
    with_note = {
        "type": "object",
        "properties": {"orderId": {"type": "string"}, "note": {"type": "string"}},
    }
    with pytest.raises(Conflict) as refused:
        register_version(orders, ANA, "orders", "OrderPlaced", with_note)
    [evidence] = refused.value.extensions["compatibility"]["evidence"]
    assert evidence["sample"] == "with-numeric-note"
    assert evidence["errors"][0]["path"] == "/note"
    assert "with-numeric-note" in refused.value.detail


def test_a_team_may_not_register_versions_in_another_teams_domain(orders):
    from app.core.errors import Forbidden

    with pytest.raises(Forbidden, match="belongs to team 'checkout'"):
        register_version(orders, Actor("eve", team="payments"), "orders", "OrderPlaced", ORDER_V1)


def test_concurrent_registrations_of_one_content_share_one_schema_id(app, orders):
    sessions = app.extensions["eventry"].sessions
    names = [f"OrderVariant{letter}ed" for letter in "ABCDEF"]
    for name in names:
        catalog.create_event_type(orders, ACTOR, "orders", name)
    shared = {"type": "object", "properties": {"shared": {"type": "string"}}}

    def register(name: str) -> int:
        with sessions() as own_session:
            return register_version(own_session, ACTOR, "orders", name, shared).version.schema_id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(register, names))
    assert len(ids) == 1


def test_a_purged_version_number_is_never_reused(orders):
    from app.services.versions import delete_version

    register_version(orders, ANA, "orders", "OrderNoted", ORDER_V1)
    register_version(orders, ANA, "orders", "OrderNoted", ORDER_V2)
    delete_version(orders, ANA, "orders", "OrderNoted", 2, permanent=False)
    delete_version(orders, ACTOR, "orders", "OrderNoted", 2, permanent=True)
    third = {"type": "object", "properties": {"orderId": {"type": "integer"}}}
    assert register_version(orders, ANA, "orders", "OrderNoted", third).version.version == 3


def test_concurrent_creations_of_one_slug_give_one_domain_and_clear_conflicts(app, orders):
    from app.core.errors import AlreadyExists

    sessions = app.extensions["eventry"].sessions

    def create(_: int) -> str:
        with sessions() as own_session:
            try:
                catalog.create_domain(own_session, ACTOR, "billing", "Billing", "checkout")
            except AlreadyExists:
                return "409"
            return "201"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = sorted(pool.map(create, range(6)))
    assert outcomes == ["201"] + ["409"] * 5
