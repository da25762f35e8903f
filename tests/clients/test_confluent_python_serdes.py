"""confluent-kafka 2.16.1's JSONSerializer and JSONDeserializer against a live Eventry, without
a broker (a SerializationContext is all they need): every subject name strategy, auto
registration on and off, use.latest.version, normalize.schemas, use.schema.id, schema ids in
the payload prefix and in headers (GUIDs). Each message is read back by a deserializer with a
client of its own, so the writer schema comes from the server, and the event type each flow
made is checked through the native API of the same app."""

from __future__ import annotations

import json
import uuid

import pytest
from confluent_kafka.schema_registry import (
    Schema,
    SchemaRegistryClient,
    SchemaRegistryError,
    header_schema_id_serializer,
)
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, SerializationError

from tests.clients.conftest import (
    ADMIN,
    ORDER_V1,
    ORDER_V2,
    basic_conf,
    event_of,
    ok,
)
from tests.conftest import ADMIN_TOKEN

ORDER = {"orderId": "o-1"}
TOPIC = {"subject.name.strategy.type": "TOPIC"}


def value_of(topic: str = "orders", headers: list | None = None) -> SerializationContext:
    return SerializationContext(topic, MessageField.VALUE, headers)


def id_in(data: bytes) -> int:
    """The schema id of Confluent's prefix framing: magic byte 0, then 4 bytes."""
    assert data[:1] == b"\x00", data
    return int.from_bytes(data[1:5], "big")


def read(served, data: bytes, ctx: SerializationContext, **conf) -> object:
    """Deserialize with a client of its own (an empty cache: the schema comes from the server)."""
    with SchemaRegistryClient(basic_conf(served.url, ADMIN_TOKEN)) as fresh:
        return JSONDeserializer(None, schema_registry_client=fresh, conf=conf or None)(data, ctx)


def test_the_default_strategy_asks_for_associations_then_uses_the_topic(registry, served, native):
    served.forget()
    data = JSONSerializer(ORDER_V1, registry)(ORDER, value_of())
    assert served.sent("GET", "/associations/") == [
        "/associations/resources/-/orders?resourceType=topic&associationType=value"
    ]  # 404: no bus is named orders, so the fallback TopicNameStrategy names the subject
    made = registry.get_latest_version("orders-value")
    assert id_in(data) == made.schema_id and data[5:] == b'{"orderId":"o-1"}'
    assert served.sent("POST", "/subjects/orders-value/versions?normalize=False")

    served.forget()
    assert read(served, data, value_of()) == ORDER
    assert served.sent("GET", f"/schemas/ids/{made.schema_id}") == [
        f"/schemas/ids/{made.schema_id}?subject=orders-value"
    ]
    placed = event_of(native, "unassigned", "OrderPlaced")
    assert (placed["subjects"], placed["last_version"]) == (["orders-value"], 1)


def test_the_default_strategy_uses_the_one_event_type_on_the_topics_bus(served, native, teams):
    # orders.OrderPlaced made natively on the bus `orders`: the topic's association.
    body = {"domain": "orders", "name": "OrderPlaced", "producer": "a-service", "bus": "orders"}
    ok(native.post("/api/v1/events", json=body, headers=ADMIN), 201)
    url = "/api/v1/events/orders/OrderPlaced/versions"
    first = ok(native.post(url, json={"schema": json.loads(ORDER_V1)}, headers=ADMIN), 201)

    with SchemaRegistryClient(basic_conf(served.url, teams["checkout"])) as checkout:
        data = JSONSerializer(ORDER_V1, checkout)(ORDER, value_of())
        assert id_in(data) == first["schema_id"]  # found under orders.OrderPlaced, version 1
        assert served.sent("POST", "/subjects/orders.OrderPlaced/versions")
        newer = JSONSerializer(ORDER_V2, checkout)({**ORDER, "total": 2.5}, value_of())
        assert checkout.get_latest_version("orders.OrderPlaced").schema_id == id_in(newer)
    assert not served.sent("POST", "/subjects/orders-value")
    assert read(served, newer, value_of()) == {**ORDER, "total": 2.5}
    placed = event_of(native, "orders", "OrderPlaced")
    assert (placed["last_version"], placed["subjects"]) == (2, ["orders.OrderPlaced"])


