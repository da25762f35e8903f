"""@kafkajs/confluent-schema-registry 4.1.0 (the Node client used with KafkaJS) against a live
Eventry, through tests/clients/node/roundtrip.mjs: register, encode, decode, the three ways of
reading an id back, an incompatible schema refused, references, and messages crossing between
Node and Python's confluent-kafka.

Needs node and the package (`make node-clients`: npm ci in tests/clients/node). Without node
the tests skip, except under CI=true, where anything missing fails them (as the browser tests
do without Chromium)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from tests.clients.conftest import ORDER_V1, basic_conf, event_of
from tests.clients.test_confluent_python_references import (
    CUSTOMER_V1,
    ORDER,
    ORDER_WITH_CUSTOMER,
    order_schema,
)
from tests.conftest import ADMIN_TOKEN
from tests.legs import in_ci

NODE_DIR = Path(__file__).parent / "node"
SCRIPT = NODE_DIR / "roundtrip.mjs"
INSTALLED = NODE_DIR / "node_modules" / ".installed"
TOPIC = {"subject.name.strategy.type": "TOPIC"}
BASIC = ("--user", "ci", "--password", ADMIN_TOKEN)
BEARER = ("--token", ADMIN_TOKEN)


@pytest.fixture(scope="module")
def node() -> str:
    """The node executable, with the package installed; skips without node outside CI."""
    found = shutil.which("node")
    if found is None and not in_ci():
        pytest.skip("the Node client tests need node (and `make node-clients`)")
    problem = None
    if found is None:
        problem = "node is not installed (apt-get install -y nodejs npm)"
    elif in_ci() and shutil.which("npm") is None:
        problem = "npm is not installed (apt-get install -y npm), so node_modules may be stale"
    elif not INSTALLED.exists():
        problem = f"{NODE_DIR}/node_modules is not installed: run `make node-clients` (npm ci)"
    if problem:
        # CI must not pass by skipping what it exists to run; nor may a developer with node.
        pytest.fail(f"{'CI=true: ' if in_ci() else ''}{problem}", pytrace=False)
    return found


def run_node(node: str, *args: str) -> dict:
    """Run roundtrip.mjs; its one JSON line on stdout, checked against its exit status."""
    done = subprocess.run(
        [node, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip(), (done.returncode, done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    seen = (done.returncode, done.stdout, done.stderr)
    assert done.returncode == (0 if result["ok"] else 1), seen
    return result


def succeeds(node: str, *args: str) -> dict:
    result = run_node(node, *args)
    assert result["ok"] is True, result
    return result


@pytest.mark.parametrize("auth", [BASIC, BEARER], ids=["basic", "bearer"])
def test_roundtrip(node, served, native, registry, auth):
    out = succeeds(node, "roundtrip", "--url", served.url, *auth, "--subject", "orders-value")
    made = out["registered"]
    assert (made["version"], made["schemaType"]) == (1, "JSON")
    assert out["latestId"] == out["idByVersion"] == out["idBySchema"] == made["id"]
    assert out["decoded"] == {"orderId": "o-1", "total": 12.5}
    assert bytes.fromhex(out["encodedHex"])[:5] == b"\x00" + made["id"].to_bytes(4, "big")
    assert out["invalidRefused"]["name"] == "ConfluentSchemaRegistryValidationError"

    assert set(served.schemes) == {"Basic" if auth is BASIC else "Bearer"}  # Node's requests
    # register() found no level of the subject's own (404), so it set BACKWARD after registering.
    assert served.sent("GET", "/config/orders-value") and served.sent("PUT", "/config/orders-value")
    assert registry.get_compatibility("orders-value") == "BACKWARD"
    latest = registry.get_latest_version("orders-value")
    assert (latest.schema_id, latest.guid) == (made["id"], made["guid"])
    assert event_of(native, "unassigned", "OrderPlaced")["subjects"] == ["orders-value"]


@pytest.mark.parametrize("auth", [BASIC, BEARER], ids=["basic", "bearer"])
def test_an_incompatible_schema_is_refused_with_409(node, served, registry, auth):
    out = succeeds(node, "incompatible", "--url", served.url, *auth, "--subject", "orders-value")
    assert out["refused"]["status"] == 409
    assert "BACKWARD" in out["refused"]["message"]
    assert registry.get_versions("orders-value") == [1]


def test_credentials_are_needed_to_register(node, served, teams):
    out = run_node(node, "register", "--url", served.url, "--subject", "orders-value")
    assert out["ok"] is False and out["error"]["status"] == 401
    out = run_node(
        node, "register", "--url", served.url, "--token", "evt_wrong", "--subject", "x-value"
    )
    assert out["ok"] is False and out["error"]["status"] == 401
    # Another team's domain: 403 (the bus `parcels` belongs to fulfilment's shipping).
    parcels = json.dumps({"title": "ParcelShipped", "type": "object"})
    out = run_node(
        node, "register", "--url", served.url, "--token", teams["checkout"],
        "--subject", "shipping.ParcelShipped", "--schema", parcels,
    )  # fmt: skip
    assert out["ok"] is False and out["error"]["status"] == 403


def test_a_team_token_registers_and_sets_its_subjects_level(node, served, native, teams):
    out = succeeds(
        node, "roundtrip", "--url", served.url, "--user", "ci", "--password", teams["checkout"],
        "--subject", "orders-value",
    )  # fmt: skip
    placed = event_of(native, "orders", "OrderPlaced")
    assert (placed["bus"], placed["subjects"]) == ("orders", ["orders-value"])
    config = native.get("/api/v1/events/orders/OrderPlaced/config").get_json()
    assert config["compatibility"] == "BACKWARD", config
    assert out["registered"]["version"] == 1


def test_python_bytes_read_by_node_and_node_bytes_read_by_python(node, served, registry, native):
    ctx = SerializationContext("orders", MessageField.VALUE)
    from_python = JSONSerializer(ORDER_V1, registry, conf=TOPIC)({"orderId": "py-1"}, ctx)
    out = succeeds(node, "decode", "--url", served.url, "--hex", from_python.hex())
    assert out["decoded"] == {"orderId": "py-1"}
    assert out["id"] == int.from_bytes(from_python[1:5], "big")

    event = json.dumps({"orderId": "node-1"})
    out = succeeds(node, "encode", "--url", served.url, "--id", str(out["id"]), "--event", event)
    from_node = bytes.fromhex(out["encodedHex"])
    assert from_node[:5] == from_python[:5]
    with SchemaRegistryClient(basic_conf(served.url, ADMIN_TOKEN)) as fresh:
        assert JSONDeserializer(None, schema_registry_client=fresh)(from_node, ctx) == {
            "orderId": "node-1"
        }
    assert event_of(native, "unassigned", "OrderPlaced")["last_version"] == 1


def test_references_across_the_two_clients(node, served, registry, native):
    ctx = SerializationContext("orders", MessageField.VALUE)
    registry.register_schema("Customer", Schema(CUSTOMER_V1, "JSON"))
    data = JSONSerializer(order_schema(1), registry, conf=TOPIC)(ORDER, ctx)
    order_id = int.from_bytes(data[1:5], "big")

    # Node sends no references with getRegistryIdBySchema: the server matches the text.
    out = succeeds(
        node, "lookup", "--url", served.url, "--subject", "orders-value",
        "--schema", ORDER_WITH_CUSTOMER,
    )  # fmt: skip
    assert out["idBySchema"] == out["latestId"] == order_id
    served.forget()
    out = succeeds(node, "decode", "--url", served.url, "--hex", data.hex())
    assert out["decoded"] == ORDER
    assert served.sent("GET", "/subjects/Customer/versions/1")  # the reference, by Node

    # Node registers (and round-trips) a schema with references of its own.
    invoice = json.loads(ORDER_WITH_CUSTOMER) | {"title": "InvoiceRaised"}
    references = [{"name": "customer.json", "subject": "Customer", "version": 1}]
    out = succeeds(
        node, "roundtrip", "--url", served.url, *BEARER, "--subject", "invoices-value",
        "--schema", json.dumps(invoice), "--references", json.dumps(references),
        "--event", json.dumps(ORDER), "--invalid", json.dumps({"orderId": "o-2"}),
    )  # fmt: skip
    assert out["decoded"] == ORDER and out["idBySchema"] == out["registered"]["id"]
    written = registry.get_latest_version("invoices-value")
    assert [(each.name, each.subject, each.version) for each in written.schema.references] == [
        ("customer.json", "Customer", 1)
    ]
    assert sorted(registry.get_referenced_by("Customer", 1)) == sorted(
        [order_id, out["registered"]["id"]]
    )
    assert event_of(native, "unassigned", "InvoiceRaised")["subjects"] == ["invoices-value"]


def test_the_node_clients_own_checks(node, served, registry):
    # Ajv's defaults (draft-07, strict): an unknown format is refused before anything is sent.
    dated = json.loads(ORDER_V1)
    dated["properties"]["placedAt"] = {"type": "string", "format": "date-time"}
    args = ("--url", served.url, *BASIC, "--subject", "orders-value", "--schema", json.dumps(dated))
    served.forget()
    out = run_node(node, "register", *args)
    assert out["ok"] is False and "status" not in out["error"], out
    assert "date-time" in out["error"]["message"] and served.requests == []
    assert succeeds(node, "register", *args, "--lenient")["registered"]["version"] == 1

    # register() compares its `compatibility` option (BACKWARD) with the subject's own level.
    assert registry.set_compatibility("orders-value", "FULL") == {"compatibility": "FULL"}
    out = run_node(node, "register", *args, "--lenient")
    assert (
        out["ok"] is False and out["error"]["name"] == "ConfluentSchemaRegistryCompatibilityError"
    )
    out = succeeds(node, "register", *args, "--lenient", "--compatibility", "FULL")
    assert out["registered"]["version"] == 1  # the same content: idempotent
    assert registry.get_compatibility("orders-value") == "FULL"
