"""confluent-kafka 2.16.1's SchemaRegistryClient against a live Eventry: every call it offers
that /ccompat serves, with the answers it parses and the errors it raises (SchemaRegistryError
with Confluent's error codes). The event types the clients make are checked through the native
API of the same app."""

from __future__ import annotations

import json
import uuid

import pytest
from confluent_kafka.schema_registry import (
    ConfigCompatibilityLevel,
    Metadata,
    MetadataProperties,
    Schema,
    SchemaRegistryClient,
    SchemaRegistryError,
    ServerConfig,
)

from tests.clients.conftest import (
    ORDER_BREAKING,
    ORDER_V1,
    ORDER_V2,
    basic_conf,
    closed,
    event_of,
)
from tests.conftest import ADMIN_TOKEN

SUBJECT = "orders-value"


def fails(call, status: int, code: int) -> SchemaRegistryError:
    """Run call(); assert it raised SchemaRegistryError with that HTTP status and error code."""
    with pytest.raises(SchemaRegistryError) as raised:
        call()
    found = raised.value
    assert (found.http_status_code, found.error_code) == (status, code), str(found)
    assert found.error_message and f"SR code {code}" in str(found)
    return found


def test_register_then_read_it_back_every_way(registry, served, native):
    made = registry.register_schema_full_response(SUBJECT, Schema(ORDER_V1, "JSON"))
    assert (made.subject, made.version) == (SUBJECT, 1)
    assert isinstance(made.schema_id, int) and made.schema_id > 0
    assert str(uuid.UUID(made.guid)) == made.guid
    # The same content again, from a client without a cache: the server's answer, idempotent.
    with SchemaRegistryClient(basic_conf(served.url, ADMIN_TOKEN)) as fresh:
        assert fresh.register_schema(SUBJECT, Schema(ORDER_V1, "JSON")) == made.schema_id
        found = fresh.lookup_schema(SUBJECT, Schema(ORDER_V1, "JSON"))
        assert (found.schema_id, found.guid, found.version, found.subject) == (
            made.schema_id,
            made.guid,
            1,
            SUBJECT,
        )
        # Python's spelling of booleans in the URL (normalize=False&deleted=False).
        assert served.sent("POST", f"/subjects/{SUBJECT}?normalize=False&deleted=False")

        by_id = fresh.get_schema(made.schema_id)
        assert by_id.schema_type == "JSON" and by_id.references == []
        assert json.loads(by_id.schema_str) == json.loads(ORDER_V1)
        # The deserializers pass the subject (and some callers a format): not a filter.
        assert fresh.get_schema(made.schema_id, subject_name="elsewhere-value", fmt="serialized")
        by_guid = fresh.get_schema_by_guid(made.guid)
        assert by_guid.schema_type == "JSON" and json.loads(by_guid.schema_str) == json.loads(
            ORDER_V1
        )

        latest = fresh.get_latest_version(SUBJECT)
        assert (latest.schema_id, latest.guid, latest.version, latest.subject) == (
            made.schema_id,
            made.guid,
            1,
            SUBJECT,
        )
        assert latest.schema.schema_type == "JSON"
        assert fresh.get_version(SUBJECT, 1).schema_id == made.schema_id
        assert fresh.get_version(SUBJECT, 1, deleted=True).schema_id == made.schema_id
        assert fresh.get_versions(SUBJECT) == [1]
        assert fresh.get_subjects() == [SUBJECT]
        assert fresh.get_subjects(subject_prefix="orders") == [SUBJECT]
        assert fresh.get_subjects(subject_prefix="parcels") == []
        assert fresh.get_schema_types() == ["JSON"]
        assert fresh.get_subjects_by_schema_id(made.schema_id) == [SUBJECT]
        used = fresh.get_schema_versions(made.schema_id)
        assert [(each.subject, each.version) for each in used] == [(SUBJECT, 1)]
        assert fresh.get_referenced_by(SUBJECT, 1) == []
        assert fresh.get_contexts() == [".", ".unassigned"]

    placed = event_of(native, "unassigned", "OrderPlaced")
    assert placed["subjects"] == [SUBJECT] and placed["last_version"] == 1


