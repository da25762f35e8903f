"""Nothing lost in a round trip: export → import into an empty registry → export is byte-identical,
with soft-deleted and purged versions, authors, notes, times, samples, consumers, rules and
settings, and what the Confluent door stores (GUIDs, references, data-contract metadata and rule
sets, subjects, modes and compatibility groups); and the exported tree still checks and plans."""

import json
from pathlib import Path

import pytest
import yaml

from app.cli.main import main
from app.cli.remote import Registry
from tests.conftest import ADMIN_TOKEN
from tests.functional.cli.conftest import files_of

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
PLACED = "/api/v1/events/orders/OrderPlaced"
PRODUCT = "/api/v1/events/products/ProductUpdated"
ARCHIVED = "/api/v1/events/orders/OrderArchived"
RULE = {"id": "trace-id", "kind": "require-property", "pointer": "/traceId", "severity": "warning"}


def run(cli, *args: str, code: int = 0):
    result = cli.invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result


def write(client, method: str, path: str, body=None):
    response = client.open(path, method=method, json=body, headers=ADMIN)
    assert response.status_code < 300, response.get_data(as_text=True)
    return response.json


RETIRED = {
    "state": "retired",
    "since": "2026-11-01",
    "reason": "Archiving moved to the data lake.",
    "successor": "orders.OrderPlaced",
}


VERSION_RETIRED = {
    "state": "retired",
    "since": "2026-10-01",
    "reason": "v1 lacks the totals.",
    "successor": 3,
}


def add_history(client, demo: Path) -> None:
    """Versions soft-deleted and purged (in the middle and at the end), other authors and notes,
    a schema without $schema, a sample and a consumer of a new event, rules, settings, consent."""
    placed = json.loads((demo / "orders/OrderPlaced/v3.json").read_text())
    clearer = {**placed, "description": "An order as placed, described more clearly."}
    body = {"schema": clearer, "note": "Clearer description.", "author": "lee@larkspur.example"}
    write(client, "POST", f"{PLACED}/versions", body)
    write(client, "DELETE", f"{PLACED}/versions/4?force=true")  # consumers follow the latest
    write(client, "DELETE", f"{PLACED}/versions/4?permanent=true")
    write(client, "DELETE", f"{PLACED}/versions/2")
    product = json.loads((demo / "products/ProductUpdated/v4.json").read_text())
    for number, title in ((5, "Product (draft)"), (6, "Product updated")):
        body = {"schema": {**product, "title": title}, "author": f"author{number}@larkspur.example"}
        write(client, "POST", f"{PRODUCT}/versions", {**body, "note": f"Title {title}."})
    write(client, "DELETE", f"{PRODUCT}/versions/5?force=true")
    write(client, "DELETE", f"{PRODUCT}/versions/5?permanent=true")
    archived = {"domain": "orders", "name": "OrderArchived", "producer": "order-service"}
    archived["bus"] = "orders-events"  # a consumer listens on the bus its event travels on
    write(client, "POST", "/api/v1/events", {**archived, "aggregate": "Order"})
    ids = {"eventId": {"type": "string"}, "orderId": {"type": "string"}}
    undeclared = {"type": "object", "properties": ids}
    write(client, "POST", f"{ARCHIVED}/versions", {"schema": undeclared, "author": "kim@x.example"})
    write(client, "POST", f"{ARCHIVED}/samples", {"name": "one", "payload": {"orderId": "o_1"}})
    consumer = {"name": "archiver", "bus": "orders-events", "event": "orders.OrderArchived"}
    write(client, "POST", "/api/v1/consumers", {**consumer, "team": "checkout"})
    write(client, "PUT", f"{ARCHIVED}/lifecycle", RETIRED)  # after its versions, as it must be
    legacy = {"name": "legacy-report", "bus": "orders-events", "event": "orders.OrderPlaced"}
    write(client, "POST", "/api/v1/consumers", {**legacy, "team": "checkout", "version": 1})
    write(client, "PUT", f"{PLACED}/versions/1/lifecycle", VERSION_RETIRED)  # after its pin
    write(client, "PUT", f"{PLACED}/versions/3/lifecycle", {"state": "deprecated", "reason": "r"})
    write(client, "PUT", "/api/v1/rules", {"rules": [RULE]})
    write(client, "PUT", "/api/v1/config", {"policy": "lenient"})
    publishers = ["domain:inventory", "team:payments"]  # the demo's consent, and one more
    write(client, "PATCH", "/api/v1/buses/orders-events", {"publishers": publishers})


