"""plan, apply, export and import against a live registry server."""

import json
import shutil
from pathlib import Path

from app.cli.main import main
from tests.conftest import ADMIN_TOKEN
from tests.functional.cli.conftest import files_of

PRODUCT = "products/ProductUpdated"


def test_import_export_import_export_is_byte_identical(
    cli, remote, server, second_server, demo_tree, tmp_path
):
    imported = cli.invoke(main, ["import", str(demo_tree), *remote])
    assert imported.exit_code == 0, imported.output
    first = tmp_path / "first"
    exported = cli.invoke(main, ["export", *remote, str(first)])
    assert exported.exit_code == 0, exported.output
    assert "Exported 27 event types" in exported.output

    again = cli.invoke(main, ["import", str(first), "--url", second_server, "--token", ADMIN_TOKEN])
    assert again.exit_code == 0, again.output
    second = tmp_path / "second"
    cli.invoke(main, ["export", "--url", second_server, "--token", ADMIN_TOKEN, str(second)])
    assert files_of(first) == files_of(second)
    assert "orders/OrderPlaced/v3.json" in files_of(first)
    assert len([f for f in files_of(first) if "/samples/" in f]) == 62


def test_apply_twice_changes_nothing_the_second_time(cli, remote, demo_tree):
    first = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert first.exit_code == 0, first.output
    assert "Applied" in first.output
    second = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert second.exit_code == 0
    assert "No changes: the registry already matches the tree." in second.output
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert plan.exit_code == 0 and "0 changes, 0 refusals, 0 conflicts, 0 drift." in plan.output


def test_plan_shows_a_new_version_and_changed_metadata_and_changes_nothing(
    cli, remote, server, demo_tree
):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    latest = json.loads((demo_tree / PRODUCT / "v4.json").read_text())
    latest["description"] = "A product's full record, now with a clearer description."
    (demo_tree / PRODUCT / "v5.json").write_text(json.dumps(latest))
    event_yaml = demo_tree / PRODUCT / "event.yaml"
    event_yaml.write_text(event_yaml.read_text().replace("producer: ", "producer: new-", 1))
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "json"])
    assert plan.exit_code == 0, plan.output
    body = json.loads(plan.output)
    assert [(c["action"], c["kind"], c["target"]) for c in body["changes"]] == [
        ("update", "event", "products.ProductUpdated"),
        ("register", "version", "products.ProductUpdated v5"),
    ]
    assert body["rejected"] == [] and body["drift"] == []
    replan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert "2 changes" in replan.output  # plan changed nothing
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 0 and "Applied 2 changes." in applied.output


def test_an_incompatible_version_is_predicted_and_apply_stops_there(cli, remote, demo_tree):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    broken = json.loads((demo_tree / PRODUCT / "v4.json").read_text())
    broken["required"] = [*broken.get("required", []), "weightGrams"]
    (demo_tree / PRODUCT / "v5.json").write_text(json.dumps(broken))
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert plan.exit_code == 1
    assert (
        "✗ the registry would refuse + register version products.ProductUpdated v5" in plan.output
    )
    annotated = cli.invoke(main, ["plan", str(demo_tree), *remote, "--format", "github"])
    assert annotated.exit_code == 1
    [error] = [line for line in annotated.output.splitlines() if line.startswith("::error")]
    assert f"file={demo_tree / PRODUCT / 'v5.json'}," in error
    assert "register version products.ProductUpdated v5" in error
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 1
    assert "409" in applied.output and "REQUIRED_ATTRIBUTE_ADDED" in applied.output