def test_versions_compatibility_and_deletes(registry, native):
    first = registry.register_schema(SUBJECT, Schema(ORDER_V1, "JSON"))
    second = registry.register_schema_full_response(SUBJECT, Schema(ORDER_V2, "JSON"))
    assert second.version == 2 and second.schema_id != first
    assert registry.get_versions(SUBJECT) == [1, 2]

    assert registry.test_compatibility(SUBJECT, Schema(ORDER_V2, "JSON")) is True
    assert registry.test_compatibility(SUBJECT, Schema(ORDER_BREAKING, "JSON")) is False
    assert registry.test_compatibility(SUBJECT, Schema(ORDER_BREAKING, "JSON"), version=1) is False
    assert (
        registry.test_compatibility(SUBJECT, Schema(ORDER_V2, "JSON"), normalize=True, verbose=True)
        is True
    )
    assert registry.test_compatibility_all_versions(SUBJECT, Schema(ORDER_V2, "JSON")) is True
    assert (
        registry.test_compatibility_all_versions(SUBJECT, Schema(ORDER_BREAKING, "JSON")) is False
    )
    refused = fails(
        lambda: registry.register_schema(SUBJECT, Schema(ORDER_BREAKING, "JSON")), 409, 409
    )
    assert "BACKWARD" in refused.error_message

    assert registry.delete_version(SUBJECT, 2) == 2
    assert registry.get_versions(SUBJECT) == [1]
    assert registry.get_versions(SUBJECT, deleted=True) == [1, 2]
    assert registry.get_versions(SUBJECT, deleted_only=True) == [2]
    assert registry.get_version(SUBJECT, 2, deleted=True).schema_id == second.schema_id
    assert registry.delete_version(SUBJECT, 2, permanent=True) == 2
    assert registry.get_versions(SUBJECT, deleted=True) == [1]

    assert registry.delete_subject(SUBJECT) == [1]
    assert registry.get_subjects() == []
    assert registry.get_subjects(deleted=True) == [SUBJECT]
    assert registry.get_subjects(deleted_only=True) == [SUBJECT]
    assert event_of(native, "unassigned", "OrderPlaced")["subjects"] == [SUBJECT]
    assert registry.delete_subject(SUBJECT, permanent=True) == [1]
    assert registry.get_subjects(deleted=True) == []
    fails(lambda: registry.get_versions(SUBJECT), 404, 40401)


def test_metadata_is_kept_and_found(registry, served):
    properties = {"owner": "checkout", "application.major.version": "1", "team name": "Check out"}
    owned = Metadata(None, MetadataProperties(properties), None)
    registry.register_schema(SUBJECT, Schema(ORDER_V1, "JSON"))
    made = registry.register_schema_full_response(SUBJECT, Schema(ORDER_V1, "JSON", metadata=owned))
    assert made.version == 2  # other metadata, other content

    wanted = {"owner": "checkout", "application.major.version": "1"}
    found = registry.get_latest_with_metadata(SUBJECT, wanted)
    assert (found.version, found.schema_id) == (2, made.schema_id)
    assert found.schema.metadata.properties.properties == properties
    assert registry.get_latest_with_metadata(SUBJECT, {}, deleted=True).version == 2
    fails(lambda: registry.get_latest_with_metadata(SUBJECT, {"owner": "nobody"}), 404, 40402)
    # A client quirk: keys and values are quoted twice, so one that needs quoting (a space)
    # arrives as "team%20name" and matches nothing, as it would on Confluent's server.
    fails(
        lambda: registry.get_latest_with_metadata(SUBJECT, {"team name": "Check out"}), 404, 40402
    )
    assert any(
        "key=team%2520name" in each for each in served.sent("GET", f"/subjects/{SUBJECT}/metadata")
    )


def test_compatibility_levels_and_config(registry):
    assert registry.get_compatibility() == "BACKWARD"
    registry.register_schema(SUBJECT, Schema(ORDER_V1, "JSON"))
    fails(lambda: registry.get_compatibility(SUBJECT), 404, 40408)

    assert registry.set_compatibility(level="full") == {"compatibility": "FULL"}
    assert registry.get_compatibility() == "FULL"
    assert registry.get_config().compatibility_level == ConfigCompatibilityLevel.FULL
    assert registry.set_compatibility(SUBJECT, "NONE") == {"compatibility": "NONE"}
    assert registry.get_compatibility(SUBJECT) == "NONE"
    # Under NONE the breaking schema is taken.
    assert registry.test_compatibility(SUBJECT, Schema(ORDER_BREAKING, "JSON")) is True

    grouped = ServerConfig(
        compatibility=ConfigCompatibilityLevel.BACKWARD_TRANSITIVE,
        compatibility_group="application.major.version",
    )
    assert registry.set_config(SUBJECT, grouped) == {
        "compatibility": "BACKWARD_TRANSITIVE",
        "compatibilityGroup": "application.major.version",
    }
    config = registry.get_config(SUBJECT)
    assert config.compatibility_level == ConfigCompatibilityLevel.BACKWARD_TRANSITIVE
    assert config.compatibility_group == "application.major.version"
    before = registry.delete_config(SUBJECT)
    assert before.compatibility_level == ConfigCompatibilityLevel.BACKWARD_TRANSITIVE
    fails(lambda: registry.get_config(SUBJECT), 404, 40408)

    assert registry.delete_config().compatibility_level == ConfigCompatibilityLevel.FULL
    assert registry.get_compatibility() == "BACKWARD"
    fails(lambda: registry.set_compatibility(level="SOMETIMES"), 422, 42203)
    # A subject with no schema yet takes a level of its own (as on Confluent), which its first
    # registration makes its event type's.
    assert registry.set_compatibility("later-value", "FULL") == {"compatibility": "FULL"}
    assert registry.get_compatibility("later-value") == "FULL"
    registry.register_schema("later-value", Schema(ORDER_V1, "JSON"))
    assert registry.get_config("later-value").compatibility_level == ConfigCompatibilityLevel.FULL
    fails(lambda: registry.delete_config("nobody-value"), 404, 40401)


