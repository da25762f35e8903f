"""`eventry check` refuses consumers whose rule their bus's router would refuse, or whose
declared event travels on another bus, naming the line and the pointer."""

from __future__ import annotations

import json

from click.testing import CliRunner

from app.cli.main import main
from tests.functional.test_cli_check import CLEAN, V1, write_tree

CONSUMERS = """consumers:
  - name: bad-rule
    team: checkout
    bus: orders-events
    pattern:
      detail-type: [{contains: Order}]
  - name: wrong-bus
    team: checkout
    bus: other-events
    event: orders.OrderPlaced
  - name: good
    team: checkout
    bus: orders-events
    event: orders.OrderPlaced
    pattern:
      detail-type: [OrderPlaced]
"""


def test_check_reports_consumer_rules_and_buses(tmp_path):
    files = {
        **CLEAN,
        "orders/domain.yaml": "name: Orders\nowner: checkout\n"
        "buses: [{slug: orders-events, router: kafka}, {slug: other-events, router: sns}]\n",
        "consumers.yaml": CONSUMERS,
    }
    root = write_tree(tmp_path / "tree", files)
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json"])
    assert result.exit_code == 1
    findings = [
        finding
        for item in json.loads(result.output)["items"]
        for finding in item["findings"]
        if finding["path"] == "consumers.yaml"
    ]
    by_pointer = {finding["pointer"]: finding for finding in findings}
    assert set(by_pointer) == {"/consumers/0/pattern/detail-type/0/contains", "/consumers/1/event"}
    assert (
        "no operator 'contains'"
        in by_pointer["/consumers/0/pattern/detail-type/0/contains"]["message"]
    )
    assert by_pointer["/consumers/0/pattern/detail-type/0/contains"]["line"] == 6
    assert (
        "travels on orders-events, not on other-events"
        in by_pointer["/consumers/1/event"]["message"]
    )


RULES = """consumers:
  - name: typo
    team: checkout
    bus: orders-events
    event: orders.OrderPlaced
    pattern:
      detail-type: [OrderPlaced]
      detail: {orderld: [{exists: true}]}
    fields: [/orderId, /colour]
  - name: everything
    team: checkout
    bus: orders-events
    pattern:
      source: [{prefix: ""}]
"""


def test_check_reports_rules_against_schemas_and_fields_the_event_lacks(tmp_path):
    files = {**CLEAN, "consumers.yaml": RULES}
    root = write_tree(tmp_path / "tree", files)
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json"])
    items = {
        item["name"]: item
        for item in json.loads(result.output)["items"]
        if item["kind"] == "consumer"
    }
    assert set(items) == {"typo", "everything"}
    by_id = {f["id"]: f for f in items["typo"]["findings"]}
    # The tree's OrderPlaced is an open model: a member it does not declare is a warning.
    assert set(by_id) == {"rule-field-undeclared", "consumer-reads-missing-field"}
    rule = by_id["rule-field-undeclared"]
    assert rule["pointer"] == "/consumers/0/pattern/detail/orderld"
    assert rule["line"] == 8
    assert "orders.OrderPlaced" in rule["message"]
    gap = by_id["consumer-reads-missing-field"]
    assert gap["pointer"] == "/consumers/0/fields/1" and gap["severity"] == "warning"
    (everything,) = items["everything"]["findings"]
    assert everything["id"] == "rule-matches-everything"


READERS = """consumers:
  - name: note-printer
    team: checkout
    bus: orders-events
    event: orders.OrderPlaced
    fields: [/orderId, /note]
  - name: totaliser
    team: checkout
    bus: orders-events
    event: orders.OrderPlaced
    fields: [/total]
"""


def test_check_and_compat_name_the_consumers_an_incompatible_step_touches(tmp_path):
    v2 = {**V1, "properties": {**V1["properties"], "note": {"type": "string"}}}
    files = {
        **CLEAN,
        "consumers.yaml": READERS,
        "orders/OrderPlaced/v2.json": json.dumps(v2, indent=2),
    }
    root = write_tree(tmp_path / "tree", files)
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json"])
    steps = [
        finding
        for item in json.loads(result.output)["items"]
        if item["kind"] == "compatibility"
        for finding in item["findings"]
    ]
    (added,) = steps
    assert "read by note-printer (team checkout)" in added["message"]
    candidate = tmp_path / "v3.json"
    v3 = {**V1, "properties": {**V1["properties"], "total": {"type": "string"}}}
    candidate.write_text(json.dumps(v3))
    compat = CliRunner().invoke(
        main, ["compat", "--event", "orders.OrderPlaced", "--dir", str(root), str(candidate)]
    )
    assert compat.exit_code == 1
    assert "read by totaliser (team checkout)" in compat.output


def test_a_breaking_change_nobody_reads_says_so(tmp_path):
    files = {**CLEAN, "consumers.yaml": READERS}
    root = write_tree(tmp_path / "tree", files)
    candidate = tmp_path / "v2.json"
    v2 = {**V1, "properties": {**V1["properties"], "occurredAt": {"type": "integer"}}}
    candidate.write_text(json.dumps(v2))
    compat = CliRunner().invoke(
        main, ["compat", "--event", "orders.OrderPlaced", "--dir", str(root), str(candidate)]
    )
    assert compat.exit_code == 1
    assert "no declared consumer reads this" in compat.output


def test_a_compatible_change_a_consumer_reads_is_news_to_it(tmp_path):
    # removing /total from an open object is compatible, but totaliser reads it: check and
    # compat name it (info, exit 0); the unread /occurredAt removal says nothing
    properties = {k: v for k, v in V1["properties"].items() if k not in ("total", "occurredAt")}
    v2 = {**V1, "properties": properties}
    root = write_tree(tmp_path / "tree", {**CLEAN, "consumers.yaml": READERS})
    candidate = tmp_path / "v2.json"
    candidate.write_text(json.dumps(v2))
    compat = CliRunner().invoke(
        main, ["compat", "--event", "orders.OrderPlaced", "--dir", str(root), str(candidate)]
    )
    assert compat.exit_code == 0
    (line,) = [line for line in compat.output.splitlines() if " info " in line]
    assert "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL: /properties/total" in line
    assert "(against v1; compatible; read by totaliser (team checkout))" in line
    (root / "orders/OrderPlaced/v2.json").write_text(json.dumps(v2, indent=2))
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json"])
    assert result.exit_code == 0
    (step,) = [i for i in json.loads(result.output)["items"] if i["kind"] == "compatibility"]
    (finding,) = step["findings"]
    assert finding["severity"] == "info" and finding["pointer"] == "/properties/total"
    assert "read by totaliser (team checkout)" in finding["message"]