def test_drift_is_reported_not_deleted(cli, remote, client, demo_tree):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    extra = {"domain": "orders", "name": "OrderArchived"}
    created = client.post(
        "/api/v1/events", json=extra, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert created.status_code == 201
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert plan.exit_code == 0
    assert "? drift event orders.OrderArchived: in the registry, not in the tree" in plan.output
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert client.get("/api/v1/events/orders/OrderArchived").status_code == 200


def test_rewriting_a_registered_version_is_a_conflict(cli, remote, demo_tree):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    v1 = demo_tree / PRODUCT / "v1.json"
    schema = json.loads(v1.read_text())
    schema["title"] = "Rewritten history"
    v1.write_text(json.dumps(schema))
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 2
    assert "conflict products.ProductUpdated v1" in applied.output


def test_apply_without_a_token_is_refused_clearly(cli, server, demo_tree):
    result = cli.invoke(main, ["apply", str(demo_tree), "--url", server], env={"EVENTRY_TOKEN": ""})
    assert result.exit_code == 1
    assert "401" in result.output


def test_an_unreachable_server_is_exit_2(cli, demo_tree):
    result = cli.invoke(main, ["plan", str(demo_tree), "--url", "http://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "cannot reach http://127.0.0.1:1" in result.output


def test_export_refuses_a_folder_that_is_not_empty(cli, remote, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    result = cli.invoke(main, ["export", *remote, str(tmp_path / "full")])
    assert result.exit_code == 2
    assert "is not an empty folder" in result.output


def test_validate_and_compat_can_ask_a_server(cli, remote, server, demo_tree, tmp_path):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    good = demo_tree / "orders/OrderPlaced/samples/two-lines-uk.json"
    valid = cli.invoke(
        main, ["validate", "--event", "orders.OrderPlaced", "--url", server, str(good)]
    )
    assert valid.exit_code == 0, valid.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"orderId": 7}')
    invalid = cli.invoke(
        main, ["validate", "--event", "orders.OrderPlaced", "--url", server, str(broken)]
    )
    assert invalid.exit_code == 1
    assert "/orderId" in invalid.output

    latest = json.loads((demo_tree / PRODUCT / "v4.json").read_text())
    latest["required"] = [*latest.get("required", []), "weightGrams"]
    candidate = tmp_path / "candidate.json"
    candidate.write_text(json.dumps(latest))
    refused = cli.invoke(
        main, ["compat", "--event", "products.ProductUpdated", "--url", server, str(candidate)]
    )
    assert refused.exit_code == 1
    assert "REQUIRED_ATTRIBUTE_ADDED" in refused.output and "would be refused" in refused.output
    assert "read by wms-item-master-sync (team warehouse-systems)" in refused.output
    unknown = cli.invoke(
        main, ["compat", "--event", "products.Nope", "--url", server, str(candidate)]
    )
    assert unknown.exit_code == 2
    # a compatible change is news (info, exit 0) to the declared consumers whose fields it touches
    latest = json.loads((demo_tree / PRODUCT / "v4.json").read_text())
    latest["properties"]["status"]["enum"].append("archived")
    candidate.write_text(json.dumps(latest))
    accepted = cli.invoke(
        main, ["compat", "--event", "products.ProductUpdated", "--url", server, str(candidate)]
    )
    assert accepted.exit_code == 0, accepted.output
    (line,) = [line for line in accepted.output.splitlines() if " info ENUM_ARRAY_EXTENDED" in line]
    assert "/properties/status/enum" in line
    assert "read by search-indexer (team data-platform)" in line


def test_plan_predicts_with_the_level_the_tree_asks_for(cli, remote, demo_tree):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    event_yaml = demo_tree / PRODUCT / "event.yaml"
    event_yaml.write_text(event_yaml.read_text().replace("BACKWARD_TRANSITIVE", "NONE"))
    broken = json.loads((demo_tree / PRODUCT / "v4.json").read_text())
    broken["required"] = [*broken.get("required", []), "weightGrams"]
    (demo_tree / PRODUCT / "v5.json").write_text(json.dumps(broken))
    plan = cli.invoke(main, ["plan", str(demo_tree), *remote])
    assert plan.exit_code == 0, plan.output
    assert "0 refusals" in plan.output
    applied = cli.invoke(main, ["apply", str(demo_tree), *remote])
    assert applied.exit_code == 0, applied.output


def _one_domain_tree(demo_tree: Path, tmp_path: Path) -> Path:
    """The orders domain alone, as a producer team's repository holds it."""
    tree = tmp_path / "orders-only"
    shutil.copytree(demo_tree / "orders", tree / "orders")
    teams = (demo_tree / "registry.yaml").read_text().split("  - slug: payments")[0]
    (tree / "registry.yaml").write_text(teams)
    (tree / "consumers.yaml").write_text("consumers: []\n")
    return tree


def test_plan_reports_drift_only_for_what_the_tree_declares(cli, remote, demo_tree, tmp_path):
    cli.invoke(main, ["apply", str(demo_tree), *remote])
    tree = _one_domain_tree(demo_tree, tmp_path)
    declared = cli.invoke(main, ["plan", str(tree), *remote, "--format", "github"])
    assert declared.exit_code == 0, declared.output
    warnings = [line for line in declared.output.splitlines() if line.startswith("::warning")]
    assert warnings  # the consumers on orders-events that the tree does not list
    messages = [w.split("::", 2)[2] for w in warnings]
    # Consumers of the checkout team or on the orders bus: nothing of any other domain.
    assert all(m.startswith("consumer ") for m in messages), messages
    assert any("@orders-events" in m for m in messages)
    everything = cli.invoke(
        main, ["plan", str(tree), *remote, "--format", "github", "--drift", "all"]
    )
    every = [w.split("::", 2)[2] for w in everything.output.splitlines() if w.startswith("::warn")]
    assert len(every) > len(warnings)
    assert "team payments: in the registry, not in the tree" in every
    assert "domain payments: in the registry, not in the tree" in every
