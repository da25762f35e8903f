"""plan and apply push a version's references (Confluent's {name, subject, version}) against a
live registry: the demo's ShipmentDispatched v2 takes its delivery address from the customers
domain's Address (customers.CustomerAddressChanged v1), registered first."""

import json
from pathlib import Path

import yaml

from app.cli.main import main

SHIPMENT = "shipping/ShipmentDispatched"
USED = {
    "name": "customer-address.json",
    "subject": "customers.CustomerAddressChanged",
    "version": 1,
}


def test_plan_carries_the_references_and_apply_registers_them(cli, remote, client, demo_tree):
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "json"])
    assert plan.exit_code == 0, plan.output
    body = json.loads(plan.output)
    targets = [c["target"] for c in body["changes"] if c["action"] == "register"]
    used, using = "customers.CustomerAddressChanged v1", "shipping.ShipmentDispatched v2"
    assert targets.index(used) < targets.index(using)
    [change] = [c for c in body["changes"] if c["target"] == using]
    assert (change["details"]["references"], change["details"]["uses"]) == ([USED], [used])
    assert body["rejected"] == []

    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 0, applied.output
    version = client.get("/api/v1/events/shipping/ShipmentDispatched/versions/2").get_json()
    assert version["references"] == [USED]
    users = client.get("/api/v1/events/customers/CustomerAddressChanged/versions/1/referenced-by")
    assert [(u["event"], u["version"]) for u in users.get_json()["items"]] == [
        ("shipping.ShipmentDispatched", 2)
    ]


def test_a_new_version_with_references_is_predicted_with_them(cli, remote, demo_tree):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    v2 = json.loads((demo_tree / SHIPMENT / "v2.json").read_text())
    v3 = {**v2, "required": [*v2["required"], "estimatedDeliveryDate"]}  # breaks BACKWARD
    (demo_tree / SHIPMENT / "v3.json").write_text(json.dumps(v3))
    add_version(demo_tree, 3, [USED])
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert plan.exit_code == 1, plan.output
    assert "✗ the registry would refuse + register version " in plan.output
    assert "shipping.ShipmentDispatched v3" in plan.output


def test_references_that_differ_from_the_registry_are_a_conflict(cli, remote, demo_tree):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    event_yaml = demo_tree / SHIPMENT / "event.yaml"
    data = yaml.safe_load(event_yaml.read_text())
    data["versions"][1]["references"] = [{**USED, "version": 2}]  # the same Address
    event_yaml.write_text(yaml.safe_dump(data))
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 2, applied.output
    assert "✗ conflict shipping.ShipmentDispatched v2: the registry's version 2 has other " in (
        applied.output
    )
    assert "references" in applied.output


def add_version(tree: Path, number: int, references: list[dict]) -> None:
    event_yaml = tree / SHIPMENT / "event.yaml"
    data = yaml.safe_load(event_yaml.read_text())
    data["versions"].append({"version": number, "note": "n", "references": references})
    event_yaml.write_text(yaml.safe_dump(data))