@pytest.mark.parametrize(
    ("strategy", "subject"),
    [("TOPIC", "orders-value"), ("RECORD", "OrderPlaced"), ("TOPIC_RECORD", "orders-OrderPlaced")],
)
def test_each_subject_name_strategy(registry, served, native, strategy, subject):
    conf = {"subject.name.strategy.type": strategy}
    served.forget()
    data = JSONSerializer(ORDER_V1, registry, conf=conf)(ORDER, value_of())
    assert not served.sent("GET", "/associations")  # only the default strategy asks
    assert served.sent("POST", f"/subjects/{subject}/versions")
    assert id_in(data) == registry.get_latest_version(subject).schema_id
    assert read(served, data, value_of(), **conf) == ORDER
    assert event_of(native, "unassigned", "OrderPlaced")["subjects"] == [subject]


def test_without_auto_registration_the_schema_is_looked_up(registry, served, native):
    serializer = JSONSerializer(ORDER_V1, registry, conf={**TOPIC, "auto.register.schemas": False})
    with pytest.raises(SchemaRegistryError) as raised:
        serializer(ORDER, value_of())
    assert (raised.value.http_status_code, raised.value.error_code) == (404, 40401)
    assert native.get("/api/v1/events/unassigned/OrderPlaced").status_code == 404

    made = registry.register_schema(  # reformatted: the lookup matches the content, not the text
        "orders-value", Schema(json.dumps(json.loads(ORDER_V1), indent=2), "JSON")
    )
    served.forget()
    data = JSONSerializer(ORDER_V1, registry, conf={**TOPIC, "auto.register.schemas": False})(
        ORDER, value_of()
    )
    assert id_in(data) == made
    assert served.sent("POST", "/subjects/") == [
        "/subjects/orders-value?normalize=False&deleted=False"
    ]
    assert read(served, data, value_of(), **TOPIC) == ORDER
    assert event_of(native, "unassigned", "OrderPlaced")["last_version"] == 1


def test_use_latest_version_writes_and_reads_with_the_newest(registry, served, native):
    old = JSONSerializer(ORDER_V1, registry, conf=TOPIC)(ORDER, value_of())
    newest = registry.register_schema("orders-value", Schema(ORDER_V2, "JSON"))
    conf = {**TOPIC, "auto.register.schemas": False, "use.latest.version": True}
    served.forget()
    data = JSONSerializer(ORDER_V1, registry, conf=conf)({**ORDER, "total": 1.0}, value_of())
    assert id_in(data) == newest
    assert served.sent("GET", "/subjects/orders-value/versions/latest")
    assert not served.sent("POST", "/subjects/")
    with pytest.raises(SerializationError):  # validated against the latest schema
        JSONSerializer(ORDER_V1, registry, conf=conf)({**ORDER, "total": "1"}, value_of())

    reader = {"use.latest.version": True, **TOPIC}
    served.forget()
    assert read(served, old, value_of(), **reader) == ORDER  # written with version 1
    # The id's answer names the subject's version it is (as Confluent's does), so the client
    # needs no lookup to know it was written with version 1.
    assert served.sent("GET", "/schemas/ids/") == ["/schemas/ids/1?subject=orders-value"]
    assert not served.sent("POST", "/subjects/")
    assert read(served, data, value_of(), **reader) == {**ORDER, "total": 1.0}
    assert event_of(native, "unassigned", "OrderPlaced")["last_version"] == 2


def test_normalize_schemas(registry, served, native):
    made = registry.register_schema("orders-value", Schema(ORDER_V1, "JSON"))
    shuffled = json.dumps(dict(reversed(list(json.loads(ORDER_V1).items()))), indent=4)
    served.forget()
    for auto in (True, False):
        conf = {**TOPIC, "normalize.schemas": True, "auto.register.schemas": auto}
        assert id_in(JSONSerializer(shuffled, registry, conf=conf)(ORDER, value_of())) == made
    assert served.sent("POST", "/subjects/orders-value/versions?normalize=True")
    assert served.sent("POST", "/subjects/orders-value?normalize=True&deleted=False")
    assert registry.get_versions("orders-value") == [1]
    assert event_of(native, "unassigned", "OrderPlaced")["last_version"] == 1


