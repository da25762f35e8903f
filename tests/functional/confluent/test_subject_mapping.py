"""Which event type a subject names: `<domain>.<EventName>` and contexts directly; Kafka's
subject name strategies (TopicName, RecordName, TopicRecordName) through buses and titles;
and where a new subject's event type is created (the topic bus's domain, the team's one
domain, the default domain) and who may write there."""

import pytest

from app import create_app
from tests.conftest import ADMIN_TOKEN
from tests.functional.confluent.conftest import (
    ADMIN,
    V1_SCHEMA,
    audit,
    bearer,
    bus,
    event,
    fails,
    native,
    ok,
    register,
    registered,
    schema,
)


def event_of(client, domain: str, name: str) -> dict:
    return native(client, "get", f"/api/v1/events/{domain}/{name}", status=200)


def missing(client, domain: str, name: str) -> None:
    assert native(client, "get", f"/api/v1/events/{domain}/{name}").status_code == 404


def test_a_direct_subject_creates_its_event_type_in_the_existing_domain(client, catalogue):
    made = registered(client, "orders.OrderPlaced", V1_SCHEMA, headers=catalogue["checkout"])
    assert made["version"] == 1
    found = event_of(client, "orders", "OrderPlaced")
    assert found["subjects"] == ["orders.OrderPlaced"]
    assert audit(client, action="subject.bind") == []  # a direct subject needs no binding


def test_a_dotted_subject_whose_first_part_is_no_domain_is_a_record_name(client, catalogue):
    registered(client, "acme.PaymentFailed", schema(None, id="string"))
    assert event_of(client, "unassigned", "PaymentFailed")["subjects"] == ["acme.PaymentFailed"]
    assert native(client, "get", "/api/v1/domains/acme").status_code == 404


def test_a_context_names_the_domain(client, catalogue):
    checkout = catalogue["checkout"]
    made = registered(client, ":.orders:OrderPlaced", V1_SCHEMA, headers=checkout)
    found = ok(client.get("/ccompat/subjects/orders.OrderPlaced/versions/1"))
    assert found["id"] == made["id"]
    assert ok(client.get("/ccompat/subjects/:.orders:OrderPlaced/versions")) == [1]
    # a topic subject in a context goes to that context's domain
    text = schema("InvoiceSent", id="string")
    registered(client, ":.billing:invoices-value", text, headers=catalogue["solo"])
    assert event_of(client, "billing", "InvoiceSent")["subjects"] == [":.billing:invoices-value"]
    # the default context is no context
    plain = registered(client, ":.:misc-value", schema("MiscHappened", id="string"))
    assert ok(client.get("/ccompat/subjects/misc-value/versions/1"))["id"] == plain["id"]


def test_a_context_that_is_no_slug_is_refused(client):
    fails(register(client, ":.Not A Slug:orders-value", V1_SCHEMA), 422, 422)


def test_topic_name_strategy_onto_an_existing_bus_of_a_domain_the_team_owns(client, catalogue):
    registered(client, "orders-value", V1_SCHEMA, headers=catalogue["checkout"])
    found = event_of(client, "orders", "OrderPlaced")
    assert (found["bus"], found["subjects"]) == ("orders", ["orders-value"])
    bind = audit(client, action="subject.bind")[0]
    assert bind["after"]["event"] == "orders.OrderPlaced"
    assert "bus orders" in bind["after"]["chosen"]
    missing(client, "unassigned", "OrderPlaced")


def test_topic_name_strategy_picks_the_event_on_the_bus_by_title(client, catalogue):
    fulfilment = catalogue["fulfilment"]
    lost = registered(client, "parcels-value", schema("ParcelLost", id="string"), fulfilment)
    shipped = registered(client, "parcels-key", schema("ParcelShipped", id="string"), fulfilment)
    assert event_of(client, "shipping", "ParcelLost")["subjects"] == ["parcels-value"]
    assert event_of(client, "shipping", "ParcelShipped")["subjects"] == ["parcels-key"]
    assert ok(client.get("/ccompat/subjects/shipping.ParcelLost/versions/1"))["id"] == lost["id"]
    by_key = ok(client.get("/ccompat/subjects/shipping.ParcelShipped/versions/1"))
    assert by_key["id"] == shipped["id"]