def test_export_import_export_keeps_every_byte_of_history(
    cli, remote, client, second_server, demo_tree, tmp_path
):
    run(cli, "import", str(demo_tree), *remote)
    add_history(client, demo_tree)
    first, second = tmp_path / "first", tmp_path / "second"
    run(cli, "export", *remote, str(first))
    other = ["--url", second_server, "--token", ADMIN_TOKEN]
    run(cli, "import", str(first), *other)
    run(cli, "export", *other, str(second))

    assert files_of(first) == files_of(second)
    placed = yaml.safe_load((first / "orders/OrderPlaced/event.yaml").read_text())
    entries = {entry["version"]: entry for entry in placed["versions"]}
    assert entries[4] == {"version": 4, "purged": True}
    assert "deleted_at" in entries[2] and "deleted_at" not in entries[3]
    assert entries[1]["created_at"].endswith("Z")
    assert (first / "orders/OrderPlaced/v2.json").exists()
    assert not (first / "orders/OrderPlaced/v4.json").exists()
    product = yaml.safe_load((first / "products/ProductUpdated/event.yaml").read_text())
    assert product["versions"][-1]["author"] == "author6@larkspur.example"
    archived = yaml.safe_load((first / "orders/OrderArchived/event.yaml").read_text())
    assert archived["versions"][0]["dialect"] == "draft-07"
    assert [s["name"] for s in archived["samples"]] == ["one"]
    assert archived["lifecycle"] == RETIRED
    assert entries[1]["lifecycle"] == VERSION_RETIRED
    assert entries[3]["lifecycle"]["state"] == "deprecated"
    consumers = yaml.safe_load((first / "consumers.yaml").read_text())["consumers"]
    assert all(consumer["created_at"].endswith("Z") for consumer in consumers)
    assert yaml.safe_load((first / "rules.yaml").read_text()) == {"rules": [RULE]}
    domain = yaml.safe_load((first / "orders/domain.yaml").read_text())
    assert domain["buses"][0]["publishers"] == ["domain:inventory", "team:payments"]


def test_the_restored_registry_keeps_numbers_authors_and_says_who_imported(
    cli, remote, client, second_server, demo_tree, tmp_path
):
    run(cli, "import", str(demo_tree), *remote)
    add_history(client, demo_tree)
    run(cli, "export", *remote, str(tmp_path / "tree"))
    run(cli, "import", str(tmp_path / "tree"), "--url", second_server, "--token", ADMIN_TOKEN)
    restored = Registry(second_server, ADMIN_TOKEN)

    listed = list(restored.pages(f"{PRODUCT}/versions?deleted=true"))
    assert [(v["version"], v["deleted_at"] is None) for v in listed][-2:] == [(4, True), (6, True)]
    original = {
        v["version"]: v for v in client.get(f"{PRODUCT}/versions?deleted=true").json["items"]
    }
    for version in listed:
        assert version["author"] == original[version["version"]]["author"]
        assert version["created_at"] == original[version["version"]]["created_at"]
    assert restored.get(PLACED)["last_version"] == 4
    placed = json.loads((tmp_path / "tree/orders/OrderPlaced/v3.json").read_text())
    body = {"schema": {**placed, "title": "OrderPlaced again"}}
    status, created = restored.call("POST", f"{PLACED}/versions", body)
    assert (status, created["version"]) == (201, 5)  # the purged 4 is never given again

    imports = list(restored.pages("/api/v1/audit?action=version.import"))
    assert len(imports) == sum(1 for _ in (tmp_path / "tree").rglob("v*.json"))
    assert {entry["actor"] for entry in imports} == {created["author"]}  # the importing token
    authors = {entry["after"]["author"] for entry in imports}
    assert "author6@larkspur.example" in authors and created["author"] not in authors


