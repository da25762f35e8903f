"""Search runs on a full-text index (SQLite FTS5, PostgreSQL tsvector + GIN) that every write
keeps in step in its own transaction: what a user finds is what the catalogue holds now."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.core.access import Actor
from app.core.errors import Conflict
from app.db.search_index import TABLE
from app.services import catalog, changes, samples, search, search_index, versions
from app.services.database import upgrade
from tests.functional.ui.test_query_counts import counting

SYSTEM = Actor.system("test")
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"parcelId": {"type": "string"}, "carrier_code": {"type": "string"}},
    "required": ["parcelId"],
}


def found(client, query: str) -> dict[str, list[tuple[str, str]]]:
    """Each event found, with where and what matched."""
    answer = client.get("/api/v1/search", query_string={"q": query})
    assert answer.status_code == 200, answer.get_json()
    return {
        hit["event"]: [(m["in"], m["text"]) for m in hit["matches"]]
        for hit in answer.get_json()["items"]
    }


@pytest.fixture
def shipping(session):
    """A domain with a bus, ParcelDispatched at version 1 and a consumer declaring it."""
    catalog.create_team(session, SYSTEM, "logistics", "Logistics")
    catalog.create_domain(session, SYSTEM, "shipping", "Shipping", "logistics")
    catalog.create_bus(session, SYSTEM, "shipping-events", "shipping", "kafka")
    catalog.create_event_type(
        session,
        SYSTEM,
        "shipping",
        "ParcelDispatched",
        bus="shipping-events",
        producer="dispatch-service",
        description="A parcel left the warehouse with its carrier.",
    )
    versions.register_version(session, SYSTEM, "shipping", "ParcelDispatched", SCHEMA)
    consumer = catalog.create_consumer(
        session,
        SYSTEM,
        "tracking-notifier",
        "shipping-events",
        team="logistics",
        event="shipping.ParcelDispatched",
    )
    return consumer.id


def test_found_by_a_word_of_its_name_description_field_and_consumer(client, shipping):
    assert found(client, "dispatched") == {
        "shipping.ParcelDispatched": [("name", "ParcelDispatched")]
    }
    assert found(client, "Warehouse")["shipping.ParcelDispatched"] == [
        ("description", "A parcel left the warehouse with its carrier.")
    ]
    assert found(client, "carrier_co")["shipping.ParcelDispatched"] == [("field", "/carrier_code")]
    assert found(client, "tracking")["shipping.ParcelDispatched"] == [
        ("consumer", "tracking-notifier")
    ]
    assert found(client, "parcel")["shipping.ParcelDispatched"] == [
        ("name", "ParcelDispatched"),
        ("description", "A parcel left the warehouse with its carrier."),
        ("field", "/parcelId"),
    ]


def test_the_query_as_written_must_be_there_not_only_its_words(client, shipping):
    # "carrier" and "left" are both words of the description, but not "carrier left".
    assert found(client, "carrier left") == {}
    assert found(client, "left the") != {}
    assert "shipping.ParcelDispatched" in found(client, "rcelDisp")  # inside a word too


def test_a_write_is_found_at_once_and_what_it_replaced_is_not(client, session, shipping):
    changes.update_event_type(
        session, SYSTEM, "shipping", "ParcelDispatched", {"description": "Handed to a courier."}
    )
    assert found(client, "warehouse") == {}
    assert "shipping.ParcelDispatched" in found(client, "courier")
    wider = {**SCHEMA, "properties": {**SCHEMA["properties"], "weightGrams": {"type": "integer"}}}
    versions.register_version(session, SYSTEM, "shipping", "ParcelDispatched", wider)
    assert found(client, "weight")["shipping.ParcelDispatched"] == [("field", "/weightGrams")]
    # Deleting the latest version brings back the fields of the one before.
    versions.delete_version(session, SYSTEM, "shipping", "ParcelDispatched", 2, False, force=True)
    assert found(client, "weight") == {}
    assert "shipping.ParcelDispatched" in found(client, "carrier_code")


def test_consumers_added_and_deleted_are_followed(client, session, shipping):
    catalog.create_consumer(
        session, SYSTEM, "label-printer", "shipping-events", event="shipping.ParcelDispatched"
    )
    assert found(client, "label")["shipping.ParcelDispatched"] == [("consumer", "label-printer")]
    changes.delete_consumer(session, SYSTEM, shipping)
    assert found(client, "tracking") == {}
    assert "shipping.ParcelDispatched" in found(client, "label")


def test_deleted_event_types_and_buses_leave_the_index(client, session, shipping):
    changes.delete_bus(session, SYSTEM, "shipping-events", force=True)
    assert found(client, "shipping-events") == {}
    assert found(client, "tracking") == {}  # the bus's consumers went with it
    assert "shipping.ParcelDispatched" in found(client, "parcel")
    changes.delete_event_type(session, SYSTEM, "shipping", "ParcelDispatched", force=True)
    assert found(client, "parcel") == {}


def test_a_refused_write_leaves_the_index_as_it_was(client, session, shipping):
    narrower = {**SCHEMA, "required": ["parcelId", "carrier_code"], "additionalProperties": False}
    narrower["properties"] = {**SCHEMA["properties"], "refusedField": {"type": "string"}}
    with pytest.raises(Conflict):
        versions.register_version(session, SYSTEM, "shipping", "ParcelDispatched", narrower)
    session.rollback()
    assert found(client, "refused") == {}
    assert "shipping.ParcelDispatched" in found(client, "carrier")


def test_event_types_stored_before_the_index_are_indexed_on_upgrade(
    client, session, shipping, database_url
):
    session.execute(text("DELETE FROM event_search"))
    session.commit()
    assert found(client, "parcel") == {}
    upgrade(database_url)
    assert "shipping.ParcelDispatched" in found(client, "parcel")
    assert search_index.backfill(session) == 0  # nothing left to index


def test_pages_of_many_hits_follow_each_other_without_repeats(client, session, shipping):
    for index in range(7):
        catalog.create_event_type(session, SYSTEM, "shipping", f"ParcelWeighed{index}")
    seen, link = [], "/api/v1/search?q=parcel&limit=3"
    while link:
        answer = client.get(link).get_json()
        seen += [hit["name"] for hit in answer["items"]]
        link = answer["next"]
    assert seen == ["ParcelDispatched", *[f"ParcelWeighed{i}" for i in range(7)]]


def test_candidates_without_the_phrase_are_passed_over_across_pages(client, session, shipping):
    # Every event type below holds the words "parcel" and "note"; only every third holds the
    # phrase, in a field. A page checks its candidates a page's worth at a time and reads on.
    noted = {"type": "object", "properties": {"parcel note": {"type": "string"}}}
    for index in range(12):
        name = f"ParcelLabelled{index:02}"
        catalog.create_event_type(
            session, SYSTEM, "shipping", name, description="A note on the label of a parcel."
        )
        if index % 3 == 0:
            versions.register_version(session, SYSTEM, "shipping", name, noted)
    seen, link = [], "/api/v1/search?q=parcel%20note&limit=2"
    while link:
        answer = client.get(link).get_json()
        for hit in answer["items"]:
            assert hit["matches"] == [{"in": "field", "text": "/parcel note"}], hit
        seen += [hit["name"] for hit in answer["items"]]
        link = answer["next"]
    assert seen == [f"ParcelLabelled{i:02}" for i in range(0, 12, 3)]
    # The catalogue's search page describes each field found from its latest schema.
    page = client.get("/search", query_string={"q": "parcel note"}).get_data(as_text=True)
    assert page.count('<span class="type">string</span>') == 4


def test_field_names_with_any_character_json_allows_are_indexed_and_found(
    client, session, shipping
):
    # A newline or a NUL in a property name (JSON allows both; PostgreSQL's text refuses NUL).
    odd = {"type": "object", "properties": {"parcel\nnote": {}, "label\u0000code": {}}}
    schema = {**SCHEMA, "properties": {**SCHEMA["properties"], **odd["properties"]}}
    versions.register_version(session, SYSTEM, "shipping", "ParcelDispatched", schema)
    hits = found(client, "note")["shipping.ParcelDispatched"]
    assert ("field", "/parcel\nnote") in hits
    assert ("field", "/label\u0000code") in found(client, "label")["shipping.ParcelDispatched"]


def test_a_change_of_the_event_types_own_indexed_text_is_found_at_once(client, session, shipping):
    catalog.create_bus(session, SYSTEM, "courier-feed", "shipping", "sqs")
    changes.update_event_type(
        session,
        SYSTEM,
        "shipping",
        "ParcelDispatched",
        {"producer": "parcel-robot", "bus": "courier-feed"},
    )
    assert found(client, "robot")["shipping.ParcelDispatched"] == [("producer", "parcel-robot")]
    assert ("bus", "courier-feed") in found(client, "courier-f")["shipping.ParcelDispatched"]
    assert found(client, "dispatch-serv") == {}


def index_writes(engine, write) -> list[str]:
    with counting(engine) as seen:
        write()
    return [s for s in seen if TABLE in s and not s.lstrip().upper().startswith("SELECT")]


def test_a_write_that_changes_no_indexed_text_leaves_the_row_alone(app, client, session, shipping):
    engine = app.extensions["eventry"].engine
    payload = {"parcelId": "p-1", "carrier_code": "DPD"}
    event = ("shipping", "ParcelDispatched")
    untouched = [
        lambda: samples.add_sample(session, SYSTEM, *event, "s1", payload),
        lambda: changes.update_event_type(session, SYSTEM, *event, {"aggregate": "Parcel"}),
    ]
    assert [index_writes(engine, write) for write in untouched] == [[], []]
    # A change the row holds is written, so the count above would see one.
    described = {"description": "On its way."}
    rewritten = index_writes(
        engine, lambda: changes.update_event_type(session, SYSTEM, *event, described)
    )
    assert rewritten != []
    assert "shipping.ParcelDispatched" in found(client, "parcel")


def test_a_search_leaves_the_transactions_planner_settings_as_they_were(session, shipping):
    # On PostgreSQL the index is asked with random_page_cost priced for SSDs, for that one
    # statement: whatever the transaction had set is put back.
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SET LOCAL random_page_cost = 3"))
    hits = search.search(session, "parcel", None, 10).items
    assert [hit.event_type.name for hit in hits] == ["ParcelDispatched"]
    if postgres:
        assert session.scalar(text("SHOW random_page_cost")) == "3"