def test_once_bound_a_subject_stays_with_its_event_type(client, catalogue):
    fulfilment = catalogue["fulfilment"]
    registered(client, "parcels-value", schema("ParcelLost", id="string"), fulfilment)
    later = schema("ParcelShipped", id="string", reason="string")  # another title, same subject
    assert registered(client, "parcels-value", later, fulfilment)["version"] == 2
    assert event_of(client, "shipping", "ParcelLost")["last_version"] == 2
    assert event_of(client, "shipping", "ParcelShipped")["last_version"] == 0


def test_a_bus_carrying_one_event_type_takes_its_topic_subject_without_a_title(client, catalogue):
    bus(client, "payments", "billing")
    event(client, "billing", "PaymentTaken", "payments")
    registered(client, "payments-value", schema(None, id="string"), catalogue["solo"])
    assert event_of(client, "billing", "PaymentTaken")["subjects"] == ["payments-value"]


def test_record_name_strategy_maps_by_title(client, catalogue):
    fulfilment = catalogue["fulfilment"]
    text = schema("com.acme.shipping.ParcelShipped", id="string")
    registered(client, "com.acme.shipping.ParcelShipped", text, fulfilment)
    found = event_of(client, "shipping", "ParcelShipped")
    assert found["subjects"] == ["com.acme.shipping.ParcelShipped"]


def test_topic_record_name_strategy_maps_by_topic_and_title(client, catalogue):
    fulfilment = catalogue["fulfilment"]
    registered(client, "parcels-ParcelLost", schema("ParcelLost", id="string"), fulfilment)
    assert event_of(client, "shipping", "ParcelLost")["subjects"] == ["parcels-ParcelLost"]
    # a new record on a bus of the team's domain is created there, on that bus
    checkout = catalogue["checkout"]
    registered(client, "orders-OrderCancelled", schema("OrderCancelled", id="string"), checkout)
    found = event_of(client, "orders", "OrderCancelled")
    assert (found["bus"], found["subjects"]) == ("orders", ["orders-OrderCancelled"])


def test_a_team_owning_one_domain_gets_new_subjects_there(client, catalogue):
    registered(client, "invoices-value", schema("invoice_sent", id="string"), catalogue["solo"])
    found = event_of(client, "billing", "InvoiceSent")
    assert (found["bus"], found["subjects"]) == (None, ["invoices-value"])
    assert "one domain team solo owns" in audit(client, action="subject.bind")[0]["after"]["chosen"]


def test_a_team_owning_several_domains_gets_the_default_domain(client, catalogue):
    text = schema("StockCounted", id="string")
    registered(client, "stock-value", text, catalogue["fulfilment"])
    found = event_of(client, "unassigned", "StockCounted")
    assert found["subjects"] == ["stock-value"]
    # the landing domain is no producing team's: Eventry creates it with a team of its name
    domain = native(client, "get", "/api/v1/domains/unassigned", status=200)
    assert domain["owner"] == "unassigned"
    created = audit(client, action="domain.create")[0]
    assert created["actor"].startswith("eventry")


def test_an_admin_gets_the_default_domain_created_with_its_own_team(client):
    registered(client, "orders-value", V1_SCHEMA)
    domain = native(client, "get", "/api/v1/domains/unassigned", status=200)
    assert domain["owner"] == "unassigned"
    assert event_of(client, "unassigned", "OrderPlaced")["subjects"] == ["orders-value"]
    # created once: the next new subject goes to the same domain
    registered(client, "payments-value", schema("PaymentTaken", id="string"))
    assert event_of(client, "unassigned", "PaymentTaken")["subjects"] == ["payments-value"]


@pytest.mark.parametrize(
    ("subject", "title", "name"),
    [
        ("shipments-value", None, "Shipments"),
        ("shipments-value", "com.acme.order_shipped", "OrderShipped"),
        ("parcel_returned", None, "ParcelReturned"),
        ("returns.v2-key", None, "V2"),
        ("weird subject!", None, "WeirdSubject"),
    ],
)
def test_a_new_event_type_is_named_from_title_else_topic_else_subject(client, subject, title, name):
    registered(client, subject, schema(title, id="string"))
    assert event_of(client, "unassigned", name)["subjects"] == [subject]


def test_a_team_may_not_write_into_another_teams_domain(client, catalogue):
    checkout = catalogue["checkout"]
    fails(register(client, "shipping.ParcelShipped", V1_SCHEMA, headers=checkout), 403, 40301)
    fails(register(client, "shipping.NewThing", V1_SCHEMA, headers=checkout), 403, 40301)
    missing(client, "shipping", "NewThing")
    assert event_of(client, "shipping", "ParcelShipped")["last_version"] == 0