def test_the_exported_tree_checks_and_plans_clean_against_its_registry(
    cli, remote, client, demo_tree, tmp_path
):
    run(cli, "import", str(demo_tree), *remote)
    add_history(client, demo_tree)
    run(cli, "export", *remote, str(tmp_path / "tree"))
    run(cli, "check", str(tmp_path / "tree"))
    plan = run(cli, "plan", str(tmp_path / "tree"), *remote)
    assert "0 changes, 0 refusals, 0 conflicts, 0 drift." in plan.output


def test_import_refuses_a_registry_that_has_content(cli, remote, demo_tree):
    run(cli, "import", str(demo_tree), *remote)
    refused = run(cli, "import", str(demo_tree), *remote, code=2)
    assert "is not empty (" in refused.output and " teams, " in refused.output
    assert "eventry apply" in refused.output


CUSTOMER = "/api/v1/events/customers/Customer"
MONEY = "/api/v1/events/products/Money"
REFUNDED = "/api/v1/events/orders/OrderRefunded"
IMPORTS = "/api/v1/import"
CUSTOMER_V1 = {
    "$id": "customer.json",
    "type": "object",
    "additionalProperties": False,
    "required": ["customerId"],
    "properties": {"customerId": {"type": "string"}},
}
CUSTOMER_V2 = {
    **CUSTOMER_V1,
    "properties": {**CUSTOMER_V1["properties"], "email": {"type": "string"}},
}
MONEY_V1 = {
    "type": "object",
    "additionalProperties": False,
    "required": ["amount", "currency"],
    "properties": {"amount": {"type": "string"}, "currency": {"type": "string"}},
}
REFUNDED_V1 = {
    "type": "object",
    "required": ["orderId", "customer", "refund"],
    "properties": {
        "orderId": {"type": "string"},
        "customer": {"$ref": "customer.json"},
        "refund": {"$ref": "money.json"},
    },
}
CUSTOMER_METADATA = {"properties": {"application.major.version": "1", "owner": "crm"}}
RULES = {"domainRules": [{"name": "id", "kind": "CONDITION", "type": "CEL", "expr": "true"}]}
REFERENCES = [
    {"name": "customer.json", "subject": "customers-value", "version": 1},
    {"name": "money.json", "subject": "products.Money", "version": 1},
]


def add_contracts(client) -> None:
    """A shared Customer type bound to two Confluent subjects, with metadata, a rule set and an
    empty metadata object; a Money type in a domain the tree writes after the one of the event
    that references both (so an import must reorder); a soft-deleted referenced version; modes
    and compatibility groups of event types and of the registry."""
    for name, domain in (
        ("Customer", "customers"),
        ("Money", "products"),
        ("OrderRefunded", "orders"),
    ):
        write(client, "POST", "/api/v1/events", {"domain": domain, "name": name})
    write(
        client,
        "PUT",
        f"{IMPORTS}/events/customers/Customer/subjects",
        {"subjects": ["customers-value", "Customer"]},
    )
    body = {"schema": CUSTOMER_V1, "metadata": CUSTOMER_METADATA, "ruleSet": RULES}
    write(client, "POST", f"{CUSTOMER}/versions", body)
    write(client, "POST", f"{CUSTOMER}/versions", {"schema": CUSTOMER_V2, "metadata": {}})
    write(client, "POST", f"{MONEY}/versions", {"schema": MONEY_V1})
    body = {"schema": REFUNDED_V1, "references": REFERENCES, "note": "Refunds."}
    write(client, "POST", f"{REFUNDED}/versions", body)
    write(client, "DELETE", f"{CUSTOMER}/versions/1?force=true")
    settings = {"mode": "IMPORT", "compatibility_group": "application.major.version"}
    write(client, "PUT", f"{IMPORTS}/events/customers/Customer/settings", settings)
    write(client, "PUT", f"{IMPORTS}/events/orders/OrderPlaced/settings", {"mode": "READONLY"})
    # Settings of subjects not registered yet: an admin's, and (restored natively) a team's.
    write(client, "PUT", "/ccompat/config/later-value", {"compatibility": "FULL"})
    write(client, "PUT", "/ccompat/mode/later-value", {"mode": "IMPORT"})
    write(client, "PUT", f"{IMPORTS}/subject-settings", {"subject_settings": [TEAM_HELD]})
    write(
        client, "PUT", f"{IMPORTS}/settings", {"mode": "READONLY", "compatibility_group": "major"}
    )