def test_modes(registry):
    registry.register_schema(SUBJECT, Schema(ORDER_V1, "JSON"))
    assert registry.get_global_mode() == "READWRITE"
    fails(lambda: registry.get_mode(SUBJECT), 404, 40409)

    assert registry.update_mode(SUBJECT, "READONLY") == "READONLY"
    assert registry.get_mode(SUBJECT) == "READONLY"
    fails(lambda: registry.register_schema(SUBJECT, Schema(ORDER_V2, "JSON")), 422, 42205)
    assert registry.delete_mode(SUBJECT) == "READONLY"
    fails(lambda: registry.get_mode(SUBJECT), 404, 40409)

    assert registry.update_global_mode("READONLY") == "READONLY"
    assert registry.get_global_mode() == "READONLY"
    fails(lambda: registry.register_schema(SUBJECT, Schema(ORDER_V2, "JSON")), 422, 42205)
    assert registry.update_global_mode("READWRITE") == "READWRITE"
    fails(lambda: registry.update_global_mode("IMPORT"), 422, 42205)  # not empty
    assert registry.update_global_mode("IMPORT", force=True) == "IMPORT"
    assert registry.update_global_mode("READWRITE") == "READWRITE"
    fails(lambda: registry.update_mode(SUBJECT, "SOMETIMES"), 422, 42204)
    assert registry.register_schema(SUBJECT, Schema(ORDER_V2, "JSON")) > 0


def test_associations_of_a_topic(served, teams, native):
    with SchemaRegistryClient(basic_conf(served.url, teams["checkout"])) as checkout:
        fails(lambda: checkout.get_associations_by_resource_name("nowhere", "-"), 404, 40401)
        assert checkout.get_associations_by_resource_name("orders", "-") == []  # nothing on it

        made = checkout.register_schema_full_response(SUBJECT, Schema(ORDER_V1, "JSON"))
        assert event_of(native, "orders", "OrderPlaced")["bus"] == "orders"
        (one,) = checkout.get_associations_by_resource_name(
            "orders", "-", resource_type="topic", association_types=["value"]
        )
        assert (one.subject, one.resource_name, one.resource_namespace) == (SUBJECT, "orders", "-")
        assert (one.resource_type, one.association_type) == ("topic", "value")
        assert checkout.get_latest_version(one.subject).schema_id == made.schema_id
        assert checkout.get_associations_by_resource_name("orders", "lkc-1")[0].subject == SUBJECT
        keys = checkout.get_associations_by_resource_name("orders", "-", association_types=["key"])
        assert keys == []

        # A second event type on the same topic (TopicRecordNameStrategy): no one subject.
        cancelled = closed("OrderCancelled", ("orderId",), orderId="string")
        checkout.register_schema("orders-OrderCancelled", Schema(cancelled, "JSON"))
        assert event_of(native, "orders", "OrderCancelled")["bus"] == "orders"
        assert checkout.get_associations_by_resource_name("orders", "-") == []


def test_errors_carry_confluents_codes(registry):
    fails(lambda: registry.get_latest_version("nobody-value"), 404, 40401)
    fails(lambda: registry.lookup_schema("nobody-value", Schema(ORDER_V1, "JSON")), 404, 40401)
    made = registry.register_schema_full_response(SUBJECT, Schema(ORDER_V1, "JSON"))
    fails(lambda: registry.get_version(SUBJECT, 9), 404, 40402)
    fails(lambda: registry.get_schema(made.schema_id + 1000), 404, 40403)
    fails(lambda: registry.get_schema_by_guid(str(uuid.uuid4())), 404, 40403)
    fails(lambda: registry.get_subjects_by_schema_id(made.schema_id + 1000), 404, 40403)
    fails(lambda: registry.lookup_schema(SUBJECT, Schema(ORDER_V2, "JSON")), 404, 40403)

    avro = json.dumps({"type": "record", "name": "OrderPlaced", "fields": []})
    refused = fails(lambda: registry.register_schema(SUBJECT, Schema(avro, "AVRO")), 422, 42201)
    assert "AVRO" in refused.error_message
    not_a_schema = json.dumps({"type": "strin"})
    fails(lambda: registry.register_schema(SUBJECT, Schema(not_a_schema, "JSON")), 422, 42201)
    fails(lambda: registry.get_version(SUBJECT, 0), 422, 42202)
    fails(lambda: registry.get_version(SUBJECT, "first"), 422, 42202)
    fails(lambda: registry.set_compatibility(SUBJECT, "MOSTLY"), 422, 42203)