def test_use_schema_id(registry, served, native):
    first = registry.register_schema("orders-value", Schema(ORDER_V1, "JSON"))
    registry.register_schema("orders-value", Schema(ORDER_V2, "JSON"))
    with SchemaRegistryClient(basic_conf(served.url, ADMIN_TOKEN)) as fresh:
        conf = {**TOPIC, "auto.register.schemas": False, "use.schema.id": first}
        served.forget()
        data = JSONSerializer(ORDER_V2, fresh, conf=conf)(ORDER, value_of())
    assert id_in(data) == first
    assert served.sent("GET", f"/schemas/ids/{first}") == [
        f"/schemas/ids/{first}?subject=orders-value"
    ]
    # The id's answer names its subject and version, so no lookup follows (as on Confluent).
    assert not served.sent("POST", "/subjects/")
    assert read(served, data, value_of(), **TOPIC) == ORDER
    assert event_of(native, "unassigned", "OrderPlaced")["last_version"] == 2


def test_schema_ids_in_headers_are_guids(registry, served, native):
    headers: list = []
    conf = {**TOPIC, "schema.id.serializer": header_schema_id_serializer}
    payload = JSONSerializer(ORDER_V1, registry, conf=conf)(ORDER, value_of(headers=headers))
    assert payload == b'{"orderId":"o-1"}'  # no prefix
    ((name, value),) = headers
    assert (name, value[:1], len(value)) == ("__value_schema_id", b"\x01", 17)
    guid = str(uuid.UUID(bytes=value[1:]))
    assert guid == registry.get_latest_version("orders-value").guid

    served.forget()
    assert read(served, payload, value_of(headers=headers), **TOPIC) == ORDER
    assert served.sent("GET", "/schemas/") == [f"/schemas/guids/{guid}"]
    assert event_of(native, "unassigned", "OrderPlaced")["subjects"] == ["orders-value"]


def test_schema_ids_in_the_prefix_id_or_guid(registry, served, native):
    data = JSONSerializer(ORDER_V1, registry, conf=TOPIC)(ORDER, value_of())
    made = registry.get_latest_version("orders-value")
    assert id_in(data) == made.schema_id
    assert read(served, data, value_of()) == ORDER
    # The other prefix the deserializers read: magic byte 1 and the 16 bytes of the GUID.
    by_guid = b"\x01" + uuid.UUID(made.guid).bytes + data[5:]
    served.forget()
    assert read(served, by_guid, value_of()) == ORDER
    assert served.sent("GET", "/schemas/") == [f"/schemas/guids/{made.guid}"]
    with pytest.raises(SerializationError):
        read(served, b"\x07" + data[1:], value_of())  # an unknown magic byte
    assert event_of(native, "unassigned", "OrderPlaced")["subjects"] == ["orders-value"]


def test_a_serializer_refuses_an_invalid_event(registry, served, native):
    serializer = JSONSerializer(ORDER_V1, registry, conf=TOPIC)
    for wrong in ({"orderId": 1}, {}, {**ORDER, "extra": True}):
        served.forget()
        with pytest.raises(SerializationError):
            serializer(wrong, value_of())
    assert not served.sent("POST", "/")  # validated after the first registration: none more
    bad = JSONSerializer(ORDER_V1, registry, conf=TOPIC)(ORDER, value_of())
    with pytest.raises(SerializationError):  # the deserializer validates too
        read(served, bad[:5] + b'{"orderId":5}', value_of())
    # The serializer registers before it validates: the first refused event registered V1.
    placed = event_of(native, "unassigned", "OrderPlaced")
    assert (placed["subjects"], placed["last_version"]) == (["orders-value"], 1)