def test_a_refused_first_registration_binds_nothing(client, catalogue):
    before = audit(client)
    text = schema("ParcelShipped", id="string")
    fails(register(client, "parcels-value", text, headers=catalogue["checkout"]), 403, 40301)
    assert event_of(client, "shipping", "ParcelShipped")["subjects"] == ["shipping.ParcelShipped"]
    assert audit(client) == before


def test_a_refused_registration_in_readonly_mode_creates_nothing(client):
    ok(client.put("/ccompat/mode", json={"mode": "READONLY"}, headers=ADMIN))
    before = audit(client)
    fails(register(client, "orders-value", V1_SCHEMA), 422, 42205)
    assert audit(client) == before
    assert native(client, "get", "/api/v1/domains/unassigned").status_code == 404


def test_a_second_team_without_a_domain_may_register_in_the_default_domain(client, catalogue):
    registered(client, "stock-value", schema("StockCounted", id="string"), catalogue["fulfilment"])
    native(client, "post", "/api/v1/teams", {"slug": "newbies", "name": "Newbies"}, status=201)
    token = native(client, "post", "/api/v1/teams/newbies/tokens", {"name": "ci"}, status=201)
    registered(client, "leads-value", schema("LeadFound", id="string"), bearer(token["secret"]))
    assert event_of(client, "unassigned", "LeadFound")["subjects"] == ["leads-value"]


def test_the_default_domain_and_bus_are_settings(database_url):
    config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
    application = create_app({**config, "ccompat_domain": "landing", "TESTING": True})
    try:
        client = application.test_client()
        registered(client, "orders-value", V1_SCHEMA)
        assert event_of(client, "landing", "OrderPlaced")["bus"] is None
    finally:
        application.extensions["eventry"].engine.dispose()
    application = create_app(
        {**config, "ccompat_domain": "landing", "ccompat_bus": "inbox", "TESTING": True}
    )
    try:
        client = application.test_client()
        bus(client, "inbox", "landing")
        registered(client, "payments-value", schema("PaymentTaken", id="string"))
        assert event_of(client, "landing", "PaymentTaken")["bus"] == "inbox"
    finally:
        application.extensions["eventry"].engine.dispose()


def test_every_team_may_register_further_versions_in_the_landing_domain(client, catalogue):
    registered(client, "stock-value", schema("StockCounted", id="string"), catalogue["fulfilment"])
    wider = schema("StockCounted", id="string", sku="string")
    assert registered(client, "stock-value", wider, catalogue["checkout"])["version"] == 2
    # a token scoped to other domains stays within them, even in the landing domain
    body = {"name": "orders only", "scopes": ["orders"]}
    scoped = native(client, "post", "/api/v1/teams/checkout/tokens", body, status=201)
    widest = schema("StockCounted", id="string", sku="string", bin="string")
    fails(register(client, "stock-value", widest, bearer(scoped["secret"])), 403, 40301)
    # the landing domain opens registrations only: its other changes stay its owner's
    patch = {"description": "taken"}
    native(client, "patch", "/api/v1/events/unassigned/StockCounted", patch, catalogue["checkout"])
    assert event_of(client, "unassigned", "StockCounted")["description"] != "taken"


def test_a_topic_subject_takes_the_one_event_type_of_its_bus_whatever_the_title(client, catalogue):
    bus(client, "payments", "billing")
    event(client, "billing", "PaymentTaken", "payments")
    registered(client, "payments-value", schema("Payment", id="string"), catalogue["solo"])
    assert event_of(client, "billing", "PaymentTaken")["subjects"] == ["payments-value"]
    chosen = audit(client, action="subject.bind")[0]["after"]["chosen"]
    assert chosen == "the one event type the topic's bus payments carries"


def test_a_topic_subject_never_takes_another_teams_event_type(client, catalogue):
    bus(client, "payments", "billing")
    event(client, "billing", "PaymentTaken", "payments")
    refused = register(client, "payments-value", schema(None, id="string"), catalogue["checkout"])
    # nor a new one on that team's bus without its consent (the bus's publishers)
    assert "has not allowed team 'checkout'" in fails(refused, 403, 40301)
    assert event_of(client, "billing", "PaymentTaken")["subjects"] == ["billing.PaymentTaken"]
    missing(client, "orders", "Payments")
    assert audit(client, action="subject.bind") == []