TEAM_HELD = {"subject": "Gadget", "compatibility_group": "major", "team": "checkout"}


@pytest.fixture
def registry_settings_reset(client):
    """The registry's mode and group live in the settings row, which the next test on
    PostgreSQL finds again: put back as they were."""
    yield
    write(client, "PUT", f"{IMPORTS}/settings", {"mode": "READWRITE", "compatibility_group": None})


def test_export_import_export_keeps_references_contracts_subjects_and_modes(
    cli, remote, client, second_server, demo_tree, tmp_path, registry_settings_reset
):
    run(cli, "import", str(demo_tree), *remote)
    add_history(client, demo_tree)
    add_contracts(client)
    first, second = tmp_path / "first", tmp_path / "second"
    run(cli, "export", *remote, str(first))
    other = ["--url", second_server, "--token", ADMIN_TOKEN]
    run(cli, "import", str(first), *other)
    run(cli, "export", *other, str(second))

    assert files_of(first) == files_of(second)
    registry = yaml.safe_load((first / "registry.yaml").read_text())
    assert (registry["mode"], registry["compatibility_group"]) == ("READONLY", "major")
    customer = yaml.safe_load((first / "customers/Customer/event.yaml").read_text())
    assert customer["subjects"] == ["Customer", "customers-value"]
    assert (customer["mode"], customer["compatibility_group"]) == (
        "IMPORT",
        "application.major.version",
    )
    one, two = customer["versions"]
    assert (one["metadata"], one["rule_set"], two["metadata"]) == (CUSTOMER_METADATA, RULES, {})
    assert "deleted_at" in one and "rule_set" not in two
    refunded = yaml.safe_load((first / "orders/OrderRefunded/event.yaml").read_text())
    assert refunded["versions"][0]["references"] == REFERENCES
    placed = yaml.safe_load((first / "orders/OrderPlaced/event.yaml").read_text())
    assert placed["mode"] == "READONLY" and "subjects" not in placed
    assert registry["subject_settings"] == [
        TEAM_HELD,
        {"subject": "later-value", "compatibility": "FULL", "mode": "IMPORT"},
    ]

    restored = Registry(second_server, ADMIN_TOKEN)
    for path in (CUSTOMER, MONEY, REFUNDED):
        here = client.get(f"{path}/versions?deleted=true").json["items"]
        there = list(restored.pages(f"{path}/versions?deleted=true"))
        keys = ("version", "guid", "references", "fingerprint", "deleted")
        assert [{k: v[k] for k in keys} for v in there] == [{k: v[k] for k in keys} for v in here]
        assert [v.get("metadata") for v in there] == [v.get("metadata") for v in here]
    users = restored.get(f"{CUSTOMER}/versions/1/referenced-by")["items"]
    assert [(u["event"], u["version"]) for u in users] == [("orders.OrderRefunded", 1)]
    assert restored.get(CUSTOMER)["subjects"] == ["Customer", "customers-value"]
    assert restored.get("/api/v1/config")["mode"] == "READONLY"
    # The group is the registry's: a subject without one of its own follows it.
    assert restored.get("/ccompat/config/later-value") == {
        "compatibilityLevel": "FULL",
        "compatibilityGroup": "major",
    }
    assert restored.get("/ccompat/mode/later-value") == {"mode": "IMPORT"}
